"""SVG charts: exact geometry for small inputs, suppressed values, well-formed markup.

Layout constants (see ``charts``): plot from y=28 (top) to y=228 (bottom), x from the left
margin (at least 40) to 704; a character is estimated 7.2 units wide.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from amtshilfe.indicators import charts
from amtshilfe.indicators.figures import Figure, Series

SVG = "{http://www.w3.org/2000/svg}"


def figure(kind, categories, *series, unit=""):
    return Figure(
        key="t",
        title="Test <&>",
        explanation="",
        unit=unit,
        chart=kind,
        categories=list(categories),
        series=[Series(f"s{i}", f"Reihe {i}", list(values)) for i, values in enumerate(series)],
    )


def rounded(items):
    return [
        tuple(round(v, 2) if isinstance(v, float) else v for v in vars(i).values()) for i in items
    ]


def parse(figure_, chart_id="c"):
    return ET.fromstring(charts.chart_svg(figure_, chart_id=chart_id))


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


def test_it_picks_round_ticks():
    assert charts.nice_ticks(0, 10, integer=True) == [0, 5, 10]
    assert charts.nice_ticks(-3, 7, integer=True) == [-5, 0, 5, 10]
    assert charts.nice_ticks(0, 0.8) == [0, 0.2, 0.4, 0.6, 0.8]
    assert charts.nice_ticks(0, 1234, integer=True) == [0, 500, 1000, 1500]
    assert charts.nice_ticks(0, 3, integer=True) == [0, 1, 2, 3]
    # Nothing to show: still an axis, and integer data never gets fractional ticks.
    assert charts.nice_ticks(0, 0, integer=True) == [0, 1]
    assert charts.nice_ticks(0, 0.3, integer=True) == [0, 1]


def test_it_formats_coordinates_with_a_dot_and_labels_in_german():
    assert charts.coord(73.2) == "73.2"
    assert charts.coord(161.3333) == "161.33"
    assert charts.coord(-0.001) == "0"
    assert charts.coord(200.0) == "200"
    assert charts.value_display(1234.56) == "1.234,6"
    assert charts.value_display(1234) == "1.234"
    assert charts.value_display(None) == "–"
    chart = charts.layout(figure("bar", ["A"], [0.8]))
    assert [t.label for t in chart.ticks] == ["0,0", "0,2", "0,4", "0,6", "0,8"]


def test_it_lays_out_bars_and_draws_a_suppressed_value_as_a_gap():
    chart = charts.layout(figure("bar", ["A", "B"], [10, None]))
    assert chart.plot == (40.0, 28.0, 704.0, 228.0)
    assert [(t.value, t.position, t.label) for t in chart.ticks] == [
        (0, 228.0, "0"),
        (5, 128.0, "5"),
        (10, 28.0, "10"),
    ]
    assert rounded(chart.bars) == [(0, 0, 73.2, 28.0, 265.6, 200.0, 10.0)]
    assert rounded(chart.gaps) == [(0, 1, 405.2, 28.0, 265.6, 200.0, 538.0, 223.0)]
    values = [(round(lab.x, 2), lab.y, lab.text) for lab in chart.labels if lab.kind == "value"]
    assert values == [(206.0, 24.0, "10")]  # no value label (and no "0") for B
    categories = [(lab.x, lab.y, lab.text) for lab in chart.labels if lab.kind == "category"]
    assert categories == [(206.0, 246.0, "A"), (538.0, 246.0, "B")]
    assert [(i.series, i.label, i.y) for i in chart.legend] == [
        (-1, "– = weniger als 5, nicht angezeigt", 270.0)
    ]
    assert chart.height == 278.0


def test_it_keeps_long_outer_category_labels_inside_and_thins_crowded_ones():
    days = [f"{day}. September 2026" for day in range(1, 31)]
    chart = charts.layout(figure("line", days, list(range(30))))
    labels = [(lab.text, lab.anchor) for lab in chart.labels if lab.kind == "category"]
    # The longest label has 18 characters: 18 × 7.2 + 8 = 137.6 units; a band is
    # 664 / 30 = 22.13 units, so every 7th label is shown.
    assert [text for text, _anchor in labels] == [days[i] for i in (0, 7, 14, 21, 28)]
    assert labels[0] == ("1. September 2026", "start")
    assert labels[-1] == ("29. September 2026", "end")
    outer = [lab.x for lab in chart.labels if lab.kind == "category"]
    assert (outer[0], outer[-1]) == (2, 718)


def test_it_draws_negative_bars_below_the_zero_line():
    chart = charts.layout(figure("bar", ["A", "B"], [-3, 7]))
    assert [t.value for t in chart.ticks] == [-5, 0, 5, 10]
    assert round(chart.zero, 2) == 161.33
    assert [(round(b.y, 2), round(b.height, 2), b.value) for b in chart.bars] == [
        (161.33, 40.0, -3.0),
        (68.0, 93.33, 7.0),
    ]


def test_it_draws_zero_as_a_flat_bar_not_as_a_gap():
    chart = charts.layout(figure("bar", ["A", "B"], [0, 0]))
    assert [t.value for t in chart.ticks] == [0, 1]
    assert [(b.y, b.height) for b in chart.bars] == [(228.0, 0.0), (228.0, 0.0)]
    assert chart.gaps == [] and chart.legend == []


def test_it_draws_only_gaps_when_everything_is_suppressed():
    chart = charts.layout(figure("bar", ["A", "B"], [None, None]))
    assert chart.bars == []
    assert [(g.category, g.height) for g in chart.gaps] == [(0, 200.0), (1, 200.0)]
    svg = parse(figure("bar", ["A", "B"], [None, None]))
    assert len(svg.findall(f"{SVG}rect[@class='chart-bar']")) == 0
    assert len(svg.findall(f"{SVG}rect[@class='chart-gap']")) == 2


def test_it_groups_bars_of_several_series():
    chart = charts.layout(figure("bar", ["A"], [4], [2]))
    # band 664, group 531.2 wide, each bar 265.6
    assert rounded(chart.bars) == [
        (0, 0, 106.4, 28.0, 265.6, 200.0, 4.0),
        (1, 0, 372.0, 128.0, 265.6, 100.0, 2.0),
    ]
    assert [(i.series, i.label) for i in chart.legend] == [(0, "Reihe 0"), (1, "Reihe 1")]


def test_it_breaks_a_line_at_a_suppressed_point():
    chart = charts.layout(figure("line", ["A", "B", "C"], [1, None, 3], [2, 2, 2]))
    first, second = chart.lines
    assert [[(round(x, 2), round(y, 2)) for x, y in run] for run in first.runs] == [
        [(150.67, 161.33)],
        [(593.33, 28.0)],
    ]
    assert len(second.runs) == 1 and len(second.runs[0]) == 3
    assert chart.gaps == []  # the other line has its point there
    assert [i.series for i in chart.legend] == [0, 1, -1]
    both = charts.layout(figure("line", ["A", "B", "C"], [1, None, 3], [2, None, 2]))
    assert [(g.series, g.category) for g in both.gaps] == [(-1, 1)]


def test_it_stacks_bars_and_leaves_a_column_with_a_suppressed_part_out():
    chart = charts.layout(figure("stacked_bar", ["A", "B"], [2, None], [3, 1]))
    assert [t.value for t in chart.ticks] == [0, 2, 4, 6]  # from column A only
    assert rounded(chart.bars) == [
        (0, 0, 106.4, 161.33, 199.2, 66.67, 2),
        (1, 0, 106.4, 61.33, 199.2, 100.0, 3),
    ]
    assert [(g.series, g.category, round(g.x, 2)) for g in chart.gaps] == [(-1, 1, 438.4)]


def test_it_stacks_areas_in_runs_of_complete_columns():
    chart = charts.layout(
        figure("stacked_area", ["A", "B", "C", "D"], [1, 2, None, 2], [1, 1, 1, 1])
    )
    # Runs A–B and D (a lone column gets a narrow band); series 0 then 1 in each run.
    assert [(a.series, len(a.points)) for a in chart.areas] == [(0, 4), (1, 4), (0, 4), (1, 4)]
    ticks = [t.value for t in chart.ticks]
    assert ticks == [0, 1, 2, 3]
    band = 166.0
    lower, upper = chart.areas[0], chart.areas[1]
    assert [(round(x, 2), round(y, 2)) for x, y in lower.points] == [
        (40 + band * 0.5, 161.33),
        (40 + band * 1.5, 94.67),
        (40 + band * 1.5, 228.0),
        (40 + band * 0.5, 228.0),
    ]
    assert [(round(x, 2), round(y, 2)) for x, y in upper.points][:2] == [
        (123.0, 94.67),
        (289.0, 28.0),
    ]
    assert [(g.series, g.category) for g in chart.gaps] == [(-1, 2)]


def test_it_lays_out_horizontal_bars():
    chart = charts.layout(figure("hbar", ["Drucker", "E-Akte"], [4, None]))
    assert tuple(round(p, 2) for p in chart.plot) == (66.4, 28.0, 656.0, 76.0)
    assert [t.value for t in chart.ticks] == [0, 1, 2, 3, 4]
    assert rounded(chart.bars) == [(0, 0, 66.4, 33.0, 589.6, 12.0, 4.0)]
    assert [(g.category, round(g.x, 2), g.y, round(g.width, 2)) for g in chart.gaps] == [
        (1, 66.4, 57.0, 589.6)
    ]
    names = [(lab.text, lab.anchor) for lab in chart.labels if lab.kind == "category"]
    assert names == [("Drucker", "end"), ("E-Akte", "end")]


@pytest.mark.parametrize("kind", ["bar", "hbar", "line", "stacked_bar", "stacked_area"])
def test_it_writes_well_formed_accessible_svg(kind):
    f = figure(kind, ["Jan", "Feb", "Mär"], [1.5, None, 3], [2, 0, -1], unit="Std.")
    svg = parse(f, chart_id="diagramm-t")
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "diagramm-t-title"
    assert svg.find(f"{SVG}title").text == "Test <&>"
    desc = svg.find(f"{SVG}desc").text
    assert "3 Kategorien (Jan – Mär)" in desc and "1 Wert aus Datenschutzgründen" in desc
    # Coordinates never carry a locale comma.
    for element in svg.iter():
        for name in ("x", "y", "width", "height", "x1", "y1", "cx", "cy"):
            value = element.get(name)
            if value is not None:
                float(value)
    # Every pattern that is used is defined, ids are prefixed.
    ids = {e.get("id") for e in svg.iter() if e.get("id")}
    assert all(i.startswith("diagramm-t-") for i in ids)
    used = {e.get("fill")[5:-1] for e in svg.iter() if (e.get("fill") or "").startswith("url(")}
    assert used <= ids
    assert any(t.text == "Std." for t in svg.iter(f"{SVG}text"))


def test_it_tells_series_apart_without_colour():
    bars = parse(figure("bar", ["A"], [1], [2], [3]))
    fills = [r.get("fill") for r in bars.iter(f"{SVG}rect") if r.get("class") == "chart-bar"]
    assert fills == ["#0b5394", "url(#c-s1)", "url(#c-s2)"]  # solid, then hatched patterns
    lines = parse(figure("line", ["A", "B"], [1, 2], [2, 3]))
    paths = [p for p in lines.iter(f"{SVG}path") if p.get("class") == "chart-line"]
    assert [p.get("stroke-dasharray") for p in paths] == [None, "7 4"]
    assert len(list(lines.iter(f"{SVG}circle"))) == 2 + 1  # series 0 markers + legend
    assert len(list(lines.iter(f"{SVG}rect"))) == 2 + 1  # series 1: squares


def test_it_has_no_chart_for_table_only_or_empty_figures():
    assert charts.chart_svg(figure("", ["A"], [1]), chart_id="c") == ""
    assert charts.chart_svg(figure("bar", [], []), chart_id="c") == ""
    with pytest.raises(ValueError, match="differ in length"):
        charts.layout(figure("bar", ["A", "B"], [1]))


def test_it_escapes_text():
    svg = str(charts.chart_svg(figure("hbar", ["<script>"], [1]), chart_id="c"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
