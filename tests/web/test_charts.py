"""The shared bar chart: geometry, axis labels, hover values, the table and the no-data state."""

from __future__ import annotations

import itertools
import re

from django.template.loader import render_to_string
from django.utils import translation

from xiaoneng.web.charts import BASELINE, TOP, bar_chart, nice_top

MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


def test_nice_top_rounds_up_to_a_round_number() -> None:
    assert [nice_top(v) for v in (0, 1, 2.5, 7, 23, 100, 101)] == [1, 1, 3, 8, 30, 100, 200]


def test_bars_fill_the_plot_proportionally_and_stay_inside_it() -> None:
    chart = bar_chart("Rate", "%", [("a", 50.0), ("b", 100.0), ("c", None), ("d", 150.0)], 100)
    plot = BASELINE - TOP
    heights = [bar.height for bar in chart.bars]
    assert heights == [round(plot / 2, 1), plot, 0.0, plot]
    assert [bar.display for bar in chart.bars] == ["50", "100", "—", "150"]
    assert [bar.text for bar in chart.bars] == ["50%", "100%", "—", "150%"]
    slots = [(bar.slot_x, bar.slot_x + bar.slot_width) for bar in chart.bars]
    assert slots[0][0] == chart.left
    assert round(slots[-1][1]) == chart.right
    assert all(a[1] == b[0] for a, b in itertools.pairwise(slots))
    assert [line.text for line in chart.grid] == ["0", "50", "100"]
    assert chart.y_label == "%"


def test_months_are_short_ticks_with_the_year_where_it_starts() -> None:
    points = [(f"2025-{m:02d}", 1.0) for m in (11, 12)] + [("2026-01", 2.0), ("2026-02", 0.0)]
    chart = bar_chart("Cases", "", points, 2, x_label="Month", y_label="Number of cases")
    assert [(bar.tick, bar.group) for bar in chart.bars] == [
        ("11", "2025"),
        ("12", ""),
        ("01", "2026"),
        ("02", ""),
    ]
    assert [bar.label for bar in chart.bars] == [label for label, _v in points]
    assert not chart.empty


def test_no_value_above_zero_is_an_empty_chart() -> None:
    assert bar_chart("Rate", "%", [(m, None) for m in MONTHS], 100).empty
    assert bar_chart("Cases", "", [(m, 0.0) for m in MONTHS], 1).empty
    assert bar_chart("Cases", "", [], 1).empty


def _render(chart: object) -> str:
    return render_to_string("web/_chart.html", {"chart": chart})


def test_the_chart_has_a_title_axes_hover_values_and_a_table() -> None:
    points = [(m, float(i)) for i, m in enumerate(MONTHS)]
    with translation.override("zh-hans"):
        chart = bar_chart("受理件数", "", points, 11, x_label="月份", y_label="件数")
        html = _render(chart)
    assert "<figcaption" in html
    assert "受理件数" in html
    assert 'role="img"' in html
    assert "数据另见下方表格" in html
    # Axis labels: the unit over the y-axis, the grid values, the month under the x-axis.
    assert ">件数</text>" in html
    assert ">月份</text>" in html
    assert re.search(r">\s*12\s*</text>", html)  # the top grid line (nice top of 11)
    # Each bar tells its value on hover, and the same figures are in a table.
    assert html.count("<title>") == 1 + len(MONTHS)
    assert "<title>2026-03: 2</title>" in html
    assert "<details" in html
    assert "以表格查看数据" in html
    rows = re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', html)
    assert rows == [(m, str(i)) for i, m in enumerate(MONTHS)]


def test_an_empty_chart_says_so_instead_of_drawing_axes() -> None:
    with translation.override("en"):
        html = _render(bar_chart("Satisfaction rate (%)", "%", [(m, None) for m in MONTHS], 100))
    assert "Satisfaction rate (%)" in html
    assert 'data-testid="chart-empty"' in html
    assert "No figures to show for these months yet." in html
    assert "<svg" not in html
    assert "<table" not in html
