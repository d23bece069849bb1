"""The one shape every indicator returns: a ``Figure``.

A figure is a table of numbers (categories × series) plus what is needed to show it: a chart
kind, key numbers, a formula and notes. The dashboard draws the chart from it (SVG on the
server), prints the same numbers as a table for screen readers, and the CSV export writes
exactly that table – so page, export and API can never disagree.

``None`` as a value means *suppressed*: the group behind it is smaller than
``AMTSHILFE_MIN_GROUP_SIZE`` (staff-council rule). Every consumer shows it as "–" with the
note "weniger als k" and never the number; ``Figure.suppressed`` counts them.

Figures are plain data (no querysets, no lazy translations once computed) so they can be
cached and turned into JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from django.conf import settings

ChartKind = Literal["", "bar", "hbar", "line", "stacked_bar", "stacked_area"]
"""``""`` = table only; ``bar`` = vertical bars per category (one series, or grouped);
``hbar`` = horizontal bars (long category names, e.g. clusters or municipalities);
``line`` = one line per series over time; ``stacked_bar``/``stacked_area`` = the series stacked
(e.g. the cumulative flow diagram)."""

Value = float | int | None


def min_group_size() -> int:
    """The smallest group a figure may describe (staff council; default 5)."""
    return max(1, int(settings.AMTSHILFE_MIN_GROUP_SIZE))


@dataclass
class Series:
    """One row of numbers aligned with ``Figure.categories`` (``None`` = suppressed)."""

    key: str  # stable machine key, also the CSV column header suffix
    label: str  # German (translated) label shown in legend and table header
    values: list[Value]


@dataclass
class KeyNumber:
    """A headline number shown above the chart, e.g. "Selbsthilfequote 42 %"."""

    label: str
    value: Value
    display: str  # formatted for the current language, "–" when suppressed


@dataclass
class Figure:
    key: str
    title: str
    explanation: str
    unit: str = ""  # e.g. "Stunden", "Anfragen", "%", "Tage"
    chart: ChartKind = ""
    category_label: str = ""  # table header of the category column, e.g. "Monat", "Themencluster"
    categories: list[str] = field(default_factory=list)
    category_keys: list[str] = field(default_factory=list)  # machine keys (ISO dates, slugs)
    series: list[Series] = field(default_factory=list)
    key_numbers: list[KeyNumber] = field(default_factory=list)
    formula: str = ""  # how the number is computed, in words, for figures that estimate
    notes: list[str] = field(default_factory=list)
    # Table-only figures (e.g. the unanswered searches): free columns and rows of text/numbers.
    columns: list[str] = field(default_factory=list)
    rows: list[list[str | Value]] = field(default_factory=list)

    @property
    def suppressed(self) -> int:
        """How many numbers are hidden because their group is too small."""
        hidden = sum(1 for s in self.series for v in s.values if v is None)
        hidden += sum(1 for k in self.key_numbers if k.value is None)
        return hidden

    @property
    def has_table(self) -> bool:
        return bool(self.series and self.categories) or bool(self.columns)

    def table(self) -> tuple[list[str], list[list[str | Value]]]:
        """Header and rows of the numbers: the screen-reader table and the CSV export."""
        if self.columns:
            return list(self.columns), [list(row) for row in self.rows]
        header = [self.category_label or "", *(s.label for s in self.series)]
        body: list[list[str | Value]] = []
        for index, category in enumerate(self.categories):
            body.append([category, *(s.values[index] for s in self.series)])
        return header, body


@dataclass(frozen=True)
class Period:
    """A half-open reporting period ``start <= day < end`` with its bucket size for charts."""

    start: dt.date
    end: dt.date  # exclusive
    label: str
    bucket: Literal["week", "month", "quarter"] = "month"
    key: str = ""  # the selector value it came from ("3m", "12m", "jahr", "vorjahr", "frei")

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)
