"""Indicator figures from ratings and survey answers, checked against hand-computed values."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from amtshilfe.board.models import ServiceRequest
from amtshilfe.conftest import Personas
from amtshilfe.surveys import metrics
from amtshilfe.surveys.models import Question
from amtshilfe.surveys.services import answer_survey, create_survey_from_template, open_survey
from amtshilfe.surveys.tests.factories import people


def rated(personas: Personas, ratings: list[tuple[int, dt.datetime, bool]]) -> None:
    """Requests rated at given times (``True`` = in the cluster "Drucker")."""
    from amtshilfe.board.models import Column
    from amtshilfe.board.services import ensure_default_board

    board = ensure_default_board(network=personas.network)
    done = board.columns.get(kind=Column.Kind.DONE)
    for number, (rating, when, in_cluster) in enumerate(ratings, start=1):
        ServiceRequest.objects.create(
            network=personas.network,
            number=number,
            municipality=personas.a,
            title=f"Anfrage {number}",
            source="web",
            status="closed",
            column=done,
            position=number,
            cluster=personas.cluster if in_cluster else None,
            solved_at=when,
            closed_at=when,
            rated_at=when,
            rating=rating,
        )


def day(month: int, d: int) -> dt.datetime:
    return dt.datetime(2026, month, d, 10, tzinfo=dt.UTC)


def test_it_computes_satisfaction_mean_distribution_trend_and_clusters(
    personas: Personas,
) -> None:
    january = [
        (5, day(1, 5), True),
        (4, day(1, 6), True),
        (4, day(1, 7), True),
        (2, day(1, 8), True),
        (5, day(1, 9), False),
    ]
    february = [(3, day(2, 3), True), (1, day(2, 4), False)]
    rated(personas, january + february)
    start, end = dt.date(2026, 1, 1), dt.date(2026, 3, 1)
    found = metrics.satisfaction(personas.network, start=start, end=end)
    assert found.count == 7 and found.mean == pytest.approx(24 / 7)
    assert found.distribution == {1: 1, 2: 1, 3: 1, 4: 2, 5: 2}
    trend = metrics.satisfaction_trend(personas.network, start=start, end=end)
    assert [(p.start, p.count, p.value) for p in trend] == [
        (dt.date(2026, 1, 1), 5, 4.0),
        (dt.date(2026, 2, 1), 2, None),  # fewer than five: suppressed
    ]
    clusters = metrics.satisfaction_by_cluster(personas.network, start=start, end=end)
    assert [(c.cluster_name, c.count, c.mean) for c in clusters] == [
        ("Drucker", 5, pytest.approx(18 / 5)),
        ("ohne Themencluster", 2, None),
    ]
    few = metrics.satisfaction(personas.network, start=dt.date(2026, 2, 1), end=end)
    assert few.count == 2 and few.mean is None and few.distribution is None


def test_it_sums_hours_saved_per_quarter(personas: Personas) -> None:
    people(personas, personas.a, 3)
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC), tick=False):
        survey = create_survey_from_template(
            actor=personas.coordinator, network=personas.network, template="quartal"
        )
        open_survey(actor=personas.coordinator, survey=survey)
        hours = survey.questions.get(metric=Question.Metric.HOURS_SAVED)
        scale = survey.questions.get(kind=Question.Kind.SCALE)
        from amtshilfe.surveys.models import SurveyInvitation

        invited = [i.user for i in SurveyInvitation.objects.filter(survey=survey).order_by("id")]
        # options: keine 0, bis 2 → 1, 2–5 → 3.5, 5–10 → 7.5, mehr als 10 → 12
        choices = [0, 1, 2, 3, 4, 2]
        for user, choice in zip(invited[:4], choices[:4], strict=True):
            answer_survey(
                actor=user,
                survey=survey,
                answers={hours.field_name: str(choice), scale.field_name: "4"},
            )
    with time_machine.travel(dt.datetime(2026, 4, 2, 9, tzinfo=dt.UTC), tick=False):
        for user, choice in zip(invited[4:6], choices[4:6], strict=True):
            answer_survey(
                actor=user,
                survey=survey,
                answers={hours.field_name: str(choice), scale.field_name: "4"},
            )
    quarters = metrics.hours_saved_per_quarter(
        personas.network, start=dt.date(2026, 1, 1), end=dt.date(2026, 7, 1)
    )
    # Q1: 4 answers (0 + 1 + 3.5 + 7.5) → suppressed; Q2: 2 answers → suppressed
    assert [(q.start, q.count, q.value) for q in quarters] == [
        (dt.date(2026, 1, 1), 4, None),
        (dt.date(2026, 4, 1), 2, None),
    ]
    with time_machine.travel(dt.datetime(2026, 3, 21, 9, tzinfo=dt.UTC), tick=False):
        for user in invited[6:7]:
            answer_survey(
                actor=user, survey=survey, answers={hours.field_name: "4", scale.field_name: "4"}
            )
    quarters = metrics.hours_saved_per_quarter(
        personas.network, start=dt.date(2026, 1, 1), end=dt.date(2026, 4, 1)
    )
    assert [(q.start, q.count, q.value) for q in quarters] == [(dt.date(2026, 1, 1), 5, 24.0)]
    assert timezone.now()  # time machine left
