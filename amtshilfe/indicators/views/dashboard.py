"""The indicators dashboard, the process-analysis page and the CSV export of one figure.

All three read the period from the GET parameters (``zeitraum``, ``von``, ``bis``). On the
pages a bad period shows its German message and falls back to the default period; the CSV
export answers 400 with the message. Figures come from ``compute`` (cached per network,
period and language), so a page makes only the queries of the access check when warm.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.indicators import compute, periods, presentation, registry
from amtshilfe.indicators.access import require_indicator_reader
from amtshilfe.indicators.figures import Period, min_group_size
from amtshilfe.tenancy.models import Network

PROCESS = "process"


@dataclass
class PeriodChoice:
    """The period shown, what the form shows, and the error of a bad choice."""

    period: Period
    error: str
    choice: str
    von: str
    bis: str

    @property
    def query(self) -> str:
        """GET parameters that select this period again (for CSV and event-log links)."""
        return period_query(self.period)


def period_query(period: Period) -> str:
    if period.key == "frei":
        return urlencode(
            {
                "zeitraum": "frei",
                "von": period.start.isoformat(),
                "bis": period.last_day.isoformat(),
            }
        )
    return urlencode({"zeitraum": period.key or periods.DEFAULT})


def read_period(request: HttpRequest) -> PeriodChoice:
    today = timezone.localdate()
    try:
        period = periods.parse_period(request.GET, today=today)
    except ValidationError as error:
        # Keep what was typed, so it can be corrected; show the default period meanwhile.
        return PeriodChoice(
            period=periods.default_period(today),
            error=error.messages[0],
            choice=(request.GET.get("zeitraum") or periods.DEFAULT)[:20],
            von=request.GET.get("von", "")[:20],
            bis=request.GET.get("bis", "")[:20],
        )
    return PeriodChoice(
        period=period,
        error="",
        choice=period.key,
        von=period.start.isoformat(),
        bis=period.last_day.isoformat(),
    )


@dataclass
class Section:
    key: str
    title: str
    figures: list[presentation.Shown]


def sections(network: Network, period: Period, keys: list[str]) -> list[Section]:
    titles = dict(registry.SECTIONS)
    return [
        Section(key, str(titles[key]), presentation.shown_all(computed))
        for key, computed in computed_sections(network, period, keys)
    ]


def computed_sections(
    network: Network, period: Period, keys: list[str]
) -> list[tuple[str, list[compute.Computed]]]:
    return [(key, compute.section_figures(network, period, key)) for key in keys]


def _page(request: AuthenticatedRequest, template: str, section_keys: list[str]) -> HttpResponse:
    network = require_indicator_reader(request)
    chosen = read_period(request)
    found = computed_sections(network, chosen.period, section_keys)
    titles = dict(registry.SECTIONS)
    return render(
        request,
        template,
        {
            "network": network,
            "chosen": chosen,
            "period": chosen.period,
            "choices": periods.CHOICES,
            "sections": [
                Section(key, str(titles[key]), presentation.shown_all(items))
                for key, items in found
            ],
            # When the oldest figure on the page was computed (they are cached for a while).
            "computed_at": compute.oldest([item for _key, items in found for item in items]),
            "min_group_size": min_group_size(),
        },
    )


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    keys = [key for key, _title in registry.SECTIONS if key != PROCESS]
    return _page(request, "indicators/dashboard.html", keys)


@login_required
def process(request: AuthenticatedRequest) -> HttpResponse:
    return _page(request, "indicators/process.html", [PROCESS])


@login_required
def figure_csv(request: AuthenticatedRequest, key: str) -> HttpResponse:
    network = require_indicator_reader(request)
    if key not in registry.REGISTRY:
        raise Http404
    try:
        period = periods.parse_period(request.GET, today=timezone.localdate())
    except ValidationError as error:
        return HttpResponse(error.messages[0], status=400, content_type="text/plain; charset=utf-8")
    item = compute.figure(network, period, key)
    if item is None or item.failed:
        return HttpResponse(
            _("Diese Kennzahl konnte gerade nicht berechnet werden."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{key}-{period.start.isoformat()}-{period.last_day.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # Excel opens UTF-8 with umlauts correctly
    writer = csv.writer(response, delimiter=";")
    writer.writerows(presentation.csv_rows(item.figure))
    return response
