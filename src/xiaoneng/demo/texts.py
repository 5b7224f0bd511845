"""Request texts for the demo's history, written for this project: a small grammar of who is
writing, how they open, what the matter is (per department of the bureau) and how they close,
with school names, grades, amounts, dates and places filled in. Colloquial and formal, short
and long, so that a routing model trained on the demo has something to learn.

``request(rng, school)`` gives one (category code, department code, title, content); the same
seed gives the same texts on every machine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

GRADES = [
    "一年级",
    "二年级",
    "三年级",
    "四年级",
    "五年级",
    "六年级",
    "初一",
    "初二",
    "初三",
    "高一",
    "高二",
    "高三",
]
CLASSES = ["（1）班", "（2）班", "（3）班", "（5）班", "（8）班", "", ""]
PLACES = [
    "人民路",
    "解放街",
    "和平小区",
    "东湖花园",
    "新华村",
    "滨江大道",
    "建设路口",
    "幸福里社区",
    "城南菜市场",
    "火车站附近",
]
TEACHERS = [
    "王老师",
    "李老师",
    "张老师",
    "班主任刘老师",
    "数学老师",
    "英语老师",
    "陈老师",
    "体育老师",
]
WHEN = [
    "昨天",
    "上周五",
    "这学期开学时",
    "9月1日",
    "上个月",
    "3月12日",
    "最近一个月",
    "今天早上",
    "国庆节前",
    "寒假前",
]

WHO = [
    ("我是{school}{grade}{klass}学生家长，", 4),
    ("本人系{school}{grade}学生家长，", 2),
    ("我孩子在{school}读{grade}，", 4),
    ("您好，我是{school}的一名老师，", 1),
    ("市民来电反映：", 3),
    ("来电人称：", 2),
    ("我是{place}的居民，", 1),
    ("", 3),
]
OPENERS = [
    "",
    "",
    "想反映个事，",
    "打扰了，",
    "实在没办法了才打这个电话，",
    "特此反映：",
    "请问一下，",
]
CLOSERS = [
    ("请教育局核实处理。", 3),
    ("希望有关部门管一管！", 2),
    ("请尽快给个答复，谢谢。", 2),
    ("恳请领导重视。", 1),
    ("望予以查处并回复。", 2),
    ("", 2),
    ("家长们意见很大，希望早点解决。", 1),
]


@dataclass(frozen=True)
class Topic:
    department: str
    category: str
    titles: tuple[str, ...]
    bodies: tuple[str, ...]


T = Topic
TOPICS = [
    T(
        "finance",
        "fees",
        ("学校乱收费", "违规收取资料费", "收费不公示"),
        (
            "{when}学校让每个学生交{amount}元的教辅资料费，没有收据也没有公示",
            "{school}{grade}开学收了{amount}元，说是资料费和试卷费，家长都不知道收的什么钱",
            "班上统一订购教辅资料，每人{amount}元，不交的孩子被老师点名",
            "学校收费项目不公开，一学期杂七杂八交了{amount}多元",
        ),
    ),
    T(
        "finance",
        "fees",
        ("校服费太贵", "强制购买校服"),
        (
            "学校强制统一订校服，一套{amount}元，质量还很差，洗一次就掉色",
            "{when}通知必须买新校服，旧的不让穿，一套要{amount}元，负担太重",
        ),
    ),
    T(
        "finance",
        "fees",
        ("伙食费和住宿费", "要求退费"),
        (
            "孩子住校，住宿费每学期{amount}元，宿舍条件很差，收费标准不知道哪来的",
            "孩子转学走了，之前预交的伙食费{amount}元学校一直不退",
            "食堂伙食费每月涨到{amount}元，没有开家长会说明，收费不透明",
            "学校以赞助费名义收了{amount}元，说不交就进不了实验班",
        ),
    ),
    T(
        "basic",
        "enrolment",
        ("入学划片咨询", "孩子上学问题", "一年级报名"),
        (
            "我家住在{place}，孩子明年上一年级，想问一下划片到哪个学校，报名要准备什么材料",
            "我们是外地来打工的，孩子是随迁子女，在这边上小学需要什么手续，居住证不满一年行不行",
            "买了{place}的学区房，学校说户口迁入时间不够不给入学",
            "孩子小升初被分到离家很远的学校，每天路上要一个多小时，能不能调整",
            "幼儿园报名摇号没摇上，附近公办园都满了，孩子没地方上",
        ),
    ),
    T(
        "basic",
        "enrolment",
        ("转学手续", "学籍问题"),
        (
            "孩子要从外地转学回来读{grade}，{school}说没有学位不接收",
            "孩子的学籍一直没转过来，学校说要等，已经等了两个月了",
            "想办转学，原学校不给开转学证明，说要先交清费用",
        ),
    ),
    T(
        "basic",
        "workload",
        ("作业太多", "课业负担重"),
        (
            "{grade}每天作业写到晚上十一点，孩子睡眠严重不足，双减以后反而更多了",
            "{teacher}每天布置大量抄写作业，还要家长批改签字，家长也吃不消",
            "学校每周都考试还排名次，成绩贴在教室里，孩子压力很大",
            "寒假作业发了十几本，根本写不完",
        ),
    ),
    T(
        "basic",
        "management",
        ("周末补课", "学校管理问题"),
        (
            "{school}{grade}周六周日都要到校上课，说是自愿其实不去不行",
            "学校暑假组织集体补课，每天全天上课，这是不是违反规定",
            "学校突然把早上到校时间提前到6点50，孩子睡不够，也没征求家长意见",
            "课后延时服务说是自愿，实际上每个人都得报名，还要交费",
            "学校放学时间一直拖到6点多，家长在门口等很久",
        ),
    ),
    T(
        "personnel",
        "ethics",
        ("教师体罚学生", "师德问题"),
        (
            "{when}{teacher}因为孩子没交作业，让他在走廊罚站一节课，还打了手心",
            "{teacher}经常在班上骂学生笨、猪脑子，孩子现在不愿意去上学",
            "{teacher}暗示家长逢年过节要送礼，不送的孩子座位就被调到最后",
            "老师让全班同学孤立我家孩子，孩子回家一直哭",
        ),
    ),
    T(
        "personnel",
        "tutoring",
        ("在职教师有偿补课", "老师校外办班"),
        (
            "{teacher}在{place}租了房子办补习班，班上一半同学都去了，每月收{amount}元",
            "{school}的{teacher}周末在家里给学生有偿家教，课上不讲重点，留到补习班讲",
            "老师课堂上故意不讲完，让学生去他开的辅导班，一节课{amount}元",
        ),
    ),
    T(
        "personnel",
        "teachers",
        ("职称评审", "教师待遇", "工资问题"),
        (
            "我是{school}的老师，今年职称评审的名额分配不公开，请问评审程序是怎样的",
            "乡村教师生活补助已经半年没有发了，每月{amount}元，问学校学校说不知道",
            "我们代课老师干了五年，工资一直很低，绩效工资也没有，同工不同酬",
            "教师招聘考试成绩公布后迟迟不公示体检结果，想问什么时候出",
            "调动申请交上去三个月没有消息，想咨询教师交流轮岗的政策",
        ),
    ),
    T(
        "safety",
        "safety",
        ("校园安全隐患", "校车问题"),
        (
            "{school}的围墙有一段裂了很大的口子，随时可能倒，孩子们每天从旁边走",
            "接送学生的校车明显超载，一辆车塞了二十多个孩子",
            "学校消防通道被杂物堵死了，灭火器也过期了",
            "孩子在学校被几个高年级同学欺负，要钱还打人，已经好几次了，校园欺凌没人管",
            "学校旁边的河没有护栏，夏天经常有学生去玩水，很危险",
        ),
    ),
    T(
        "safety",
        "surroundings",
        ("校门口交通", "周边环境"),
        (
            "{school}门口每天上下学堵得水泄不通，没有交警也没有护学岗，很危险",
            "学校门口{place}有很多流动摊贩卖三无食品，孩子放学就去买",
            "学校旁边开了一家网吧，经常有穿校服的学生进去，老板也不管",
            "校门口停满了车，孩子只能在马路中间走",
        ),
    ),
    T(
        "sports",
        "food",
        ("食堂饭菜问题", "食品安全"),
        (
            "{school}食堂的饭菜经常是冷的，{when}孩子还在菜里吃出了虫子",
            "孩子在学校吃了午饭后上吐下泻，班上好几个同学都这样，怀疑食物中毒",
            "食堂工作人员不戴口罩帽子，餐具也不消毒，卫生很差",
            "学生营养餐分量太少，孩子说根本吃不饱",
            "学校饮水机的水有异味，很久没换滤芯了",
        ),
    ),
    T(
        "sports",
        "management",
        ("体育课和体检", "学生健康"),
        (
            "{grade}的体育课经常被数学语文占用，一学期没上几节体育课",
            "学校体检的视力结果一直没有通知家长，孩子近视了也不知道",
            "体育中考项目今年怎么改的，想咨询一下考试的具体项目和评分标准",
            "孩子最近情绪很低落，想问学校有没有心理老师可以做心理辅导",
        ),
    ),
    T(
        "aid",
        "aid",
        ("助学金没发", "学生资助"),
        (
            "孩子是建档立卡家庭，这学期的国家助学金{amount}元到现在还没发",
            "想咨询一下高中的国家助学金怎么申请，低保户需要准备什么材料",
            "生源地助学贷款的回执单学校一直不给盖章，马上要报到了",
            "听说营养改善补助有{amount}元，但学校说我们家不符合条件，评定不公开",
            "助学金被班主任扣下一部分，说是抵资料费",
        ),
    ),
    T(
        "exams",
        "other",
        ("中考高考咨询", "考试问题"),
        (
            "孩子今年中考，准考证上的照片印错了，要去哪里更正",
            "想咨询一下今年高考的加分政策，少数民族还能加分吗",
            "中考志愿填报系统打不开，明天就截止了，怎么办",
            "自学考试的成绩什么时候可以查询，证书去哪里领",
            "{when}中考考点考场里有人用手机作弊，监考老师没管",
        ),
    ),
    T(
        "vocational",
        "other",
        ("职校实习", "成人教育"),
        (
            "孩子在{school}读职高，学校安排去外地工厂顶岗实习，每天上十二个小时班，工资只有{amount}元",
            "职业学校说包就业，结果毕业了根本不安排工作",
            "想报名成人高考的学历提升，请问社区教育有没有培训班",
            "职校实习单位跟专业完全不对口，学生就是去流水线打工",
        ),
    ),
    T(
        "legal",
        "management",
        ("民办学校和培训机构", "办学资质"),
        (
            "{place}有一家培训机构没有办学许可证，还在招收学生，预收了一年的学费{amount}元",
            "孩子上的民办学校突然说要停办，学费不退，家长找不到人",
            "想咨询开办一个托管班需要办理什么审批手续",
            "某校外培训机构跑路了，卡里还有{amount}元没上完的课",
        ),
    ),
    T(
        "supervision",
        "other",
        ("工作人员作风", "办事推诿"),
        (
            "{when}去教育局办事，窗口工作人员态度很差，让我来回跑了三趟",
            "打了好几次电话都没有人接，科室之间互相推，事情一直没办",
            "办事要求提供的材料网上写的和窗口说的不一样，工作人员推诿扯皮",
        ),
    ),
    T(
        "inspection",
        "management",
        ("办学条件", "督导检查"),
        (
            "{school}的教室太挤了，一个班七十多个学生，办学条件达不到标准",
            "学校的功能教室、图书室常年锁着，只有检查的时候才开",
            "建议对{school}的规范办学情况开展督导检查",
        ),
    ),
    T(
        "office",
        "other",
        ("信息公开", "建议", "表扬"),
        (
            "申请公开今年全市中小学教育经费的使用情况",
            "建议学校每学期开放一次家长开放日，让家长了解孩子在校情况",
            "表扬{school}的{teacher}，对孩子特别耐心，孩子成绩进步很大",
            "建议在{place}附近新建一所小学，现在孩子上学太远了",
            "想问一下教育局的办公地址和上班时间",
        ),
    ),
]
AMOUNTS = ["80", "120", "150", "200", "260", "380", "450", "600", "800", "1200", "1500", "3000"]


def _weighted(rng: random.Random, items: list[tuple[str, int]]) -> str:
    return rng.choices([item for item, _w in items], weights=[w for _i, w in items])[0]


def request(rng: random.Random, school: str) -> tuple[str, str, str, str]:
    """One request about ``school`` (its short name): (category, department, title, content)."""
    topic = rng.choice(TOPICS)
    slots = {
        "school": school,
        "grade": rng.choice(GRADES),
        "klass": rng.choice(CLASSES),
        "place": rng.choice(PLACES),
        "teacher": rng.choice(TEACHERS),
        "when": rng.choice(WHEN),
        "amount": rng.choice(AMOUNTS),
    }
    body = rng.choice(topic.bodies).format(**slots)
    if rng.random() < 0.3:
        # A longer one: a second sentence on the same matter.
        other = rng.choice(topic.bodies).format(**slots)
        body = f"{body}。而且{other}" if other != body else body
    who = _weighted(rng, WHO).format(**slots)
    text = f"{rng.choice(OPENERS)}{who}{body}。{_weighted(rng, CLOSERS)}"
    return topic.category, topic.department, rng.choice(topic.titles), text


def requests(
    count: int, *, seed: int = 2026, schools: list[str] | None = None
) -> list[tuple[str, str, str, str]]:
    """``count`` requests (the benchmark's history), about the demo's schools by default."""
    rng = random.Random(seed)
    names = schools or [
        "第一中学",
        "第二中学",
        "实验小学",
        "师范学校",
        "职业技术学校",
        "特殊教育学校",
    ]
    return [request(rng, rng.choice(names)) for _ in range(count)]
