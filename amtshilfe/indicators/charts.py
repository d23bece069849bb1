"""Charts of a ``Figure`` as SVG, drawn on the server (no JavaScript, no front-end library).

Every ``ChartKind`` has a layout function that turns the figure's numbers into geometry
(``Chart``: bars, gaps, lines, areas, ticks, labels, legend – floats in SVG user units), and
``render`` turns that geometry into markup. ``chart_svg`` does both. The same numbers are
always printed as a table next to the chart; the SVG is ``role="img"`` with ``<title>`` and
``<desc>``.

Rules the drawing keeps:

1. Coordinates are written with ``.`` (Python formatting, never the locale), so a German
   locale cannot turn ``12.5`` into ``12,5`` inside an attribute. Tick and value *labels* are
   text and use the language's number format.
2. Value axes start at zero and end at a "nice" round number (1, 2 or 5 × 10ⁿ steps); integer
   data never gets fractional ticks.
3. A suppressed value (``None``, group smaller than k) is drawn as a hatched gap with "–",
   never as a zero bar; a line breaks there (hatched where every line lacks its point); a
   stacked column or area with any suppressed part is a gap as a whole (its height would
   reveal the missing value).
4. Series differ not only by colour (all colours ≥ 4.5:1 against white) but by fill pattern
   (bars, areas) or dash pattern and marker shape (lines), repeated in the legend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from amtshilfe.indicators.figures import Figure, Value, min_group_size

WIDTH = 720.0
PLOT_HEIGHT = 200.0
TOP = 28.0  # room for the unit above the value axis
RIGHT_PAD = 16.0
FONT = 12
CHAR = 0.6 * FONT  # estimated width of one character
MIN_LEFT = 40.0
HBAR_ROW = 14.0  # height of one horizontal bar
HBAR_GAP = 10.0  # space between categories
HBAR_LABEL_MAX = 220.0
HBAR_VALUE_ROOM = 64.0
LEGEND_SWATCH = 14.0
LEGEND_ROW = 20.0
LABEL_MAX_CHARS = 18

TEXT_COLOUR = "#1b1f24"
AXIS_COLOUR = "#4a5360"
GRID_COLOUR = "#d5dbe1"
GAP_BACKGROUND = "#f4f6f8"
# All at least 4.5:1 against white (WCAG 1.4.11 needs 3:1), neighbours differ in hue.
PALETTE = [
    "#0b5394",  # blue
    "#a34700",  # orange-brown
    "#1e6b34",  # green
    "#6a3d9a",  # purple
    "#a4161a",  # red
    "#00707a",  # teal
    "#4a5360",  # grey
    "#7a5c00",  # olive
]
# Fill patterns (white strokes on the series colour), one per series.
PATTERNS = ["", "M0,8 L8,0", "M0,4 L8,4", "M4,0 L4,8", "M0,0 L8,8", "M0,4 L8,4 M4,0 L4,8"]
DASHES = ["", "7 4", "2 3", "10 3 2 3", "4 2", "1 4"]
MARKERS = ["circle", "square", "triangle", "diamond", "triangle_down", "cross"]
KIND_NAMES = {
    "bar": gettext_lazy("Säulendiagramm"),
    "hbar": gettext_lazy("Balkendiagramm"),
    "line": gettext_lazy("Liniendiagramm"),
    "stacked_bar": gettext_lazy("gestapeltes Säulendiagramm"),
    "stacked_area": gettext_lazy("gestapeltes Flächendiagramm"),
}


def coord(value: float) -> str:
    """A coordinate for an SVG attribute: at most two decimals, always with ``.``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


@dataclass(frozen=True)
class Scale:
    """Maps a value in ``[low, high]`` linearly to a pixel in ``[start, end]``."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        return self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start)


@dataclass(frozen=True)
class Tick:
    value: float
    position: float  # y for vertical charts, x for hbar
    label: str


@dataclass(frozen=True)
class Bar:
    series: int
    category: int
    x: float
    y: float
    width: float
    height: float
    value: float


@dataclass(frozen=True)
class Gap:
    """A suppressed value (or stacked column) – hatched, with "–" at ``(text_x, text_y)``."""

    series: int  # -1 = the whole category (stacked kinds, line)
    category: int
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Line:
    """One series as connected runs of points (a suppressed point breaks the line)."""

    series: int
    runs: list[list[tuple[float, float]]]


@dataclass(frozen=True)
class Area:
    """One band of a stacked area: upper edge left to right, then lower edge right to left."""

    series: int
    points: list[tuple[float, float]]


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    kind: str = "category"  # category | value | unit | legend


@dataclass(frozen=True)
class LegendItem:
    series: int  # -1 = the suppression swatch
    label: str
    x: float
    y: float


@dataclass
class Chart:
    kind: str
    width: float
    height: float
    plot: tuple[float, float, float, float]  # left, top, right, bottom
    ticks: list[Tick] = field(default_factory=list)
    zero: float = 0.0  # pixel of the zero line
    bars: list[Bar] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    series_count: int = 0


# --- numbers ------------------------------------------------------------------------------


def _nice_step(raw: float) -> float:
    exponent = math.floor(math.log10(raw))
    fraction = raw / 10**exponent
    nice = 1 if fraction <= 1 else 2 if fraction <= 2 else 5 if fraction <= 5 else 10
    return nice * 10.0**exponent


def nice_ticks(low: float, high: float, *, integer: bool = False, count: int = 5) -> list[float]:
    """Round tick values covering ``[min(low, 0), max(high, 0)]`` in about ``count`` steps."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1
    step = _nice_step((high - low) / (count - 1))
    if integer:
        step = max(step, 1.0)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    steps = round((last - first) / step)
    return [round(first + index * step, 10) for index in range(steps + 1)]


def _decimals(step: float) -> int:
    if float(step).is_integer():
        return 0
    return min(3, max(0, -math.floor(math.log10(step) + 1e-9)))


def format_number(value: float, decimals: int = 0) -> str:
    """A number for people: the language's decimal and thousands separators."""
    return number_format(round(value, decimals), decimal_pos=decimals, force_grouping=True)


def value_display(value: Value) -> str:
    """How a table, chart label or export shows one value; ``None`` is "–"."""
    if value is None:
        return "–"
    if isinstance(value, int) or float(value).is_integer():
        return format_number(value, 0)
    return format_number(value, 1)


def _known(values: list[Value]) -> list[float]:
    return [float(v) for v in values if v is not None]


def _is_integer(values: list[float]) -> bool:
    return all(v.is_integer() for v in values)


def _shorten(text: str, limit: int = LABEL_MAX_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- layouts ------------------------------------------------------------------------------


def _value_axis(values: list[float], start: float, end: float) -> tuple[Scale, list[Tick]]:
    ticks = nice_ticks(
        min(values, default=0.0), max(values, default=0.0), integer=_is_integer(values)
    )
    scale = Scale(ticks[0], ticks[-1], start, end)
    decimals = _decimals(ticks[1] - ticks[0]) if len(ticks) > 1 else 0
    return scale, [Tick(t, scale(t), format_number(t, decimals)) for t in ticks]


def _vertical_frame(
    figure: Figure, values: list[float]
) -> tuple[Chart, Scale, float, float, float]:
    """Frame of the charts with categories along x: chart, value scale, left, band, bottom."""
    bottom = TOP + PLOT_HEIGHT
    scale, ticks = _value_axis(values, bottom, TOP)
    left = max(MIN_LEFT, max(len(t.label) for t in ticks) * CHAR + 12)
    right = WIDTH - RIGHT_PAD
    band = (right - left) / max(1, len(figure.categories))
    chart = Chart(
        kind=figure.chart,
        width=WIDTH,
        height=bottom + 26,  # category labels
        plot=(left, TOP, right, bottom),
        ticks=ticks,
        zero=scale(0),
        series_count=len(figure.series),
    )
    if figure.unit:
        chart.labels.append(Label(left, TOP - 12, figure.unit, anchor="start", kind="unit"))
    _category_labels(chart, figure.categories, left, band, bottom + 18)
    return chart, scale, left, band, bottom


def _category_labels(
    chart: Chart, categories: list[str], left: float, band: float, y: float
) -> None:
    """Category names under the plot; every n-th one when they would overlap."""
    shown = [_shorten(c) for c in categories]
    widest = max((len(c) for c in shown), default=0) * CHAR + 8
    every = max(1, math.ceil(widest / band)) if band > 0 else 1
    for index, text in enumerate(shown):
        if index % every == 0:
            x, half = left + band * (index + 0.5), len(text) * CHAR / 2
            if x - half < 2:  # keep the outer labels inside the picture
                chart.labels.append(Label(2, y, text, anchor="start"))
            elif x + half > chart.width - 2:
                chart.labels.append(Label(chart.width - 2, y, text, anchor="end"))
            else:
                chart.labels.append(Label(x, y, text))


def _gap(series: int, category: int, x: float, width: float, top: float, bottom: float) -> Gap:
    return Gap(series, category, x, top, width, bottom - top, x + width / 2, bottom - 5)


def layout_bar(figure: Figure) -> Chart:
    """Vertical bars, one group per category, one bar per series."""
    values = [v for s in figure.series for v in _known(s.values)]
    chart, scale, left, band, bottom = _vertical_frame(figure, values)
    count = max(1, len(figure.series))
    bar_width = band * 0.8 / count
    single = count == 1 and len(figure.categories) <= 12
    for category in range(len(figure.categories)):
        for index, series in enumerate(figure.series):
            x = left + category * band + band * 0.1 + index * bar_width
            value = series.values[category]
            if value is None:
                chart.gaps.append(_gap(index, category, x, bar_width, TOP, bottom))
                continue
            y0, y1 = chart.zero, scale(float(value))
            bar = Bar(index, category, x, min(y0, y1), bar_width, abs(y1 - y0), float(value))
            chart.bars.append(bar)
            if single:
                text_y = y1 - 4 if value >= 0 else y1 + 14
                chart.labels.append(
                    Label(x + bar_width / 2, text_y, value_display(value), kind="value")
                )
    return chart


def _stack(values: list[float]) -> list[tuple[float, float]]:
    """(from, to) of each part: positives stacked up from 0, negatives down from 0."""
    up = down = 0.0
    parts = []
    for value in values:
        if value >= 0:
            parts.append((up, up + value))
            up += value
        else:
            parts.append((down, down + value))
            down += value
    return parts


def _columns(figure: Figure) -> list[list[Value]]:
    return [[s.values[c] for s in figure.series] for c in range(len(figure.categories))]


def _stack_extent(figure: Figure) -> list[float]:
    extent: list[float] = []
    for column in _columns(figure):
        if any(v is None for v in column):
            continue
        parts = _stack([float(v) for v in column if v is not None])
        extent += [p for part in parts for p in part]
    return extent


def layout_stacked_bar(figure: Figure) -> Chart:
    chart, scale, left, band, bottom = _vertical_frame(figure, _stack_extent(figure))
    width = band * 0.6
    for category, column in enumerate(_columns(figure)):
        x = left + category * band + band * 0.2
        if any(v is None for v in column):
            chart.gaps.append(_gap(-1, category, x, width, TOP, bottom))
            continue
        numbers = [float(v) for v in column if v is not None]
        for index, (value, (low, high)) in enumerate(zip(numbers, _stack(numbers), strict=True)):
            if value == 0:
                continue
            y_low, y_high = scale(low), scale(high)
            chart.bars.append(
                Bar(index, category, x, min(y_low, y_high), width, abs(y_high - y_low), value)
            )
    return chart


def _runs(indexes: list[int]) -> list[list[int]]:
    """Consecutive runs: [0, 1, 3] → [[0, 1], [3]]."""
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _category_gaps(chart: Chart, figure: Figure, left: float, band: float, *, whole: bool) -> None:
    """A hatched band behind a category where some value (``whole``: every value) is
    suppressed."""
    bottom = chart.plot[3]
    test = all if whole else any
    for category, column in enumerate(_columns(figure)):
        if test(v is None for v in column):
            x = left + band * (category + 0.2)
            chart.gaps.append(_gap(-1, category, x, band * 0.6, TOP, bottom))


def layout_line(figure: Figure) -> Chart:
    values = [v for s in figure.series for v in _known(s.values)]
    chart, scale, left, band, _bottom = _vertical_frame(figure, values)
    # Where only some lines lack a point, the line breaks; the band only where all do.
    _category_gaps(chart, figure, left, band, whole=True)
    for index, series in enumerate(figure.series):
        known = [c for c, v in enumerate(series.values) if v is not None]
        runs = [
            [(left + band * (c + 0.5), scale(float(series.values[c] or 0))) for c in run]
            for run in _runs(known)
        ]
        chart.lines.append(Line(index, runs))
    return chart


def layout_stacked_area(figure: Figure) -> Chart:
    chart, scale, left, band, _bottom = _vertical_frame(figure, _stack_extent(figure))
    _category_gaps(chart, figure, left, band, whole=False)
    columns = _columns(figure)
    complete = [c for c, column in enumerate(columns) if all(v is not None for v in column)]
    for run in _runs(complete):
        stacks = [_stack([float(v) for v in columns[c] if v is not None]) for c in run]
        xs = [left + band * (c + 0.5) for c in run]
        if len(run) == 1:  # a lone column: a narrow band so it stays visible
            xs = [xs[0] - band * 0.2, xs[0] + band * 0.2]
            stacks = stacks * 2
        for index in range(len(figure.series)):
            upper = [(x, scale(stack[index][1])) for x, stack in zip(xs, stacks, strict=True)]
            lower = [(x, scale(stack[index][0])) for x, stack in zip(xs, stacks, strict=True)]
            chart.areas.append(Area(index, upper + lower[::-1]))
    return chart


def layout_hbar(figure: Figure) -> Chart:
    """Horizontal bars: categories down the left, one bar per series in each category."""
    count = max(1, len(figure.series))
    label_width = min(
        HBAR_LABEL_MAX, max((len(_shorten(c, 30)) for c in figure.categories), default=0) * CHAR
    )
    left = label_width + 16
    right = WIDTH - HBAR_VALUE_ROOM
    values = [v for s in figure.series for v in _known(s.values)]
    scale, ticks = _value_axis(values, left, right)
    if ticks[0].value < 0:  # room for value labels of negative bars, left of the zero line
        scale, ticks = _value_axis(values, left + HBAR_VALUE_ROOM - 16, right)
    band = count * HBAR_ROW + HBAR_GAP
    bottom = TOP + band * len(figure.categories)
    chart = Chart(
        kind="hbar",
        width=WIDTH,
        height=bottom + 20,  # tick labels
        plot=(left, TOP, right, bottom),
        ticks=ticks,
        zero=scale(0),
        series_count=len(figure.series),
    )
    if figure.unit:
        chart.labels.append(Label(left, TOP - 12, figure.unit, anchor="start", kind="unit"))
    for category, name in enumerate(figure.categories):
        top = TOP + category * band + HBAR_GAP / 2
        chart.labels.append(
            Label(left - 8, top + count * HBAR_ROW / 2 + 4, _shorten(name, 30), anchor="end")
        )
        for index, series in enumerate(figure.series):
            y = top + index * HBAR_ROW
            value = series.values[category]
            if value is None:
                chart.gaps.append(
                    Gap(
                        index,
                        category,
                        left,
                        y,
                        right - left,
                        HBAR_ROW - 2,
                        chart.zero + 10,
                        y + HBAR_ROW - 4,
                    )
                )
                continue
            x0, x1 = chart.zero, scale(float(value))
            chart.bars.append(
                Bar(index, category, min(x0, x1), y, abs(x1 - x0), HBAR_ROW - 2, float(value))
            )
            text_x, anchor = (x1 + 4, "start") if value >= 0 else (x1 - 4, "end")
            chart.labels.append(
                Label(text_x, y + HBAR_ROW - 4, value_display(value), anchor=anchor, kind="value")
            )
    return chart


LAYOUTS = {
    "bar": layout_bar,
    "hbar": layout_hbar,
    "line": layout_line,
    "stacked_bar": layout_stacked_bar,
    "stacked_area": layout_stacked_area,
}


def _add_legend(chart: Chart, figure: Figure) -> None:
    """Legend under the plot (several series), plus the swatch for suppressed values."""
    entries = [(i, s.label) for i, s in enumerate(figure.series)] if len(figure.series) > 1 else []
    if chart.gaps or any(v is None for s in figure.series for v in s.values):
        entries.append((-1, _("– = weniger als %(k)s, nicht angezeigt") % {"k": min_group_size()}))
    if not entries:
        return
    x, y = 8.0, chart.height + 16
    for series, label in entries:
        width = LEGEND_SWATCH + 6 + len(label) * CHAR + 18
        if x > 8 and x + width > chart.width:
            x, y = 8.0, y + LEGEND_ROW
        chart.legend.append(LegendItem(series, label, x, y))
        x += width
    chart.height = y + 8


def layout(figure: Figure) -> Chart | None:
    """The geometry of ``figure``'s chart; ``None`` for table-only or empty figures."""
    if figure.chart not in LAYOUTS or not figure.series or not figure.categories:
        return None
    if any(len(s.values) != len(figure.categories) for s in figure.series):
        raise ValueError(f"figure {figure.key!r}: series and categories differ in length")
    chart = LAYOUTS[figure.chart](figure)
    _add_legend(chart, figure)
    return chart


# --- markup -------------------------------------------------------------------------------


def _fill(chart_id: str, series: int) -> str:
    if series < 0:
        return f"url(#{chart_id}-gap)"
    if PATTERNS[series % len(PATTERNS)]:
        return f"url(#{chart_id}-s{series})"
    return PALETTE[series % len(PALETTE)]


def _defs(chart: Chart, chart_id: str) -> list[str]:
    parts = ["<defs>"]
    for series in range(chart.series_count):
        path = PATTERNS[series % len(PATTERNS)]
        if path and chart.kind in {"bar", "hbar", "stacked_bar", "stacked_area"}:
            parts.append(
                f'<pattern id="{chart_id}-s{series}" patternUnits="userSpaceOnUse" '
                f'width="8" height="8"><rect width="8" height="8" '
                f'fill="{PALETTE[series % len(PALETTE)]}"/>'
                f'<path d="{path}" stroke="#ffffff" stroke-width="1.5"/></pattern>'
            )
    if chart.gaps or any(item.series < 0 for item in chart.legend):
        parts.append(
            f'<pattern id="{chart_id}-gap" patternUnits="userSpaceOnUse" width="6" height="6">'
            f'<rect width="6" height="6" fill="{GAP_BACKGROUND}"/>'
            f'<path d="M0,6 L6,0" stroke="{AXIS_COLOUR}" stroke-width="0.8"/></pattern>'
        )
    parts.append("</defs>")
    return parts if len(parts) > 2 else []


def _marker(series: int, x: float, y: float, *, size: float = 4.0) -> str:
    colour = PALETTE[series % len(PALETTE)]
    shape = MARKERS[series % len(MARKERS)]
    px, py, s = coord(x), coord(y), size
    if shape == "circle":
        return f'<circle cx="{px}" cy="{py}" r="{coord(s)}" fill="{colour}"/>'
    if shape == "square":
        return (
            f'<rect x="{coord(x - s)}" y="{coord(y - s)}" width="{coord(2 * s)}" '
            f'height="{coord(2 * s)}" fill="{colour}"/>'
        )
    points = {
        "triangle": [(x, y - s - 1), (x + s + 1, y + s), (x - s - 1, y + s)],
        "triangle_down": [(x, y + s + 1), (x + s + 1, y - s), (x - s - 1, y - s)],
        "diamond": [(x, y - s - 1), (x + s + 1, y), (x, y + s + 1), (x - s - 1, y)],
    }.get(shape)
    if points:
        text = " ".join(f"{coord(a)},{coord(b)}" for a, b in points)
        return f'<polygon points="{text}" fill="{colour}"/>'
    return (
        f'<path d="M{coord(x - s)},{coord(y - s)} L{coord(x + s)},{coord(y + s)} '
        f'M{coord(x - s)},{coord(y + s)} L{coord(x + s)},{coord(y - s)}" '
        f'stroke="{colour}" stroke-width="2"/>'
    )


def _path(points: list[tuple[float, float]], *, close: bool = False) -> str:
    text = " ".join(
        f"{'M' if index == 0 else 'L'}{coord(x)},{coord(y)}" for index, (x, y) in enumerate(points)
    )
    return text + (" Z" if close else "")


def _text(label: Label) -> str:
    weight = ' font-weight="600"' if label.kind == "unit" else ""
    return (
        f'<text x="{coord(label.x)}" y="{coord(label.y)}" text-anchor="{label.anchor}" '
        f'font-size="{FONT}" fill="{TEXT_COLOUR}"{weight}>{escape(label.text)}</text>'
    )


def description(figure: Figure) -> str:
    """The ``<desc>`` of a chart: what it shows, in words, and where the exact numbers are."""
    kind = str(KIND_NAMES.get(figure.chart) or _("Diagramm"))
    parts = [
        ngettext(
            "%(kind)s mit %(n)s Kategorie",
            "%(kind)s mit %(n)s Kategorien",
            len(figure.categories),
        )
        % {"kind": kind, "n": len(figure.categories)}
    ]
    if figure.categories:
        parts[0] += f" ({figure.categories[0]} – {figure.categories[-1]})"
    if figure.series:
        labels = ", ".join(s.label for s in figure.series)
        parts.append(
            ngettext("Datenreihe: %(labels)s", "Datenreihen: %(labels)s", len(figure.series))
            % {"labels": labels}
        )
    if figure.suppressed:
        parts.append(
            ngettext(
                "%(n)s Wert aus Datenschutzgründen nicht angezeigt",
                "%(n)s Werte aus Datenschutzgründen nicht angezeigt",
                figure.suppressed,
            )
            % {"n": figure.suppressed}
        )
    parts.append(_("Die genauen Zahlen stehen in der Tabelle zum Diagramm"))
    return ". ".join(parts) + "."


def render(chart: Chart, figure: Figure, *, chart_id: str) -> SafeString:
    """The SVG markup of ``chart`` (escaped text, ids prefixed with ``chart_id``)."""
    left, top, right, bottom = chart.plot
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="indicator-chart chart-{chart.kind}" '
        f'viewBox="0 0 {coord(chart.width)} {coord(chart.height)}" '
        f'width="{coord(chart.width)}" height="{coord(chart.height)}" role="img" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'focusable="false" font-family="sans-serif">',
        f'<title id="{chart_id}-title">{escape(figure.title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description(figure))}</desc>',
        *_defs(chart, chart_id),
    ]
    # Grid and ticks.
    for tick in chart.ticks:
        p = coord(tick.position)
        if chart.kind == "hbar":
            out.append(
                f'<line x1="{p}" y1="{coord(top)}" x2="{p}" y2="{coord(bottom)}" '
                f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
                f'<text x="{p}" y="{coord(bottom + 14)}" text-anchor="middle" '
                f'font-size="{FONT}" fill="{TEXT_COLOUR}">{escape(tick.label)}</text>'
            )
        else:
            out.append(
                f'<line x1="{coord(left)}" y1="{p}" x2="{coord(right)}" y2="{p}" '
                f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
                f'<text x="{coord(left - 6)}" y="{coord(tick.position + 4)}" text-anchor="end" '
                f'font-size="{FONT}" fill="{TEXT_COLOUR}">{escape(tick.label)}</text>'
            )
    for gap in chart.gaps:
        out.append(
            f'<rect class="chart-gap" x="{coord(gap.x)}" y="{coord(gap.y)}" '
            f'width="{coord(gap.width)}" height="{coord(gap.height)}" '
            f'fill="{_fill(chart_id, -1)}"/>'
            f'<text x="{coord(gap.text_x)}" y="{coord(gap.text_y)}" text-anchor="middle" '
            f'font-size="{FONT}" font-weight="700" fill="{TEXT_COLOUR}">–</text>'
        )
    for area in chart.areas:
        out.append(
            f'<path class="chart-area" d="{_path(area.points, close=True)}" '
            f'fill="{_fill(chart_id, area.series)}" stroke="#ffffff" stroke-width="1"/>'
        )
    for bar in chart.bars:
        out.append(
            f'<rect class="chart-bar" x="{coord(bar.x)}" y="{coord(bar.y)}" '
            f'width="{coord(bar.width)}" height="{coord(bar.height)}" '
            f'fill="{_fill(chart_id, bar.series)}" stroke="#ffffff" stroke-width="0.5"/>'
        )
    for line in chart.lines:
        colour = PALETTE[line.series % len(PALETTE)]
        dash = DASHES[line.series % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for run in line.runs:
            if len(run) > 1:
                out.append(
                    f'<path class="chart-line" d="{_path(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash_attr}/>'
                )
            out += [_marker(line.series, x, y) for x, y in run]
    # Axes: the zero line over everything, the value axis at the left (vertical charts).
    z = coord(chart.zero)
    if chart.kind == "hbar":
        out.append(
            f'<line x1="{z}" y1="{coord(top)}" x2="{z}" y2="{coord(bottom)}" '
            f'stroke="{AXIS_COLOUR}" stroke-width="1.5"/>'
        )
    else:
        out.append(
            f'<line x1="{coord(left)}" y1="{z}" x2="{coord(right)}" y2="{z}" '
            f'stroke="{AXIS_COLOUR}" stroke-width="1.5"/>'
        )
    out += [_text(label) for label in chart.labels]
    for item in chart.legend:
        y = item.y - LEGEND_SWATCH + 3
        if item.series >= 0 and chart.kind == "line":
            colour = PALETTE[item.series % len(PALETTE)]
            dash = DASHES[item.series % len(DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            middle = y + LEGEND_SWATCH / 2
            out.append(
                f'<line x1="{coord(item.x - 4)}" y1="{coord(middle)}" '
                f'x2="{coord(item.x + LEGEND_SWATCH + 4)}" y2="{coord(middle)}" '
                f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
            )
            out.append(_marker(item.series, item.x + LEGEND_SWATCH / 2, middle))
        else:
            out.append(
                f'<rect x="{coord(item.x)}" y="{coord(y)}" width="{coord(LEGEND_SWATCH)}" '
                f'height="{coord(LEGEND_SWATCH)}" fill="{_fill(chart_id, item.series)}" '
                f'stroke="{AXIS_COLOUR}" stroke-width="0.5"/>'
            )
        out.append(
            _text(
                Label(item.x + LEGEND_SWATCH + 6, item.y, item.label, anchor="start", kind="legend")
            )
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 (every text above is escaped)


def chart_svg(figure: Figure, *, chart_id: str) -> SafeString:
    """The figure's chart as inline SVG, or ``""`` when it has none (table only)."""
    chart = layout(figure)
    if chart is None:
        return mark_safe("")
    return render(chart, figure, chart_id=chart_id)
