"""Building surveys: drafts, questions, templates, audience selection, opening and closing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.conftest import Personas
from amtshilfe.core.models import AuditEvent
from amtshilfe.notifications.models import Kind, Notification
from amtshilfe.surveys.models import Question, Survey, SurveyInvitation
from amtshilfe.surveys.services import (
    add_question,
    audience_members,
    close_survey,
    create_survey,
    create_survey_from_template,
    open_survey,
    update_survey,
)
from amtshilfe.surveys.tests.factories import survey_with_questions, tokens_in_mail
from amtshilfe.surveys.tokens import hash_token


def test_it_creates_a_draft_with_questions_in_order(personas: Personas) -> None:
    survey = survey_with_questions(personas)
    assert survey.status == Survey.Status.DRAFT
    assert [q.kind for q in survey.questions.all()] == ["scale", "single", "multiple", "text"]
    assert [q.order for q in survey.questions.all()] == [1, 2, 3, 4]
    assert AuditEvent.objects.filter(action="survey.created").count() == 1


def test_it_refuses_bad_input_in_german(personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        create_survey(
            actor=personas.coordinator,
            network=personas.network,
            title=" ",
            audience="municipality",
            closes_at=dt.date(2020, 1, 1),
            reminder_days=[0],
        )
    assert set(error.value.message_dict) == {"title", "municipality", "closes_at", "reminder_days"}
    survey = survey_with_questions(personas)
    with pytest.raises(ValidationError) as error:
        add_question(
            actor=personas.coordinator, survey=survey, kind="single", text="Eine?", options=["a"]
        )
    assert "mindestens zwei" in error.value.message_dict["options"][0]


def test_it_lets_only_the_coordination_build(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        create_survey(
            actor=personas.steering,
            network=personas.network,
            title="Test",
            closes_at=dt.date.today(),
        )


@pytest.mark.parametrize("template", ["quartal", "gelernt"])
def test_it_creates_a_survey_from_a_template_in_one_click(
    personas: Personas, template: str
) -> None:
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, tzinfo=dt.UTC), tick=False):
        survey = create_survey_from_template(
            actor=personas.coordinator, network=personas.network, template=template
        )
    texts = [q.text for q in survey.questions.all()]
    assert "Was haben Sie gelernt?" in texts
    if template == "quartal":
        assert survey.title == "Quartalsumfrage 2/2026"
        hours = survey.questions.get(metric=Question.Metric.HOURS_SAVED)
        assert hours.text == "Wie viel Zeit hat Ihnen das Netzwerk in diesem Quartal gespart?"
        assert hours.options[0] == "keine" and len(hours.options) == 5


def test_it_selects_the_audience(personas: Personas) -> None:
    def audience(kind: str, **kwargs: Any) -> set[str]:
        survey = survey_with_questions(personas, audience=kind, **kwargs)
        return set(audience_members(survey).values_list("username", flat=True))

    staff = {"bob", "charlie", "coordinator", "steering", "auditor"}
    assert audience("staff") == staff
    assert audience("it") == {"alice", "dora"}
    assert audience("municipality", municipality=personas.b) == {"charlie", "dora", "steering"}
    assert audience("everybody") == staff | {"alice", "dora"}  # never olga (other network)


def test_it_opens_and_invites_each_person_with_an_own_link(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    survey = survey_with_questions(personas, audience="it")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert open_survey(actor=personas.coordinator, survey=survey) == 2
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN and survey.opens_at == dt.date.today()
    tokens = tokens_in_mail()
    assert len(tokens) == 2 and len(set(tokens)) == 2
    stored = set(SurveyInvitation.objects.values_list("token_hash", flat=True))
    assert stored == {hash_token(token) for token in tokens}
    notes = Notification.objects.filter(kind=Kind.SURVEY)
    assert {n.user.username for n in notes} == {"alice", "dora"}
    assert all(n.email_state == Notification.EmailState.NONE for n in notes)
    with pytest.raises(ValidationError):
        update_survey(
            actor=personas.coordinator,
            survey=survey,
            title="Neu",
            audience="it",
            closes_at=survey.closes_at,
        )


def test_it_refuses_to_open_without_questions(personas: Personas) -> None:
    survey = create_survey(
        actor=personas.coordinator,
        network=personas.network,
        title="Leer",
        closes_at=dt.date.today() + dt.timedelta(days=3),
    )
    with pytest.raises(ValidationError, match="mindestens eine Frage"):
        open_survey(actor=personas.coordinator, survey=survey)


def test_it_closes_an_open_survey(personas: Personas) -> None:
    survey = survey_with_questions(personas)
    open_survey(actor=personas.coordinator, survey=survey)
    assert close_survey(actor=personas.coordinator, survey=survey).status == "closed"
    with pytest.raises(ValidationError):
        close_survey(actor=personas.coordinator, survey=survey)


def test_it_moves_questions_within_a_draft(personas: Personas) -> None:
    survey = survey_with_questions(personas)
    first, second = list(survey.questions.all())[:2]
    client = personas.client(personas.coordinator)
    url = f"/umfragen/verwaltung/{survey.pk}/fragen/{second.pk}/verschieben/"
    assert client.post(url, {"richtung": "up"}).status_code == 302
    assert [q.pk for q in survey.questions.all()][:2] == [second.pk, first.pk]
    assert client.post(url, {"richtung": "up"}).status_code == 302  # already first: no change
    assert [q.pk for q in survey.questions.all()][:2] == [second.pk, first.pk]
    assert personas.client(personas.steering).post(url, {"richtung": "down"}).status_code == 403
    assert personas.client(personas.olga).post(url, {"richtung": "down"}).status_code == 404
