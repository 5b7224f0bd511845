"""Reading a request's words: Chinese word segmentation (jieba, with a user dictionary of
education terms), character shingles for near-duplicates, and the places a text names."""

from __future__ import annotations

import logging
import re
import threading
import warnings
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jieba

USER_DICTIONARY = Path(__file__).parent / "data" / "edu_terms.txt"
# Longer texts are cut before reading: a request is at most 5 000 characters (cases' intake),
# and a pasted book in the command must not stall it.
MAX_CHARS = 6000

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_PHONE = re.compile(r"(?<!\d)1\d{10}(?!\d)|\d{3,4}-\d{7,8}")
_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z0]+")
# Words that say nothing about whose remit a request is in.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "我",
        "你",
        "他",
        "她",
        "们",
        "我们",
        "你们",
        "他们",
        "在",
        "有",
        "和",
        "与",
        "及",
        "或",
        "也",
        "都",
        "就",
        "还",
        "又",
        "很",
        "太",
        "吧",
        "吗",
        "呢",
        "啊",
        "呀",
        "一个",
        "这个",
        "那个",
        "这",
        "那",
        "什么",
        "怎么",
        "为什么",
        "请问",
        "您好",
        "你好",
        "谢谢",
        "麻烦",
        "请",
        "希望",
        "能",
        "能否",
        "是否",
        "有关",
        "部门",
        "相关",
        "情况",
        "问题",
        "反映",
        "反应",
        "一下",
        "现在",
        "已经",
        "没有",
        "不",
        "没",
        "要",
        "让",
        "把",
        "被",
        "给",
        "对",
        "说",
        "学校",
        "孩子",
        "家长",
        "我家",
        "示例",
        "市",
        "学生",
        "本人",
        "去",
        "来",
        "到",
        "从",
        "向",
        "为",
        "以",
        "等",
        "上",
        "下",
        "中",
        "里",
        "后",
        "前",
        "年",
        "月",
        "日",
        "号",
        "元",
        "块",
        "个",
        "次",
        "0",
    ]
)
_PLACE = re.compile(
    r"[\u4e00-\u9fff]{2,8}?(?:中学|小学|幼儿园|学校|学院|大道|小区|社区|路|街|村|镇)"
)


def _jieba() -> jieba.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                # Imported on first use: jieba (with the pkg_resources it loads) and the
                # classifier's numpy added about 0.3 s of CPU to every process's start-up.
                with warnings.catch_warnings():
                    # jieba 0.42's patterns carry invalid escapes, reported when first compiled.
                    warnings.simplefilter("ignore", DeprecationWarning)
                    warnings.simplefilter("ignore", SyntaxWarning)
                    import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.load_userdict(str(USER_DICTIONARY))
                tokenizer.initialize()
                _tokenizer = tokenizer
    return _tokenizer


def normalise(text: str) -> str:
    """One line, phones dropped, every number the same token, cut to ``MAX_CHARS``."""
    text = " ".join(text[:MAX_CHARS].split())
    text = _PHONE.sub(" ", text)
    return _DIGITS.sub("0", text)


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    words = []
    for word in _jieba().lcut(normalise(text), HMM=False):
        word = word.strip()
        if not word or word in STOPWORDS or not _KEEP.fullmatch(word):
            continue
        if len(word) == 1 and not "\u4e00" <= word <= "\u9fff":
            continue
        words.append(word)
    return tuple(words)


def words(text: str) -> list[str]:
    """The words of ``text`` that may tell its matter, in order."""
    return list(_words(text))


# Words in nearly every request, and the names of schools (compared apart): left out of the
# shingles so two requests are alike by their matter, not by their framing.
_GENERIC = re.compile(
    r"[\u4e00-\u9fff]{0,4}?(?:中学|小学|学校|幼儿园)|[一二三四五六七八九]中|实小|职校|职高|特教"
    r"|学校|老师|学生|家长|孩子|我家|来电人?|反映|反应|请问|希望|要求|处理|核实|教育局|我们"
    r"|一下|没有|什么|每天|现在|问题|情况|有关部门|相关|示例市"
)


def school_aliases(name: str) -> list[str]:
    """The ways people write a school's short name: 第一中学 → 一中, 实验小学 → 实小,
    职业技术学校 → 职校/职高, 特殊教育学校 → 特教学校."""
    found = [name]
    match = re.fullmatch(r"第([一二三四五六七八九十]+)中学", name)
    if match:
        found.append(f"{match.group(1)}中")
    if name.endswith("小学") and len(name) == 4:
        found.append(name[0] + "小")
    if name.startswith("职业"):
        found += ["职校", "职高"]
    if name.startswith("特殊教育"):
        found += ["特教学校", "特教"]
    return found


def shingles(text: str, size: int = 2) -> frozenset[str]:
    """The character ``size``-grams of the Chinese and Latin runs of ``text``, without the
    generic words and school names (``_GENERIC``)."""
    runs = _KEEP.findall(_GENERIC.sub(" ", normalise(text)))
    grams: set[str] = set()
    for run in runs:
        if len(run) < size:
            continue
        grams.update(run[i : i + size] for i in range(len(run) - size + 1))
    return frozenset(grams)


def places(text: str) -> frozenset[str]:
    """Schools, roads, estates and villages the text names, each by its last three characters
    (第一中学 → 一中学, 人民路 → 人民路), so 门口人民路 and 人民路 are the same place."""
    return frozenset(match.group(0)[-3:] for match in _PLACE.finditer(text[:MAX_CHARS]))


# The matters people name in many words: a reworded request names the same concept.
CONCEPTS = {
    "补课": "补课 补习 辅导班 家教 培训班 补习班 兼职上课",
    "收费": "收费 收取 收了 交钱 费用 收钱 交了 抽成 抽取 有偿",
    "价格": "涨价 涨了 涨到 上涨 太贵 贵了 价格 价钱",
    "资料费": "资料费 教辅 试卷费 资料钱",
    "校服": "校服",
    "伙食费": "伙食费 饭钱",
    "住宿费": "住宿费",
    "退费": "退费 退钱 不退 退还",
    "实验班": "实验班 重点班",
    "交通": "堵车 拥堵 交通 红绿灯 斑马线 过马路 信号灯 过街 车辆 停满 乱停 机动车道",
    "摊贩": "摊贩 小摊 摊点 三无食品 零食 辣条",
    "网吧": "网吧 游戏厅 上网",
    "围墙": "围墙 墙体 外墙 倒塌",
    "校车": "校车 接送车 面包车",
    "超载": "超载 超员",
    "司机": "司机 驾驶员 开车",
    "手机": "打电话 手机 接打",
    "欺凌": "欺负 欺凌 霸凌 勒索 要钱 索要 打人 围殴",
    "体罚": "体罚 罚站 打了 打手心 动手",
    "骚扰": "动手动脚 不当 身体接触 暧昧",
    "辱骂": "骂 侮辱 嘲笑",
    "送礼": "送礼 礼物 礼品 购物卡 红包",
    "作业": "作业 写到 抄写",
    "考试": "考试 排名 月考 名次 考场",
    "晚自习": "晚自习 自习",
    "放学": "放学 接不了 托管 延时 课后服务",
    "周末": "周末 周六 周日 双休 寒假 暑假 假期",
    "食堂": "食堂 饭菜 午饭 午餐 伙食 营养餐 吃不饱 分量",
    "虫子": "虫子 老鼠 苍蝇 变质 发臭",
    "中毒": "腹泻 拉肚子 呕吐 上吐下泻 中毒 肚子疼",
    "饮水": "饮水 直饮水 喝水 饮水机",
    "厕所": "厕所 卫生间",
    "体育课": "体育课 体育",
    "实习": "实习 顶岗 工厂 电子厂 流水线",
    "就业": "就业 包分配 分配工作 找工作",
    "实训": "实训 设备",
    "转学": "转学 转学证明",
    "学籍": "学籍",
    "入学": "入学 上学 划片 学位 报名 小升初 一年级 录取 分数线 摇号",
    "随迁": "随迁 外地 外来务工 户籍 居住证",
    "班额": "班额 太挤 八十人 七十多 人数",
    "助学金": "助学金 补助 资助 贷款",
    "奖学金": "奖学金 获奖 评优",
    "职称": "职称",
    "工资": "工资 绩效 补贴 津贴",
    "康复": "康复",
    "培训机构": "培训机构 跑路 跑了 机构",
    "托管": "托管 无证 资质",
    "消防": "消防 火灾 电线 灭火器",
    "图书馆": "图书馆 图书室",
}
_CONCEPT_WORDS = [(w, c) for c, ws in CONCEPTS.items() for w in ws.split()]
# Where or when something happened rather than what: compared only when a text names no matter.
SETTINGS = frozenset({"食堂", "周末", "放学"})


def concepts(text: str) -> frozenset[str]:
    """The matters (``CONCEPTS``) a text names, whatever words it uses for them."""
    return frozenset(concept for word, concept in _CONCEPT_WORDS if word in text)
