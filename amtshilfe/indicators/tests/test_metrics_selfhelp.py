"""Self-help rate and hours saved, against hand-computed numbers.

Handling times (hours booked per solved request, median over the 12 months before the
period's end) in this data set:

- Drucker: 5 requests, booked by p1…p5: 30, 45, 60, 90 and 150 − 30 (reversal) = 120
  minutes → median 60 min = 1 h.
- E-Mail: 4 requests, booked by p2…p5: 15, 15, 20, 20 minutes → too few: network median.
- Network: 15, 15, 20, 20, 30, 45, 60, 90, 120 → median 30 min = 0.5 h (5 people).
- Not counted: an open request with bookings, a solved request whose booking was reversed
  completely, a request solved before the 12 months.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from amtshilfe.board import classification
from amtshilfe.conftest import Personas
from amtshilfe.indicators.metrics.selfhelp import (
    handling_times,
    hours_saved,
    self_help_rate,
)
from amtshilfe.indicators.registry import REGISTRY
from amtshilfe.indicators.tests.factories_a import (
    article,
    book,
    cluster,
    it_people,
    key_numbers,
    period,
    request,
    successes,
    values,
)
from amtshilfe.timeaccounting.models import TimeEntry

Q1 = period(dt.date(2026, 1, 1), dt.date(2026, 4, 1))
H1 = period(dt.date(2026, 1, 1), dt.date(2026, 7, 1))


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


@pytest.fixture(autouse=True)
def no_triage(monkeypatch):
    monkeypatch.setattr(classification, "classify_request", lambda **kwargs: None)


def test_it_computes_the_self_help_rate_per_bucket_and_period(
    personas: Personas, django_assert_max_num_queries
) -> None:
    # January 6 successes, 4 requests; February 2 and 2 (4 cases: suppressed);
    # March 1 and 4 (5 cases: shown). Outside: December, and the other network.
    successes(personas, 6, dt.date(2026, 1, 10))
    successes(personas, 2, dt.date(2026, 2, 10))
    successes(personas, 1, dt.date(2026, 3, 10))
    successes(personas, 3, dt.date(2025, 12, 10))
    for day, count in [
        (dt.date(2026, 1, 12), 4),
        (dt.date(2026, 2, 12), 2),
        (dt.date(2026, 3, 12), 4),
    ]:
        for _index in range(count):
            request(personas, created=day)
    request(personas, created=dt.date(2026, 4, 2))
    with django_assert_max_num_queries(2):
        figure = self_help_rate(personas.network, Q1)
    assert values(figure, "rate") == [60.0, None, 20.0]
    # 9 ÷ (9 + 10) = 47.37 %
    assert key_numbers(figure) == [47.4, 9, 10]
    assert figure.key_numbers[0].display == "47,4 %"
    assert figure.formula == "Selbsthilfequote = 9 ÷ (9 + 10) = 47,4 %"
    assert figure.unit == "%" and REGISTRY["self_help_rate"].public


def test_it_suppresses_the_rate_of_fewer_than_five_cases(personas: Personas) -> None:
    successes(personas, 3, dt.date(2026, 1, 10))
    request(personas, created=dt.date(2026, 1, 12))
    figure = self_help_rate(personas.network, Q1)
    assert values(figure, "rate") == [None, None, None]
    assert key_numbers(figure) == [None, None, None]
    assert "weniger als 5 Fälle" in figure.formula and "3" not in figure.formula


@pytest.fixture
def handled(personas):
    """The requests and bookings of the module docstring; returns (people, clusters)."""
    people = it_people(personas, 5)
    drucker, email = personas.cluster, cluster(personas, "E-Mail")
    q1, q2 = dt.date(2026, 2, 10), dt.date(2026, 5, 10)
    for person, minutes in zip(people, [30, 45, 60, 90, 150], strict=True):
        entry = book(request(personas, created=q1, solved=q1, cluster=drucker), person, minutes)
    book(entry.request, people[0], 30, reverses=entry)  # 150 − 30 = 120
    solved_on = [q1, q2, q2, q2]  # one E-Mail request in Q1, three in Q2
    for person, minutes, day in zip(people[1:], [15, 15, 20, 20], solved_on, strict=True):
        book(request(personas, created=day, solved=day, cluster=email), person, minutes)
    book(request(personas, created=q1, cluster=drucker), people[0], 600)  # still open
    gone = book(request(personas, created=q1, solved=q1, cluster=drucker), people[0], 5)
    book(gone.request, people[0], 5, reverses=gone)  # net 0: no booking left
    old = request(personas, created=dt.date(2025, 6, 1), solved=dt.date(2025, 6, 2), cluster=email)
    book(old, people[0], 1)  # solved more than 12 months before 1 July 2026
    return people, drucker, email


def test_it_computes_the_median_handling_times(personas, handled, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        times = handling_times(personas.network, dt.date(2026, 7, 1))
    _people, drucker, _email = handled
    assert times.clusters == {drucker.pk: 1.0}
    assert times.network == 0.5
    assert (times.window_start, times.window_end) == (dt.date(2025, 7, 1), dt.date(2026, 7, 1))


@pytest.fixture
def helped(personas, handled):
    """Q1: Drucker 6, E-Mail 2, without article 1; Q2: Drucker 3, E-Mail 2 successes."""
    _people, drucker, email = handled
    printer, mail = article(personas, drucker, "drucker"), article(personas, email, "mail")
    successes(personas, 6, dt.date(2026, 1, 20), article=printer)
    successes(personas, 2, dt.date(2026, 2, 20), article=mail)
    successes(personas, 1, dt.date(2026, 3, 20))
    successes(personas, 3, dt.date(2026, 4, 20), article=printer)
    successes(personas, 2, dt.date(2026, 5, 20), article=mail)
    successes(personas, 4, dt.date(2026, 7, 1), article=printer)  # after the period
    return handled


def test_it_estimates_hours_saved_per_quarter_with_the_formula(
    personas, helped, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):
        figure = hours_saved(personas.network, H1)
    assert figure.categories == ["1. Quartal 2026", "2. Quartal 2026"]
    # Q1: 6 × 1 h + 2 × 0.5 h + 1 × 0.5 h = 7.5 h; Q2: 3 × 1 h + 2 × 0.5 h = 4 h
    assert values(figure, "self_help") == [7.5, 4.0]
    assert values(figure, "surveys") == [0.0, 0.0]  # nobody answered a survey
    assert key_numbers(figure) == [11.5, 0.0, 0]
    assert figure.key_numbers[0].display == "11,5 Std."
    # Drucker 9 successes; E-Mail 4 and without cluster 1 are merged (5 together).
    assert (
        "Drucker: 9 Erfolge × 1,00 Std. = 9,0 Std.; weitere Themen: 5 Erfolge = 2,5 Std.; "
        "zusammen 11,5 Std." in figure.formula
    )
    assert "vom 1. Juli 2025 bis 30. Juni 2026" in figure.formula


def test_it_merges_the_smallest_line_into_a_rest_of_fewer_than_five(personas, helped):
    successes(personas, 1, dt.date(2026, 3, 21), article=helped[2].articles.get())
    figure = hours_saved(personas.network, H1)
    # E-Mail now has 5 successes, but without cluster (1) alone could be recomputed from the
    # sum: the smallest line (E-Mail) joins it.
    assert (
        "Drucker: 9 Erfolge × 1,00 Std. = 9,0 Std.; weitere Themen: 6 Erfolge = 3,0 Std.; "
        "zusammen 12,0 Std." in figure.formula
    )


def test_it_shows_lines_of_five_with_the_network_median(personas, helped):
    successes(personas, 1, dt.date(2026, 3, 21), article=helped[2].articles.get())
    successes(personas, 5, dt.date(2026, 3, 22))
    figure = hours_saved(personas.network, H1)
    assert (
        "Drucker: 9 Erfolge × 1,00 Std. = 9,0 Std.; "
        "E-Mail: 5 Erfolge × 0,50 Std. (Netzwerk-Median) = 2,5 Std.; "
        "ohne Themencluster: 6 Erfolge × 0,50 Std. (Netzwerk-Median) = 3,0 Std.; "
        "zusammen 14,5 Std." in figure.formula
    )
    assert values(figure, "self_help") == [10.5, 4.0]


def test_it_suppresses_quarters_of_few_successes_and_their_complement(personas, handled):
    _people, drucker, _email = handled
    printer = article(personas, drucker, "drucker")
    successes(personas, 6, dt.date(2026, 1, 20), article=printer)
    successes(personas, 3, dt.date(2026, 4, 20), article=printer)
    figure = hours_saved(personas.network, H1)
    # Q2 rests on 3 successes; with the total shown it could be recomputed → Q1 hidden too.
    assert values(figure, "self_help") == [None, None]
    assert key_numbers(figure)[0] == 9.0


def test_it_falls_back_to_the_network_median_for_a_cluster_of_four_people(personas, helped):
    people, drucker, _email = helped
    # p5's Drucker booking goes to p4: Drucker rests on 4 people; the network still on 5.
    TimeEntry.objects.filter(person=people[4], request__cluster=drucker).update(person=people[3])
    times = handling_times(personas.network, dt.date(2026, 7, 1))
    assert times.clusters == {} and times.network == 0.5
    figure = hours_saved(personas.network, H1)
    assert values(figure, "self_help") == [4.5, 2.5]


def test_it_estimates_nothing_without_a_network_median_of_five_people(personas, helped):
    people, _drucker, _email = helped
    TimeEntry.objects.filter(person=people[4]).update(person=people[3])
    figure = hours_saved(personas.network, H1)
    assert values(figure, "self_help") == [None, None]
    assert key_numbers(figure)[0] is None
    assert "keine Schätzung möglich" in figure.formula


def test_it_shows_hours_saved_per_surveys(personas, helped):
    from amtshilfe.surveys.models import Question, SurveyInvitation
    from amtshilfe.surveys.services import (
        answer_survey,
        create_survey_from_template,
        open_survey,
    )
    from amtshilfe.surveys.tests.factories import people

    people(personas, personas.a, 3)
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC), tick=False):
        survey = create_survey_from_template(
            actor=personas.coordinator, network=personas.network, template="quartal"
        )
        open_survey(actor=personas.coordinator, survey=survey)
        hours = survey.questions.get(metric=Question.Metric.HOURS_SAVED)
        scale = survey.questions.get(kind=Question.Kind.SCALE)
        invited = [i.user for i in SurveyInvitation.objects.filter(survey=survey).order_by("id")]
        # options: keine 0, bis 2 → 1, 2–5 → 3.5, 5–10 → 7.5, mehr als 10 → 12
        for user, choice in zip(invited[:5], [0, 1, 2, 3, 4], strict=True):
            answer_survey(
                actor=user,
                survey=survey,
                answers={hours.field_name: str(choice), scale.field_name: "4"},
            )
    with time_machine.travel(dt.datetime(2026, 4, 2, 9, tzinfo=dt.UTC), tick=False):
        for user in invited[5:7]:
            answer_survey(
                actor=user, survey=survey, answers={hours.field_name: "2", scale.field_name: "4"}
            )
    figure = hours_saved(personas.network, H1)
    # Q1: 0 + 1 + 3.5 + 7.5 + 12 = 24 h from 5 answers; Q2: 2 answers → suppressed
    assert values(figure, "surveys") == [24.0, None]
    assert key_numbers(figure) == [11.5, None, 7]
    assert values(figure, "self_help") == [7.5, 4.0]
