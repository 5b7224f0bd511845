"""Chinese line-breaking for the official documents (the rules of 避头尾 in GB/T 15834 usage).

A line never starts with closing punctuation (，。、；：？！）」…) and never ends with opening
punctuation (（「《“…); a run of Latin letters or digits (a year, a number, a word) is not cut
when it can move whole to the next line. When the character that would start the next line may
not start one, the last character of this line moves down with it (推出), which keeps every
line inside the type area; the renderer then spreads the shorter line to the full width. Text
that cannot obey (a long run of punctuation) is cut where a line at least half full can end.
"""

from __future__ import annotations

from collections.abc import Callable

# May not start a line: closing and pausing punctuation, full and half width.
NO_START = frozenset("，。、；：？！）》」』】〕〉”’…—·％‰,.;:?!)]}%>〗｝］")
# May not end a line: opening punctuation.
NO_END = frozenset("（《「『【〔〈“‘([{<〖｛［")


def _alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _adjust(text: str, start: int, cut: int) -> int:
    """Move the cut (the index where the next line starts) back until both lines obey the rules,
    as long as the line keeps at least one character."""
    for _ in range(len(text)):
        moved = cut
        if cut < len(text) and text[cut] in NO_START and cut - 1 > start:
            cut -= 1
        if text[cut - 1] in NO_END and cut - 1 > start:
            cut -= 1
        if cut < len(text) and _alnum(text[cut]) and _alnum(text[cut - 1]):
            run = cut
            while run > start and _alnum(text[run - 1]):
                run -= 1
            if run > start:
                cut = run
        if cut == moved:
            return cut
    return cut


def break_paragraph(
    text: str, *, width: float, measure: Callable[[str], float], indent: float = 0.0
) -> list[str]:
    """The lines of one paragraph: each fits ``width`` (the first after ``indent``), measured
    one character at a time by ``measure``; a newline in the text forces a break."""
    lines: list[str] = []
    for part in text.split("\n"):
        lines.extend(_break(part, width=width, measure=measure, indent=indent if not lines else 0))
    return lines


def _break(text: str, *, width: float, measure: Callable[[str], float], indent: float) -> list[str]:
    if not text:
        return [""]
    lines: list[str] = []
    start, available = 0, width - indent
    while start < len(text):
        used, cut = 0.0, start
        while cut < len(text) and (used + measure(text[cut]) <= available + 0.01 or cut == start):
            used += measure(text[cut])
            cut += 1
        if cut < len(text):
            adjusted = _adjust(text, start, cut)
            # Text that is nearly all punctuation cannot obey: keep the line at least half full.
            cut = adjusted if adjusted - start >= (cut - start) / 2 else cut
        lines.append(text[start:cut])
        start, available = cut, width
    return lines
