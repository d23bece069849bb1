"""The demo surveys: one closed survey with enough answers for results, one open, ratings."""

from __future__ import annotations

import datetime as dt

from amtshilfe.conftest import Personas
from amtshilfe.surveys.demo import load_demo
from amtshilfe.surveys.models import RatingInvitation, Response, Survey
from amtshilfe.surveys.results import survey_results
from amtshilfe.surveys.tests.factories import closed_request, people


def test_it_loads_demo_surveys_once(personas: Personas) -> None:
    people(personas, personas.a, 6)
    people(personas, personas.b, 6)
    request = closed_request(personas)
    today = dt.date.today()
    created = load_demo(personas.network, today=today)
    closed = Survey.objects.get(status=Survey.Status.CLOSED)
    opened = Survey.objects.get(status=Survey.Status.OPEN)
    assert closed.template == "quartal" and opened.template == "gelernt"
    answers = Response.objects.filter(survey=closed).count()
    assert answers >= 12
    assert survey_results(closed).shown
    assert RatingInvitation.objects.filter(request=request, used_at__isnull=True).count() == 1
    assert created == 2 + answers + 1
    assert load_demo(personas.network, today=today) == 0
    assert Survey.objects.count() == 2


def test_it_answers_within_one_quarter_early_in_a_quarter(personas: Personas) -> None:
    people(personas, personas.a, 6)
    people(personas, personas.b, 6)
    load_demo(personas.network, today=dt.date(2026, 10, 5))

    closed = Survey.objects.get(status=Survey.Status.CLOSED)
    days = set(Response.objects.filter(survey=closed).values_list("submitted_on", flat=True))
    # the last 19 days, cut at the quarter's start: 1 to 4 October
    assert days and days <= {dt.date(2026, 10, d) for d in range(1, 5)}
    assert Response.objects.filter(survey=closed).count() >= 12
