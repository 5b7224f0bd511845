"""Demo service guides of the 示例市教育局 and the commitments of the bureau and its schools.

Loaded through the guide services (draft, then publish); idempotent: an item or a unit that
already has a published version is left alone.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from xiaoneng.catalog.guide_selectors import commitments_published, guide_published_version
from xiaoneng.catalog.guide_services import (
    commitments_draft_save,
    commitments_publish,
    guide_draft_save,
    guide_item_create,
    guide_publish,
)
from xiaoneng.catalog.guides import ServiceItem
from xiaoneng.demo import data
from xiaoneng.org.models import Department, Unit

WINDOW = "示例市人民路1号市民中心二楼教育局窗口"
HOURS = "工作日上午9:00-12:00，下午13:30-17:00（法定节假日除外）"
ID_CARD = ("申请人身份证", 1, "both", "", "核验原件，留存复印件", False)
PHOTO = ("近期免冠证件照", 2, "original", "白底一寸", "", False)

# (code, name, type, department, category, basis, conditions, steps, statutory, committed,
#  fees, fee basis, online, materials: (name, copies, form, format, notes, conditional))
ITEMS: list[tuple[Any, ...]] = [
    (
        "private-school",
        "民办学校设立审批",
        "licence",
        "legal",
        "management",
        "《中华人民共和国民办教育促进法》第十二条至第十七条；《中华人民共和国民办教育促进法实施条例》",
        "举办者具有政治权利和完全民事行为能力（法人组织应具有法人资格）；有规范的章程、"
        "必备的办学条件和符合规定的教师队伍；办学资金来源稳定。",
        "窗口收件\n材料审查（一次性告知）\n受理\n实地考察与专家评议\n作出决定\n送达决定书",
        60,
        20,
        "不收费",
        "《中华人民共和国行政许可法》第五十八条",
        False,
        [
            (
                "申办报告",
                1,
                "original",
                "",
                "内容包括举办者、培养目标、办学规模、办学层次等",
                False,
            ),
            ("举办者资格证明文件", 1, "both", "", "", False),
            ("拟任校长和教师的资格证明", 1, "copy", "", "", False),
            ("资产来源、资金数额及有效证明文件", 1, "both", "", "含验资报告", False),
            ("校舍产权证明或租赁合同", 1, "copy", "", "租期不少于五年", False),
            ("学校章程和首届理事会、董事会组成人员名单", 1, "original", "", "", False),
            ("捐赠协议", 1, "both", "", "有捐赠资产的提供", True),
        ],
    ),
    (
        "teacher-cert",
        "教师资格认定",
        "licence",
        "personnel",
        "teachers",
        "《中华人民共和国教师法》第十条至第十三条；《教师资格条例》；《〈教师资格条例〉实施办法》",
        "遵守宪法和法律，热爱教育事业；具备《教师法》规定的相应学历；具备教育教学能力，"
        "取得相应的教师资格考试合格证明；普通话水平达到规定等级；身体健康。",
        "网上申报\n现场确认（材料审查，一次性告知）\n受理\n审查\n作出认定决定\n发放教师资格证书",
        20,
        15,
        "不收费",
        "财政部、国家发展改革委相关通知（教师资格认定不收取费用）",
        True,
        [
            ID_CARD,
            ("学历证书", 1, "both", "", "核验原件，留存复印件", False),
            ("中小学教师资格考试合格证明", 1, "copy", "", "", False),
            ("普通话水平测试等级证书", 1, "both", "", "", False),
            ("教师资格认定体检表", 1, "original", "", "指定医院出具，半年内有效", False),
            ("个人承诺书", 1, "original", "", "", False),
            PHOTO,
        ],
    ),
    (
        "tutoring-licence",
        "校外培训机构审批",
        "licence",
        "legal",
        "tutoring",
        "《中华人民共和国民办教育促进法》；《校外培训机构管理规定》等有关规定",
        "举办者符合条件；有符合规定的场所、师资、培训内容和资金监管安排；面向中小学生的"
        "学科类培训机构须符合本市设置标准。",
        "窗口收件\n材料审查（一次性告知）\n受理\n实地核查\n作出决定\n发放办学许可证",
        20,
        15,
        "不收费",
        "《中华人民共和国行政许可法》第五十八条",
        False,
        [
            ("设立申请书", 1, "original", "", "", False),
            ("举办者资格证明", 1, "both", "", "", False),
            ("培训场所产权证明或租赁合同", 1, "copy", "", "", False),
            ("消防安全检查合格证明", 1, "copy", "", "", False),
            ("培训人员名册及教师资格证明", 1, "copy", "", "", False),
            ("机构章程和管理制度", 1, "original", "", "", False),
            ("资金监管协议", 1, "copy", "", "预收费的机构提供", True),
        ],
    ),
    (
        "school-transfer",
        "义务教育阶段转学",
        "public_service",
        "basic",
        "enrolment",
        "《中华人民共和国义务教育法》；《中小学生学籍管理办法》第十四条至第十六条",
        "因户籍迁移、随迁父母工作调动等原因在义务教育阶段转学，转入学校有学位。",
        "家长提出申请\n转出学校审核\n转入学校接收\n教育局审核\n学籍系统办理转接",
        10,
        5,
        "不收费",
        "",
        True,
        [
            ("转学申请表", 1, "original", "", "", False),
            ("户口簿", 1, "both", "", "", False),
            ("学生学籍信息表", 1, "original", "", "由转出学校提供", False),
            ("父母工作或居住证明", 1, "copy", "", "随迁子女提供", True),
        ],
    ),
    (
        "status-change",
        "学籍变更",
        "public_service",
        "basic",
        "management",
        "《中小学生学籍管理办法》",
        "学生姓名、出生日期等基础信息确有错误，或休学、复学等需变更学籍信息。",
        "学校受理\n学校审核\n教育局审核\n学籍系统变更",
        10,
        5,
        "不收费",
        "",
        False,
        [
            ("学籍变更申请表", 1, "original", "", "", False),
            ("户口簿", 1, "both", "", "", False),
            ("变更事项证明材料", 1, "copy", "", "如公安部门出具的更名证明", False),
        ],
    ),
    (
        "diploma-proof",
        "学历证明补办",
        "public_service",
        "exams",
        "other",
        "《中华人民共和国档案法》；教育部关于学历证书遗失补办的有关规定",
        "本市中等及以下学校毕业生，学历证书遗失或损毁。",
        "窗口收件\n查阅学籍档案\n出具学历证明\n送达或窗口领取",
        10,
        3,
        "不收费",
        "",
        True,
        [
            ID_CARD,
            ("学历证明补办申请表", 1, "original", "", "", False),
            ("毕业证书遗失声明", 1, "original", "", "", False),
            ("委托书及受托人身份证", 1, "both", "", "委托他人办理的提供", True),
        ],
    ),
    (
        "student-aid",
        "学生资助申请",
        "public_service",
        "aid",
        "aid",
        "《学生资助资金管理办法》；本省家庭经济困难学生认定办法",
        "在本市学校就读、家庭经济困难的学生。",
        "学生申请\n学校评议公示\n教育局审核\n资金发放",
        20,
        15,
        "不收费",
        "",
        True,
        [
            ("学生资助申请表", 1, "original", "", "", False),
            ("家庭经济困难学生认定申请表", 1, "original", "", "", False),
            ("户口簿", 1, "copy", "", "", False),
            ("低保证、特困供养证或残疾证", 1, "copy", "", "享受相应待遇的家庭提供", True),
        ],
    ),
    (
        "teacher-transfer",
        "教师调动",
        "other",
        "personnel",
        "teachers",
        "《中华人民共和国教师法》；《事业单位人事管理条例》；本市教师交流轮岗办法",
        "在编在岗教师，符合本市教师调动条件，调出调入学校同意。",
        "本人申请\n调出学校同意\n调入学校同意\n人事科审核\n办理调动手续",
        20,
        15,
        "不收费",
        "",
        False,
        [
            ("教师调动申请表", 1, "original", "", "", False),
            ("调出学校意见", 1, "original", "", "", False),
            ("调入学校意见", 1, "original", "", "", False),
            ("教师资格证书", 1, "copy", "", "", False),
        ],
    ),
    (
        "enrolment",
        "中小学入学登记",
        "public_service",
        "basic",
        "enrolment",
        "《中华人民共和国义务教育法》第十二条；本市年度义务教育招生入学工作意见",
        "适龄儿童少年，户籍或居住地在学校招生范围内。",
        "网上登记\n学校审核材料（一次性告知）\n公布录取结果\n报到注册",
        20,
        10,
        "不收费",
        "",
        True,
        [
            ("户口簿", 1, "both", "", "", False),
            ("房屋产权证明或租赁合同", 1, "copy", "", "", False),
            ("出生医学证明", 1, "copy", "", "", False),
            ("预防接种证查验证明", 1, "copy", "", "", False),
            ("居住证", 1, "copy", "", "非本市户籍提供", True),
        ],
    ),
    (
        "info-request",
        "政府信息公开申请",
        "other",
        "office",
        "other",
        "《中华人民共和国政府信息公开条例》第二十七条至第三十三条",
        "公民、法人或者其他组织申请获取本机关的政府信息。",
        "提交申请\n登记\n补正（如需要）\n答复",
        20,
        15,
        "一般不收费；申请数量、频次明显超过合理范围的，按规定收取信息处理费",
        "《政府信息公开信息处理费管理办法》",
        True,
        [
            (
                "政府信息公开申请表",
                1,
                "original",
                "",
                "写明所需信息的名称、文号或便于查询的特征性描述",
                False,
            ),
            ID_CARD,
        ],
    ),
]

# What English pages read instead (issue 26, item 6). The public JSON and the documents keep the
# Chinese above.
WINDOW_EN = "Education Bureau window, 2nd floor, Citizen Centre, 1 Renmin Road, Example City"
HOURS_EN = "Working days 9:00-12:00 and 13:30-17:00 (closed on public holidays)"
FREE_EN = "Free of charge"
LICENSING_LAW_FEES_EN = "Administrative Licensing Law of the People's Republic of China, Article 58"
# code: (name, legal basis, conditions, steps (one per line), fees, basis of the fees)
ITEMS_EN: dict[str, tuple[str, str, str, str, str, str]] = {
    "private-school": (
        "Approval to establish a private school",
        "Law of the People's Republic of China on the Promotion of Privately-run Schools, "
        "Articles 12 to 17; Regulations for its implementation",
        "The founder has political rights and full civil capacity (an organisation must be a "
        "legal person); the school has proper articles, the required facilities and qualified "
        "teachers; its funding is stable.",
        "Documents received at the window\nReview of the materials (one-time notice)\n"
        "Acceptance\nSite visit and expert review\nDecision\nDelivery of the decision",
        FREE_EN,
        LICENSING_LAW_FEES_EN,
    ),
    "teacher-cert": (
        "Teacher qualification certification",
        "Teachers Law of the People's Republic of China, Articles 10 to 13; Regulations on "
        "Teacher Qualifications; their implementing measures",
        "Abides by the Constitution and the law and is devoted to education; holds the "
        "education required by the Teachers Law; can teach, with a pass in the teacher "
        "qualification examination; speaks Putonghua at the required level; is in good health.",
        "Apply online\nConfirmation on site (review of the materials, one-time notice)\n"
        "Acceptance\nReview\nDecision on certification\nIssue of the teacher qualification "
        "certificate",
        FREE_EN,
        "Notices of the Ministry of Finance and the National Development and Reform Commission "
        "(no fee is charged for the certification)",
    ),
    "tutoring-licence": (
        "Approval of an out-of-school tutoring institution",
        "Law of the People's Republic of China on the Promotion of Privately-run Schools; "
        "Regulations on the Management of Out-of-school Tutoring Institutions and related rules",
        "The founder is eligible; the premises, the teachers, the course content and the "
        "supervision of prepaid fees meet the rules; academic tutoring for primary and "
        "secondary pupils meets the city's standards.",
        "Documents received at the window\nReview of the materials (one-time notice)\n"
        "Acceptance\nSite inspection\nDecision\nIssue of the school licence",
        FREE_EN,
        LICENSING_LAW_FEES_EN,
    ),
    "school-transfer": (
        "School transfer in compulsory education",
        "Compulsory Education Law of the People's Republic of China; Measures for the "
        "Management of Primary and Secondary School Student Records, Articles 14 to 16",
        "A transfer during compulsory education because the household registration moved or "
        "the parents' work moved, where the receiving school has a place.",
        "The parents apply\nThe current school reviews\nThe receiving school admits\n"
        "The bureau reviews\nThe student record is transferred",
        FREE_EN,
        "",
    ),
    "status-change": (
        "Change of a student record",
        "Measures for the Management of Primary and Secondary School Student Records",
        "Basic details such as the pupil's name or date of birth are wrong, or a suspension or "
        "return to school must be recorded.",
        "The school receives the request\nThe school reviews\nThe bureau reviews\n"
        "The student record is changed",
        FREE_EN,
        "",
    ),
    "diploma-proof": (
        "Replacement proof of education",
        "Archives Law of the People's Republic of China; Ministry of Education rules on "
        "replacing lost diplomas",
        "Graduates of the city's secondary schools and below whose diploma was lost or damaged.",
        "Documents received at the window\nThe student archive is consulted\n"
        "The proof of education is issued\nDelivered or collected at the window",
        FREE_EN,
        "",
    ),
    "student-aid": (
        "Application for student financial aid",
        "Measures for the Management of Student Aid Funds; the province's rules for "
        "identifying students from families in financial difficulty",
        "Students at the city's schools whose families are in financial difficulty.",
        "The student applies\nThe school assesses and posts the list\nThe bureau reviews\n"
        "The aid is paid",
        FREE_EN,
        "",
    ),
    "teacher-transfer": (
        "Teacher transfer",
        "Teachers Law of the People's Republic of China; Regulations on Personnel Management "
        "of Public Institutions; the city's rules on teacher exchange and rotation",
        "Established teachers in post who meet the city's transfer conditions, with the "
        "agreement of both schools.",
        "The teacher applies\nThe current school agrees\nThe receiving school agrees\n"
        "The personnel section reviews\nThe transfer is completed",
        FREE_EN,
        "",
    ),
    "enrolment": (
        "Primary and secondary school enrolment",
        "Compulsory Education Law of the People's Republic of China, Article 12; the city's "
        "yearly guidance on enrolment in compulsory education",
        "Children and adolescents of school age whose household registration or residence is "
        "in the school's catchment area.",
        "Register online\nThe school reviews the materials (one-time notice)\n"
        "The admissions are published\nReport and enrol",
        FREE_EN,
        "",
    ),
    "info-request": (
        "Request for government information",
        "Regulations of the People's Republic of China on the Disclosure of Government "
        "Information, Articles 27 to 33",
        "Citizens, legal persons and other organisations asking for this body's government "
        "information.",
        "Submit the request\nRegistration\nCompletion of the request (if needed)\nAnswer",
        "Usually free; a processing fee is charged where the number or frequency of requests "
        "clearly exceeds a reasonable range",
        "Measures for the Management of Fees for Processing Government Information",
    ),
}
# The English of each material, by its Chinese name: (name, format, notes).
MATERIALS_EN: dict[str, tuple[str, str, str]] = {
    "申请人身份证": ("ID card of the applicant", "", "The original is checked, a copy kept"),
    "近期免冠证件照": ("Recent bareheaded photos", "1-inch, white background", ""),
    "申办报告": (
        "Application report",
        "",
        "Covering the founder, aims, size and level of the school",
    ),
    "举办者资格证明文件": ("Proof of the founder's eligibility", "", ""),
    "拟任校长和教师的资格证明": ("Qualifications of the intended head and teachers", "", ""),
    "资产来源、资金数额及有效证明文件": (
        "Source and amount of the assets, with valid proof",
        "",
        "Including the capital verification report",
    ),
    "校舍产权证明或租赁合同": (
        "Title deed or lease of the school buildings",
        "",
        "A lease of at least five years",
    ),
    "学校章程和首届理事会、董事会组成人员名单": (
        "Articles of the school and members of the first council or board",
        "",
        "",
    ),
    "捐赠协议": ("Donation agreement", "", "Where assets were donated"),
    "学历证书": ("Diploma", "", "The original is checked, a copy kept"),
    "中小学教师资格考试合格证明": ("Pass certificate of the teacher qualification exam", "", ""),
    "普通话水平测试等级证书": ("Putonghua proficiency test certificate", "", ""),
    "教师资格认定体检表": (
        "Medical examination form for teacher certification",
        "",
        "From a designated hospital, valid for six months",
    ),
    "个人承诺书": ("Personal pledge", "", ""),
    "设立申请书": ("Application for establishment", "", ""),
    "举办者资格证明": ("Proof of the founder's eligibility", "", ""),
    "培训场所产权证明或租赁合同": ("Title deed or lease of the premises", "", ""),
    "消防安全检查合格证明": ("Fire safety inspection certificate", "", ""),
    "培训人员名册及教师资格证明": ("List of the tutors with their qualifications", "", ""),
    "机构章程和管理制度": ("Articles and rules of the institution", "", ""),
    "资金监管协议": (
        "Agreement on the supervision of funds",
        "",
        "Institutions that take fees in advance",
    ),
    "转学申请表": ("School transfer application form", "", ""),
    "户口簿": ("Household register", "", ""),
    "学生学籍信息表": ("Student record form", "", "Provided by the current school"),
    "父母工作或居住证明": (
        "Proof of the parents' work or residence",
        "",
        "For children who moved with their parents",
    ),
    "学籍变更申请表": ("Student record change form", "", ""),
    "变更事项证明材料": (
        "Proof of the change",
        "",
        "Such as the police's proof of a change of name",
    ),
    "学历证明补办申请表": ("Application form for a replacement proof of education", "", ""),
    "毕业证书遗失声明": ("Declaration of the lost diploma", "", ""),
    "委托书及受托人身份证": (
        "Power of attorney and the ID card of the agent",
        "",
        "Where someone else applies on your behalf",
    ),
    "学生资助申请表": ("Student aid application form", "", ""),
    "家庭经济困难学生认定申请表": (
        "Application to be recognised as a student in financial difficulty",
        "",
        "",
    ),
    "低保证、特困供养证或残疾证": (
        "Minimum living allowance, extreme poverty support or disability certificate",
        "",
        "Families that receive such support",
    ),
    "教师调动申请表": ("Teacher transfer application form", "", ""),
    "调出学校意见": ("Opinion of the current school", "", ""),
    "调入学校意见": ("Opinion of the receiving school", "", ""),
    "教师资格证书": ("Teacher qualification certificate", "", ""),
    "房屋产权证明或租赁合同": ("Title deed or lease of the home", "", ""),
    "出生医学证明": ("Medical birth certificate", "", ""),
    "预防接种证查验证明": ("Proof that the vaccination record was checked", "", ""),
    "居住证": ("Residence permit", "", "For families registered outside the city"),
    "政府信息公开申请表": (
        "Government information request form",
        "",
        "Name the information wanted, its document number or features that help find it",
    ),
}

BUREAU_COMMITMENTS = [
    "首问负责：第一个接待的工作人员负责登记、引导，直至主办科室签收。",
    "一次性告知：材料不齐的，当场或五个工作日内一次性书面告知需要补正的全部内容。",
    "限时办结：各事项在承诺时限内办结，承诺时限不超过法定时限。",
    "否定报备：不予受理、不予许可的，书面说明理由和依据，并报效能办备案审查。",
    "服务规范：窗口工作日不间断服务，AB岗互为补位，不让群众白跑。",
    "接受监督：对服务不满意的，可拨打监督电话0000-12388投诉。",
]
SCHOOL_COMMITMENTS = [
    "家长来访当日登记，咨询类事项五个工作日内答复。",
    "招生入学、收费、资助等事项按规定公开，接受家长和社会监督。",
    "不违规收费，不组织有偿补课，不以任何名义收取择校费。",
    "学生学籍、证明类事项三个工作日内办结。",
    "对学校服务不满意的，可向示例市教育局效能办投诉，电话0000-12388。",
]

# The same commitments in English, in the same order (English pages read them).
BUREAU_COMMITMENTS_EN = [
    "First contact: the first member of staff you meet registers and guides your request until "
    "the lead section signs for it.",
    "One-time notice: if materials are missing, you are told everything to add at once, on the "
    "spot or within five working days, in writing.",
    "Time limits: each matter is finished within its promised time, which never exceeds the "
    "statutory time.",
    "Refusals filed: a refusal to accept or to license states its reasons and basis in writing "
    "and is filed with the efficiency office for review.",
    "Service standards: the window serves without a break on working days, A and B post holders "
    "stand in for each other, and nobody makes a wasted trip.",
    "Supervision: if you are not satisfied, call the supervision phone 0000-12388.",
]
SCHOOL_COMMITMENTS_EN = [
    "Parents' visits are registered the same day; enquiries are answered within five working days.",
    "Enrolment, fees and student aid are published as required, open to parents and the public.",
    "No unlawful fees, no paid extra lessons, and no school-choice fees under any name.",
    "Student records and certificates are handled within three working days.",
    "If you are not satisfied with the school's service, complain to the efficiency office of "
    "the Example City Education Bureau, phone 0000-12388.",
]


def _load_item(index: int, row: tuple[Any, ...], bureau: Unit) -> None:
    (code, name, kind, dept, category, basis, conditions, steps, statutory, committed) = row[:10]
    fees, fee_basis, online, materials = row[10:]
    item = ServiceItem.objects.filter(code=code).first()
    if item is None:
        item = guide_item_create(
            code=code,
            unit=bureau,
            department=Department.objects.get(unit=bureau, code=dept),
            category_code=category,
            sort_order=index,
        )
    published = guide_published_version(item=item)
    # A demo loaded before the guides had English gets a new version with it.
    if published is not None and published.name_en:
        return
    name_en, basis_en, conditions_en, steps_en, fees_en, fee_basis_en = ITEMS_EN[code]
    fields = {
        "name": name,
        "item_type": kind,
        "legal_basis": basis,
        "conditions": conditions,
        "process_steps": steps,
        "statutory_limit": statutory,
        "committed_limit": committed,
        "fees": fees,
        "fee_basis": fee_basis,
        "window_address": WINDOW,
        "window_hours": HOURS,
        "enquiry_phone": data.BUREAU["enquiry_phone"],
        "supervision_phone": data.BUREAU["supervision_phone"],
        "online": online,
        "name_en": name_en,
        "legal_basis_en": basis_en,
        "conditions_en": conditions_en,
        "process_steps_en": steps_en,
        "fees_en": fees_en,
        "fee_basis_en": fee_basis_en,
        "window_address_en": WINDOW_EN,
        "window_hours_en": HOURS_EN,
    }
    rows = [
        dict(zip(("name", "copies", "form", "file_format", "notes", "conditional"), m, strict=True))
        | dict(zip(("name_en", "file_format_en", "notes_en"), MATERIALS_EN[m[0]], strict=True))
        for m in materials
    ]
    guide_publish(version=guide_draft_save(item=item, fields=fields, materials=rows))


def _load_commitments(unit: Unit, title: str, entries: list[str], english: list[str]) -> None:
    if commitments_published(unit_id=unit.pk) is not None:
        return
    draft = commitments_draft_save(
        unit=unit,
        title=title,
        entries=entries,
        title_en=f"Service commitments of {unit.name_en or unit.name}",
        entries_en=english,
    )
    commitments_publish(version=draft)


def demo_guides_load() -> None:
    """The ten service items and the commitments; needs the demo organisation loaded first."""
    with transaction.atomic():
        bureau = Unit.objects.get(code=data.BUREAU["code"])
        for index, row in enumerate(ITEMS):
            _load_item(index, row, bureau)
        _load_commitments(
            bureau, f"{bureau.name}服务承诺", BUREAU_COMMITMENTS, BUREAU_COMMITMENTS_EN
        )
        for code, name, _short in data.SCHOOLS:
            school = Unit.objects.get(code=code)
            _load_commitments(school, f"{name}服务承诺", SCHOOL_COMMITMENTS, SCHOOL_COMMITMENTS_EN)
