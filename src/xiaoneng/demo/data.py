"""The fictional 示例市教育局: its departments, six schools, posts and one login per role."""

from __future__ import annotations

from xiaoneng.demo.remits import REMITS

DEMO_PASSWORD = "Demo#2026xn"

BUREAU = {
    "code": "bureau",
    "name": "示例市教育局",
    "short_name": "市教育局",
    "enquiry_phone": "0000-12345",
    "supervision_phone": "0000-12388",
    "address": "示例市人民路1号",
}

# (code, name, duties): the remits are written out in demo/remits.py.
BUREAU_DEPARTMENTS = [
    ("office", "办公室", REMITS["office"]),
    ("personnel", "人事科", REMITS["personnel"]),
    ("finance", "计划财务科", REMITS["finance"]),
    ("basic", "基础教育科", REMITS["basic"]),
    ("vocational", "职业与成人教育科", REMITS["vocational"]),
    ("legal", "政策法规与行政审批科", REMITS["legal"]),
    ("safety", "安全稳定科", REMITS["safety"]),
    ("sports", "体卫艺科", REMITS["sports"]),
    ("inspection", "督导室", REMITS["inspection"]),
    ("supervision", "监察室", REMITS["supervision"]),
    ("petition", "信访办", REMITS["petition"]),
    ("efficiency", "效能办", REMITS["efficiency"]),
    ("exams", "招生考试中心", REMITS["exams"]),
    ("aid", "学生资助管理中心", REMITS["aid"]),
]

# (code, name, short name)
SCHOOLS = [
    ("school-1", "示例市第一中学", "第一中学"),
    ("school-2", "示例市第二中学", "第二中学"),
    ("school-exp", "示例市实验小学", "实验小学"),
    ("school-normal", "示例市师范学校", "师范学校"),
    ("school-voc", "示例市职业技术学校", "职业技术学校"),
    ("school-special", "示例市特殊教育学校", "特殊教育学校"),
]

# English names read on English pages (unit code or department code -> name).
UNIT_NAMES_EN = {
    "bureau": "Example City Education Bureau",
    "school-1": "No. 1 Middle School",
    "school-2": "No. 2 Middle School",
    "school-exp": "Experimental Primary School",
    "school-normal": "Normal School",
    "school-voc": "Vocational and Technical School",
    "school-special": "Special Education School",
}
DEPARTMENT_NAMES_EN = {
    "office": "General Office",
    "personnel": "Personnel Section",
    "finance": "Planning and Finance Section",
    "basic": "Basic Education Section",
    "vocational": "Vocational and Adult Education Section",
    "legal": "Policy, Law and Approvals Section",
    "safety": "Safety and Stability Section",
    "sports": "Sports, Health and Arts Section",
    "inspection": "Education Inspection Office",
    "supervision": "Supervision Office",
    "petition": "Letters and Visits Office",
    "efficiency": "Efficiency Office",
    "exams": "Admissions and Examinations Centre",
    "aid": "Student Financial Aid Centre",
    # The offices of every school.
    "principal": "Principal's Office",
    "academic": "Academic Affairs Office",
    "moral": "Moral Education Office",
    "general": "General Affairs Office",
}

SCHOOL_OFFICES = [
    (
        "principal",
        "校长办公室",
        "学校综合管理、对外联络、信息公开；受理家长和社会对学校的投诉、咨询和建议；教师管理和"
        "师德师风",
    ),
    (
        "academic",
        "教务处",
        "教学管理、课程安排、学籍、转学、考试和成绩；作业管理和课业负担；课后服务、补课和作息时间",
    ),
    (
        "moral",
        "德育处",
        "学生德育和班主任工作、安全教育、防范校园欺凌、心理健康、家校沟通和家长委员会",
    ),
    (
        "general",
        "总务处",
        "后勤保障、食堂和食品安全、收费和退费、校服征订、校舍和围墙安全、宿舍、校车",
    ),
]

# One named login for every role of DESIGN.md §1.
# (username, full name, unit code, department code, roles, title)
DEMO_USERS = [
    ("intake", "王晓明", "bureau", "office", ["intake"], "首问责任人"),
    ("intake_b", "林晓燕", "bureau", "office", ["intake"], "首问责任人（B岗）"),
    ("handler_a", "李娜", "bureau", "basic", ["handler"], "科员（A岗）"),
    ("handler_b", "赵强", "bureau", "basic", ["handler"], "科员（B岗）"),
    ("head", "陈静", "bureau", "basic", ["dept_head"], "基础教育科科长"),
    ("xiaoneng", "周敏", "bureau", "efficiency", ["efficiency_office"], "效能办主任"),
    ("xiaoneng_b", "黄丽", "bureau", "efficiency", ["efficiency_office"], "效能办科员"),
    ("inspector", "吴刚", "bureau", "supervision", ["inspector"], "监察室主任"),
    ("leader", "郑国平", "bureau", "office", ["leader"], "副局长"),
    ("sysadmin", "孙磊", "bureau", "office", ["sysadmin"], "系统管理员"),
    ("secadmin", "钱文", "bureau", "office", ["secadmin"], "安全管理员"),
    ("auditor", "冯雪", "bureau", "office", ["auditor"], "审计管理员"),
    ("school_head", "刘建国", "school-1", "principal", ["dept_head"], "校长"),
    ("school_handler", "何芳", "school-1", "principal", ["handler", "intake"], "校办主任"),
    ("school_handler_b", "马超", "school-1", "principal", ["handler"], "校办干事"),
]

# Department heads: (unit code, department code, username)
HEADS = [
    ("bureau", "basic", "head"),
    ("bureau", "efficiency", "xiaoneng"),
    ("bureau", "supervision", "inspector"),
    ("school-1", "principal", "school_head"),
]

# Posts with A and B holders: (unit code, department code, post name, duties, A, B)
POSTS = [
    (
        "bureau",
        "basic",
        "基础教育投诉办理岗",
        "办理招生入学、课业负担、学校管理类投诉和咨询",
        "handler_a",
        "handler_b",
    ),
    (
        "bureau",
        "efficiency",
        "效能派单督办岗",
        "受理交办件派单、催办督办、回访",
        "xiaoneng_b",
        "xiaoneng",
    ),
    (
        "school-1",
        "principal",
        "校务投诉办理岗",
        "办理涉及本校的投诉、咨询和建议",
        "school_handler",
        "school_handler_b",
    ),
]

# The bureau's campus-safety emergency post in 安全稳定科: its A holder is alerted first about
# every incident, then B, then the department's head, then the leaders (docs/emergencies.md).
# (username, full name, title) for A then B; handlers, not in DEMO_USERS.
SAFETY_POST = "校园安全应急值守岗"
SAFETY_POST_DUTIES = "接收学校突发事件报告，确认预警，组织续报和终报，联络卫生、公安等部门"
SAFETY_STAFF = [
    ("safety_a", "袁志勇", "安全稳定科科员（A岗）"),
    ("safety_b", "邱晓静", "安全稳定科科员（B岗）"),
]

# English names of the posts above and below (Chinese name -> English), read on English pages.
POST_NAMES_EN = {
    "基础教育投诉办理岗": "Basic education complaints desk",
    "效能派单督办岗": "Efficiency dispatch and follow-up desk",
    "校务投诉办理岗": "School complaints desk",
    "校园安全应急值守岗": "Campus safety emergency duty",
    "首问受理岗": "First-contact desk",
}

# The first-contact post (首问受理岗) of each unit works its intake pool (待受理):
# (unit code, department code, post name, A, B). Schools without demo logins of their own get
# two staff members of their principal's office (SCHOOL_INTAKE_STAFF).
FIRST_CONTACT_POST = "首问受理岗"
FIRST_CONTACT_DUTIES = "受理网上、接口和转办来件：1个工作日内受理，直接答复、派单或认定无效"
FIRST_CONTACT_POSTS = [
    ("bureau", "office", "intake", "intake_b"),
    ("school-1", "principal", "school_handler", "school_handler_b"),
]
# (unit code, username, full name) for A then B of the other schools' first-contact posts.
SCHOOL_INTAKE_STAFF = {
    "school-2": [("s2_intake", "周婷"), ("s2_intake_b", "邓凯")],
    "school-exp": [("sexp_intake", "孙悦"), ("sexp_intake_b", "高扬")],
    "school-normal": [("snormal_intake", "胡敏"), ("snormal_intake_b", "谢涛")],
    "school-voc": [("svoc_intake", "冯燕"), ("svoc_intake_b", "蒋伟")],
    "school-special": [("sspecial_intake", "沈洁"), ("sspecial_intake_b", "韦东")],
}

# Category code -> bureau department code usually leading on it.
CATEGORY_DEPARTMENTS = {
    "fees": "finance",
    "enrolment": "basic",
    "aid": "aid",
    "ethics": "personnel",
    "safety": "safety",
    "surroundings": "safety",
    "management": "basic",
    "tutoring": "basic",
    "food": "sports",
    "workload": "basic",
    "teachers": "personnel",
    "other": "office",
}

# Heads of the other bureau departments (logins too, with the same demo password).
# (department code, username, full name, title)
OTHER_HEADS = [
    ("office", "office_head", "杨光", "办公室主任"),
    ("personnel", "personnel_head", "许文博", "人事科科长"),
    ("finance", "finance_head", "郭晓梅", "计划财务科科长"),
    ("vocational", "vocational_head", "罗志远", "职业与成人教育科科长"),
    ("legal", "legal_head", "梁静怡", "政策法规与行政审批科科长"),
    ("safety", "safety_head", "宋建军", "安全稳定科科长"),
    ("sports", "sports_head", "唐丽华", "体卫艺科科长"),
    ("inspection", "inspection_head", "韩立新", "督导室主任"),
    ("petition", "petition_head", "曹海燕", "信访办主任"),
    ("exams", "exams_head", "彭国强", "招生考试中心主任"),
    ("aid", "aid_head", "曾秀兰", "学生资助管理中心主任"),
]
