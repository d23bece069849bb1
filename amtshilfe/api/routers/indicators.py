"""`/api/v1/indicators`: the figures of the indicators dashboard as JSON.

Same readers as the pages (coordination, steering group, auditor; others in the network 403,
outside it 404), same period parameters (``zeitraum``, ``von``, ``bis``), same cached
computation – so page, CSV and API show the same numbers. ``null`` is a suppressed value
(group smaller than ``AMTSHILFE_MIN_GROUP_SIZE``); its ``display`` is "–". A bad period or
an unknown ``bereich`` is 422 with a German message.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from amtshilfe.indicators import compute, periods, registry
from amtshilfe.indicators.access import require_indicator_reader
from amtshilfe.indicators.compute import Computed
from amtshilfe.indicators.figures import Period

router = Router(tags=["indicators"])

Number = int | float | None


class PeriodIn(Schema):
    zeitraum: str = periods.DEFAULT
    von: str = ""
    bis: str = ""


class ListIn(PeriodIn):
    bereich: str = ""


class PeriodOut(Schema):
    key: str
    label: str
    start: dt.date
    end: dt.date  # the last day, inclusive
    bucket: str


class SeriesOut(Schema):
    key: str
    label: str
    values: list[Number]


class KeyNumberOut(Schema):
    label: str
    value: Number
    display: str


class FigureOut(Schema):
    key: str
    section: str
    title: str
    explanation: str
    unit: str
    chart: str
    formula: str
    category_label: str
    categories: list[str]
    category_keys: list[str]
    series: list[SeriesOut]
    key_numbers: list[KeyNumberOut]
    notes: list[str]
    columns: list[str]
    rows: list[list[str | int | float | None]]
    suppressed: int
    period: PeriodOut


class MessageOut(Schema):
    detail: str


class ErrorDetail(Schema):
    loc: list[str]
    msg: str
    type: str


class ErrorOut(Schema):
    detail: list[ErrorDetail]


def _period(params: PeriodIn) -> Period:
    return periods.parse_period(
        {"zeitraum": params.zeitraum, "von": params.von, "bis": params.bis},
        today=timezone.localdate(),
    )


def _error(field: str, message: str) -> Status:
    return Status(
        422, {"detail": [{"loc": ["query", field], "msg": message, "type": "value_error"}]}
    )


def _figure_out(item: Computed, period: Period) -> dict[str, object]:
    figure = item.figure
    return {
        "key": item.key,
        "section": item.section,
        "title": str(figure.title),
        "explanation": str(figure.explanation),
        "unit": str(figure.unit),
        "chart": figure.chart,
        "formula": str(figure.formula),
        "category_label": str(figure.category_label),
        "categories": [str(c) for c in figure.categories],
        "category_keys": [str(c) for c in figure.category_keys],
        "series": [
            {"key": s.key, "label": str(s.label), "values": list(s.values)} for s in figure.series
        ],
        "key_numbers": [
            {
                "label": str(k.label),
                "value": k.value,
                "display": "–" if k.value is None else str(k.display),
            }
            for k in figure.key_numbers
        ],
        "notes": [str(n) for n in figure.notes],
        "columns": [str(c) for c in figure.columns],
        "rows": [
            [v if v is None or isinstance(v, int | float) else str(v) for v in row]
            for row in figure.rows
        ],
        "suppressed": figure.suppressed,
        "period": {
            "key": period.key,
            "label": period.label,
            "start": period.start,
            "end": period.last_day,
            "bucket": period.bucket,
        },
    }


@router.get(
    "",
    response={200: list[FigureOut], 422: ErrorOut},
    summary="Kennzahlen im Zeitraum (optional eines Bereichs)",
)
def list_figures(request: HttpRequest, params: Query[ListIn]) -> object:
    """Every figure of the dashboard and the process analysis, in the dashboard's order.

    ``zeitraum``: 3m (default), 12m, jahr, vorjahr or frei with ``von``/``bis`` (JJJJ-MM-TT);
    ``bereich``: a section key (participation, requests, self_help, learning, satisfaction,
    exchange, knowledge, process). Figures that fail to compute are left out.
    """
    network = require_indicator_reader(request)
    sections = [key for key, _title in registry.SECTIONS]
    if params.bereich and params.bereich not in sections:
        return _error(
            "bereich",
            _("Unbekannter Bereich „%(value)s“; erlaubt sind: %(allowed)s.")
            % {"value": params.bereich[:40], "allowed": ", ".join(sections)},
        )
    try:
        period = _period(params)
    except ValidationError as error:
        return _error("zeitraum", error.messages[0])
    chosen = [params.bereich] if params.bereich else sections
    items = [item for key in chosen for item in compute.section_figures(network, period, key)]
    return [_figure_out(item, period) for item in items if not item.failed]


@router.get(
    "/{key}",
    response={200: FigureOut, 422: ErrorOut, 503: MessageOut},
    summary="Eine Kennzahl im Zeitraum",
)
def get_figure(request: HttpRequest, key: str, params: Query[PeriodIn]) -> object:
    network = require_indicator_reader(request)
    if key not in registry.REGISTRY:
        raise Http404
    try:
        period = _period(params)
    except ValidationError as error:
        return _error("zeitraum", error.messages[0])
    item = compute.figure(network, period, key)
    if item is None:
        raise Http404
    if item.failed:
        raise HttpError(503, _("Diese Kennzahl konnte gerade nicht berechnet werden."))
    return _figure_out(item, period)
