"""Bar charts drawn on the server: the template renders the SVG from the geometry here, so no
script is needed (the public figures, the assessment dashboard, the targets board)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    bars: list[Bar]
    width: int = 360
    height: int = 190
    baseline: float = 160


def bar_chart(title: str, unit: str, points: list[tuple[str, float | None]], top: float) -> Chart:
    """Bar geometry for the template: the SVG is drawn on the server, no script needed."""
    width, left, right, baseline, plot = 360, 6, 6, 160.0, 130.0
    slot = (width - left - right) / max(1, len(points))
    bars = []
    for index, (label, value) in enumerate(points):
        shown = value or 0.0
        height = plot * shown / top if top else 0.0
        x = left + index * slot + slot * 0.15
        display = "—" if value is None else (f"{value:g}" if unit else f"{int(value)}")
        bars.append(
            Bar(
                label=label,
                value=shown,
                display=display,
                x=round(x, 1),
                y=round(baseline - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                text_x=round(x + slot * 0.35, 1),
                text_y=round(baseline - height - 4, 1),
            )
        )
    return Chart(title=title, unit=unit, bars=bars)
