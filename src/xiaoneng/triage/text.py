"""Reading a request's words: Chinese word segmentation (jieba, with a user dictionary of
education terms), character shingles for near-duplicates, and the places a text names."""

from __future__ import annotations

import logging
import re
import threading
import warnings
from functools import lru_cache
from pathlib import Path

with warnings.catch_warnings():
    # jieba 0.42's patterns carry invalid escapes, reported when it is first compiled.
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.simplefilter("ignore", SyntaxWarning)
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
    "的 了 是 我 你 他 她 们 我们 你们 他们 在 有 和 与 及 或 也 都 就 还 又 很 太 吧 吗 呢 啊 呀 "
    "一个 这个 那个 这 那 什么 怎么 为什么 请问 您好 你好 谢谢 麻烦 请 希望 能 能否 是否 "
    "有关 部门 相关 情况 问题 反映 反应 一下 现在 已经 没有 不 没 要 让 把 被 给 对 说 "
    "学校 孩子 家长 我家 示例 市 学生 本人 "
    "去 来 到 从 向 为 以 等 上 下 中 里 后 前 年 月 日 号 元 块 个 次 0".split()
)
_PLACE = re.compile(
    r"[\u4e00-\u9fff]{2,8}?(?:中学|小学|幼儿园|学校|学院|大道|小区|社区|路|街|村|镇)"
)


def _jieba() -> jieba.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
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


def shingles(text: str, size: int = 2) -> frozenset[str]:
    """The character ``size``-grams of the Chinese and Latin runs of ``text``."""
    runs = _KEEP.findall(normalise(text))
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
