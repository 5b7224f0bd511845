"""The fictional 示例市教育局: its departments, six schools, posts and one login per role."""

from __future__ import annotations

DEMO_PASSWORD = "Demo#2026xn"

BUREAU = {
    "code": "bureau",
    "name": "示例市教育局",
    "short_name": "市教育局",
    "enquiry_phone": "0000-12345",
    "supervision_phone": "0000-12388",
    "address": "示例市人民路1号",
}

# (code, name, duties)
BUREAU_DEPARTMENTS = [
    (
        "office",
        "办公室",
        "负责机关日常运转和综合协调；承担文秘、机要、档案、保密工作；负责政府信息公开和依申请"
        "公开的答复；负责建议提案办理的综合协调；负责来访接待、会务和后勤保障；受理不属于其他"
        "科室职责的综合性咨询和建议",
    ),
    (
        "personnel",
        "人事科",
        "负责机关和直属学校的人事管理、机构编制和岗位设置；负责教师招聘、调动、交流轮岗和"
        "教师编制管理；负责教师职称评审和专业技术职务评聘；负责教师工资、绩效工资、教龄津贴、"
        "乡村教师生活补助和社会保险；负责师德师风建设，查处教师体罚学生、收受礼品、有偿补课等"
        "违反师德的行为；负责教师资格认定和教师培训",
    ),
    (
        "finance",
        "计划财务科",
        "负责教育经费预算、决算和财务管理；负责教育收费政策执行和收费公示的监督，查处学校"
        "乱收费、违规收取资料费、校服费、伙食费、住宿费、补课费、择校费和赞助费；负责退费"
        "督办；负责学校国有资产、政府采购和基建项目资金管理；负责校舍建设规划",
    ),
    (
        "basic",
        "基础教育科",
        "负责学前教育、义务教育和普通高中教育的管理；负责中小学招生入学、划片招生、随迁子女"
        "入学、学籍管理、转学和插班；负责减轻学生课业负担，规范作业量、考试和作息时间；"
        "负责课后服务和延时服务；查处学校违规补课、周末和假期集体补课；负责幼儿园办园行为、"
        "校外培训机构的规范管理",
    ),
    (
        "vocational",
        "职业与成人教育科",
        "负责中等职业教育、成人教育和社区教育管理；负责职业学校招生、实习实训、顶岗实习和"
        "学生就业指导；负责职业技能培训、成人学历教育和老年教育；负责职业学校专业设置和"
        "校企合作",
    ),
    (
        "legal",
        "政策法规与行政审批科",
        "负责教育法制宣传和依法治校；负责行政许可和审批，民办学校和民办培训机构的设立、"
        "变更和办学许可证年检；负责行政复议、行政诉讼和规范性文件审查；负责民办学校办学行为"
        "的监管",
    ),
    (
        "safety",
        "安全稳定科",
        "负责校园安全管理和安全教育；负责校园周边环境综合治理，会同公安、交通、市场监管部门"
        "整治校门口交通拥堵、流动摊贩、网吧和游戏厅；负责校车安全管理；负责校舍、围墙、消防"
        "设施隐患排查；负责防范校园欺凌和学生溺水；负责学校突发事件的应急处置",
    ),
    (
        "sports",
        "体卫艺科",
        "负责学校体育、卫生和艺术教育；负责学校食堂和食品安全、饮用水卫生、传染病防控和"
        "学生体检；负责学生营养餐和近视防控；负责体育课、课间操、体质健康测试和体育中考项目；"
        "负责学生心理健康教育；负责学校卫生室和校医管理",
    ),
    (
        "inspection",
        "督导室",
        "负责教育督导评估，对学校办学水平、规范办学行为进行督导检查；负责责任督学挂牌督导；"
        "负责义务教育均衡发展和办学条件达标的督导；发布督导报告",
    ),
    (
        "supervision",
        "监察室",
        "负责效能投诉的调查核实；负责对机关和学校工作人员履职的明察暗访；负责过错责任追究"
        "和问责；受理对机关工作人员作风问题、推诿扯皮、办事拖拉的投诉",
    ),
    (
        "petition",
        "信访办",
        "负责群众来信来访的登记、受理、交办和督办；负责重复信访和积案化解；负责信访事项的"
        "复查复核和信访秩序维护",
    ),
    (
        "efficiency",
        "效能办",
        "负责机关效能建设；负责投诉工单的派单、催办、督办和回访；负责效能考核和通报；负责"
        "首问负责、限时办结、服务承诺等制度的落实",
    ),
    (
        "exams",
        "招生考试中心",
        "负责中考、高考、学业水平考试、自学考试和成人高考的组织实施；负责考生报名、准考证、"
        "考点考场安排、成绩查询和复核；负责中考和高考志愿填报、录取和加分资格审核；负责考试"
        "违规的处理",
    ),
    (
        "aid",
        "学生资助管理中心",
        "负责学生资助政策的落实，国家助学金、奖学金、生源地助学贷款、免学费和营养改善补助"
        "的申请、审核和发放；负责建档立卡、低保家庭等困难学生的认定和资助；受理资助资金未按时"
        "发放、被克扣的投诉",
    ),
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
