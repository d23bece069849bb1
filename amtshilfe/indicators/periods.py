"""The period selector: which stretch of time the dashboard shows, and its buckets.

Choices (GET parameter ``zeitraum``): ``3m`` (the last three months – default), ``12m`` (the
last twelve months), ``jahr`` (this calendar year), ``vorjahr`` (last calendar year) and
``frei`` with ``von``/``bis`` (ISO dates, both inclusive). Bad input raises ``ValidationError``
with a German message; views show it and fall back to the default.

Buckets for charts over time: weeks for periods up to 62 days, months up to two years,
quarters beyond. All periods are half-open (``start <= day < end``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amtshilfe.indicators.figures import Period

CHOICES = [
    ("3m", gettext_lazy("letzte 3 Monate")),
    ("12m", gettext_lazy("letzte 12 Monate")),
    ("jahr", gettext_lazy("dieses Jahr")),
    ("vorjahr", gettext_lazy("letztes Jahr")),
    ("frei", gettext_lazy("frei wählen")),
]
DEFAULT = "3m"
MAX_DAYS = 5 * 366
EARLIEST = dt.date(2000, 1, 1)


def _months_back(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (clamped to the month's length)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    last = (following - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def bucket_for(days: int) -> Literal["week", "month", "quarter"]:
    if days <= 62:
        return "week"
    if days <= 2 * 366:
        return "month"
    return "quarter"


def make_period(start: dt.date, end: dt.date, *, label: str, key: str) -> Period:
    return Period(start=start, end=end, label=label, bucket=bucket_for((end - start).days), key=key)


def default_period(today: dt.date) -> Period:
    return parse_period({}, today=today)


def parse_period(params: Mapping[str, str], *, today: dt.date) -> Period:
    """The period chosen in ``params`` (a QueryDict or dict); ``ValidationError`` if bad."""
    choice = (params.get("zeitraum") or DEFAULT).strip()
    tomorrow = today + dt.timedelta(days=1)
    if choice == "3m":
        start = _months_back(today, 3) + dt.timedelta(days=1)
        return make_period(start, tomorrow, label=_("letzte 3 Monate"), key=choice)
    if choice == "12m":
        start = _months_back(today, 12) + dt.timedelta(days=1)
        return make_period(start, tomorrow, label=_("letzte 12 Monate"), key=choice)
    if choice == "jahr":
        start = dt.date(today.year, 1, 1)
        return make_period(start, tomorrow, label=str(today.year), key=choice)
    if choice == "vorjahr":
        year = today.year - 1
        return make_period(
            dt.date(year, 1, 1), dt.date(year + 1, 1, 1), label=str(year), key=choice
        )
    if choice == "frei":
        start = _parse_day(params.get("von", ""), _("Von"))
        last = _parse_day(params.get("bis", ""), _("Bis"))
        if last < start:
            raise ValidationError(
                _("Das Ende des Zeitraums (%(bis)s) liegt vor seinem Anfang (%(von)s).")
                % {"bis": date_format(last), "von": date_format(start)},
                code="order",
            )
        if start < EARLIEST:
            raise ValidationError(
                _("Der Zeitraum darf nicht vor dem %(day)s beginnen.")
                % {"day": date_format(EARLIEST)},
                code="too_early",
            )
        if start > today:
            raise ValidationError(
                _("Der Zeitraum beginnt in der Zukunft; wählen Sie einen Anfang bis heute."),
                code="future",
            )
        last = min(last, today)
        if (last - start).days + 1 > MAX_DAYS:
            raise ValidationError(
                _("Der Zeitraum ist zu lang: höchstens fünf Jahre auf einmal."), code="too_long"
            )
        label = _("%(von)s bis %(bis)s") % {"von": date_format(start), "bis": date_format(last)}
        return make_period(start, last + dt.timedelta(days=1), label=label, key=choice)
    raise ValidationError(
        _("Unbekannter Zeitraum „%(value)s“. Bitte wählen Sie einen aus der Liste.")
        % {"value": choice[:40]},
        code="unknown",
    )


def _parse_day(value: str, field: str) -> dt.date:
    value = (value or "").strip()
    if not value:
        raise ValidationError(
            _("Bitte geben Sie ein Datum für „%(field)s“ an.") % {"field": field}, code="missing"
        )
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            _("„%(value)s“ ist kein gültiges Datum für „%(field)s“ (Format JJJJ-MM-TT).")
            % {"value": value[:40], "field": field},
            code="invalid",
        ) from None


def buckets(period: Period) -> list[tuple[dt.date, dt.date, str]]:
    """The chart buckets of ``period``: ``(start, end_exclusive, German label)``, in order.

    Weeks start on Monday, months on the 1st, quarters on Jan/Apr/Jul/Oct 1st; the first and
    last bucket are cut to the period.
    """
    result: list[tuple[dt.date, dt.date, str]] = []
    cursor = period.start
    while cursor < period.end:
        if period.bucket == "week":
            natural = cursor - dt.timedelta(days=cursor.weekday())
            following = natural + dt.timedelta(days=7)
            iso = natural.isocalendar()
            label = _("KW %(week)s/%(year)s") % {"week": iso.week, "year": iso.year}
        elif period.bucket == "month":
            natural = cursor.replace(day=1)
            following = dt.date(natural.year + (natural.month == 12), natural.month % 12 + 1, 1)
            label = date_format(natural, "M Y")
        else:
            quarter = (cursor.month - 1) // 3
            natural = dt.date(cursor.year, quarter * 3 + 1, 1)
            following = dt.date(natural.year + (quarter == 3), (quarter + 1) % 4 * 3 + 1, 1)
            label = _("%(quarter)s. Quartal %(year)s") % {
                "quarter": quarter + 1,
                "year": natural.year,
            }
        end = min(following, period.end)
        result.append((cursor, end, label))
        cursor = end
    return result


def quarters(period: Period) -> list[tuple[dt.date, dt.date, str]]:
    """Calendar quarters touching ``period`` (whole quarters, for quarter-based figures)."""
    whole = Period(
        start=dt.date(period.start.year, (period.start.month - 1) // 3 * 3 + 1, 1),
        end=period.end,
        label=period.label,
        bucket="quarter",
    )
    return buckets(whole)
