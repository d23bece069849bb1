"""Period labels: ``2026-10`` (month), ``2026-Q4`` (quarter), ``2026`` (year).

The label is the period's name in URLs, the CLI and the API; it alone fixes the dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class PeriodSpec:
    kind: str  # "month" | "quarter" | "year"
    label: str
    starts_on: dt.date
    ends_on: dt.date

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.kind]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_period(label: str) -> PeriodSpec:
    """The period named by ``label``; ``ValidationError`` (German) for anything else."""
    text = (label or "").strip()
    if match := _MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12 and year >= 2000:
            return PeriodSpec(
                "month", f"{year}-{month:02d}", dt.date(year, month, 1), _month_end(year, month)
            )
    elif match := _QUARTER.match(text):
        year, quarter = int(match[1]), int(match[2])
        if year >= 2000:
            first = 3 * quarter - 2
            return PeriodSpec(
                "quarter",
                f"{year}-Q{quarter}",
                dt.date(year, first, 1),
                _month_end(year, first + 2),
            )
    elif match := _YEAR.match(text):
        year = int(match[1])
        if year >= 2000:
            return PeriodSpec("year", str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))
    raise ValidationError(
        _(
            "Unbekannter Zeitraum „%(label)s“. Erlaubt sind Monat (2026-10), "
            "Quartal (2026-Q4) oder Jahr (2026)."
        )
        % {"label": text[:20]}
    )


def month_label(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


def previous_month(day: dt.date) -> dt.date:
    """The first day of the month before ``day``'s month."""
    first = day.replace(day=1) - dt.timedelta(days=1)
    return first.replace(day=1)
