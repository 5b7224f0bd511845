"""Bar charts drawn on the server: the template (web/_chart.html) renders the SVG from the
geometry here, so no script is needed (the public figures, the assessment dashboard, the
targets board).

Every chart has a title, a y-axis with three labelled grid lines and the unit, an x-axis with a
label under each bar (a month "2026-01" is written "01", with the year on a second line under
the first bar and under each January), the value over each bar and in each bar's hover text,
and the same figures as a table for screen readers and for anyone who prefers to read them.
A chart with nothing to show says so instead of drawing empty axes.

The drawing is 360 by 220 units: at a phone's width (about 330 px for the chart) one unit is
about one pixel, so the 11-unit labels read at about 10 px; the page's CSS caps the width of a
chart on wide screens so that the labels never grow past about 17 px.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

WIDTH = 360
HEIGHT = 220
LEFT = 40  # room for the y-axis labels
RIGHT = 8
TOP = 30  # room for the unit over the y-axis and the value over the tallest bar
BASELINE = 164.0
TICK_Y = BASELINE + 15
GROUP_Y = BASELINE + 29
AXIS_LABEL_Y = HEIGHT - 4
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Bar:
    label: str  # the full label, for the hover text and the table ("2026-01")
    tick: str  # what is written under the bar ("01")
    group: str  # a second line under the bar, where a new year starts ("2026"), else ""
    value: float | None
    display: str
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float
    slot_x: float  # the bar's whole slot, which carries the hover text even for a zero bar
    slot_width: float
    unit: str = ""

    @property
    def text(self) -> str:
        """The value with its unit, for the hover text and the table ("91.7%", "—")."""
        return self.display if self.value is None else f"{self.display}{self.unit}"


@dataclass(frozen=True)
class GridLine:
    y: float
    text: str


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    bars: list[Bar]
    x_label: str = ""
    y_label: str = ""
    grid: tuple[GridLine, ...] = ()
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = BASELINE
    left: int = LEFT
    right: int = WIDTH - RIGHT
    tick_y: float = TICK_Y
    group_y: float = GROUP_Y
    axis_label_y: float = AXIS_LABEL_Y
    axis_label_x: float = (LEFT + WIDTH - RIGHT) / 2
    grid_text_x: int = LEFT - 5
    plot_top: int = TOP
    plot_height: float = BASELINE - TOP

    @property
    def empty(self) -> bool:
        """Nothing to draw: no bar, or no bar with a value above zero."""
        return not any(bar.value for bar in self.bars)


def nice_top(value: float) -> float:
    """The smallest of 1, 2, 3, 4, 5, 6 or 8 × 10^k at or above ``value`` (at least 1): half of
    it, the middle grid line, is a whole number for every top above 3."""
    if value <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 3, 4, 5, 6, 8, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def _ticks(labels: list[str]) -> list[tuple[str, str]]:
    """A short tick and a group line for each label: months are written "01" with the year
    under the first bar and under each January; other labels are kept as they are."""
    ticks: list[tuple[str, str]] = []
    for index, label in enumerate(labels):
        match = MONTH.match(label)
        if match is None:
            ticks.append((label, ""))
            continue
        year, month = match.groups()
        ticks.append((month, year if index == 0 or month == "01" else ""))
    return ticks


def bar_chart(
    title: str,
    unit: str,
    points: list[tuple[str, float | None]],
    top: float,
    *,
    x_label: str = "",
    y_label: str = "",
) -> Chart:
    """Bar geometry for the template. ``unit`` is written after each value ("%") and is empty
    for counts; ``top`` is the value at the top of the plot (100 for rates), rounded up to a
    round number; ``y_label`` names what the bars measure, ``x_label`` what the bars are."""
    top = nice_top(top)
    plot = BASELINE - TOP
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(points))
    ticks = _ticks([label for label, _value in points])
    bars = []
    for index, ((label, value), (tick, group)) in enumerate(zip(points, ticks, strict=True)):
        shown = max(0.0, value or 0.0)
        height = min(plot, plot * shown / top)
        slot_x = LEFT + index * slot
        x = slot_x + slot * 0.15
        display = "—" if value is None else _number(round(value, 1))
        bars.append(
            Bar(
                label=label,
                tick=tick,
                group=group,
                value=value,
                display=display,
                x=round(x, 1),
                y=round(BASELINE - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                text_x=round(slot_x + slot / 2, 1),
                text_y=round(BASELINE - height - 4, 1),
                slot_x=round(slot_x, 1),
                slot_width=round(slot, 1),
                unit=unit,
            )
        )
    grid = tuple(
        GridLine(y=round(BASELINE - plot * share, 1), text=_number(top * share))
        for share in (0.0, 0.5, 1.0)
    )
    return Chart(
        title=title, unit=unit, bars=bars, x_label=x_label, y_label=y_label or unit, grid=grid
    )
