"""Results of a survey (coordination and steering group) and their CSV export.

Both read ``results.survey_results``, so both suppress the same small groups.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.surveys import access
from amtshilfe.surveys.results import Bar, csv_rows, survey_results
from amtshilfe.surveys.views.coordination import require_reader

BAR_HEIGHT = 28
LABEL_WIDTH = 190
CHART_WIDTH = 560


@dataclass(frozen=True)
class ChartRow:
    label: str
    count: int
    percent: float
    y: int
    text_y: int
    width: int
    value_x: int


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart drawn as SVG on the server (numbers also as a table)."""

    rows: list[ChartRow]
    height: int
    width: int = CHART_WIDTH
    label_width: int = LABEL_WIDTH


def bar_chart(bars: list[Bar]) -> Chart:
    space = CHART_WIDTH - LABEL_WIDTH - 70
    rows = []
    for index, bar in enumerate(bars):
        width = round(space * bar.percent / 100)
        label = bar.label if len(bar.label) <= 28 else bar.label[:27] + "…"
        rows.append(
            ChartRow(
                label=label,
                count=bar.count,
                percent=bar.percent,
                y=index * BAR_HEIGHT + 4,
                text_y=index * BAR_HEIGHT + 20,
                width=width,
                value_x=LABEL_WIDTH + width + 6,
            )
        )
    return Chart(rows=rows, height=len(bars) * BAR_HEIGHT + 8)


@login_required
def results(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_reader(request)
    survey, _can_write = access.get_survey_for_user(request.user, network, pk)
    found = survey_results(survey)
    items = [
        {"result": item, "chart": bar_chart(item.bars) if item.bars else None}
        for item in found.questions
    ]
    return render(
        request, "surveys/results.html", {"survey": survey, "results": found, "items": items}
    )


@login_required
def results_csv(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_reader(request)
    survey, _can_write = access.get_survey_for_user(request.user, network, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(survey.title) or "umfrage"
    response["Content-Disposition"] = f'attachment; filename="ergebnisse-{name}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with umlauts correctly
    writer = csv.writer(response, delimiter=";")
    writer.writerows(csv_rows(survey_results(survey)))
    return response
