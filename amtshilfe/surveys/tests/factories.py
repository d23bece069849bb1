"""Shared set-up of the survey tests: closed requests, surveys with questions, answers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from unittest import mock

from django.core import mail

from amtshilfe.accounts.models import User
from amtshilfe.board.models import ServiceRequest
from amtshilfe.board.services import close_request, file_request, set_request_cluster
from amtshilfe.conftest import PASSWORD, Personas
from amtshilfe.surveys.models import Question, Survey, SurveyInvitation
from amtshilfe.surveys.services import add_question, answer_survey, create_survey, open_survey
from amtshilfe.tenancy.models import Municipality
from amtshilfe.tenancy.services import create_person

TOKEN_LINK = re.compile(r"https?://[^\s]+/umfragen/(?:link|bewertung)/([A-Za-z0-9_-]+)/")


def closed_request(
    personas: Personas, *, requester: User | None = None, hook: bool = False
) -> ServiceRequest:
    """A request of bob (or ``requester``) in A, classified and closed by the coordination.

    Without ``hook`` the board's call of ``invite_requester_after_close`` (once the lead has
    wired it into ``close_request``) does nothing, so tests invite explicitly.
    """
    request = file_request(
        actor=requester or personas.bob,
        network=personas.network,
        municipality=personas.a,
        title="Drucker im Bürgerbüro druckt nicht",
        description="Seit heute früh kommt nichts mehr aus dem Drucker.",
    )
    request = set_request_cluster(
        actor=personas.coordinator, request=request, cluster=personas.cluster
    )
    if hook:
        return close_request(actor=personas.coordinator, request=request)
    with mock.patch("amtshilfe.surveys.services.invite_requester_after_close"):
        return close_request(actor=personas.coordinator, request=request)


def tokens_in_mail() -> list[str]:
    return [token for message in mail.outbox for token in TOKEN_LINK.findall(message.body)]


def people(
    personas: Personas, municipality: Municipality, count: int, role: str = "staff"
) -> list[User]:
    """``count`` extra people in ``municipality`` (to reach the group size of five)."""
    made = []
    for index in range(count):
        name = f"{municipality.slug}{role}{index}"
        made.append(
            create_person(
                actor=None,
                network=municipality.network,
                username=name,
                first_name=name.capitalize(),
                last_name="Test",
                email=f"{name}@example.org",
                municipality=municipality,
                role=role,
                started_on=dt.date(2026, 1, 1),
                password=PASSWORD,
            )
        )
    return made


def survey_with_questions(personas: Personas, **kwargs: Any) -> Survey:
    """A draft with a scale, a single-choice, a multiple-choice and a free-text question."""
    values: dict[str, Any] = {
        "actor": personas.coordinator,
        "network": personas.network,
        "title": "Zufriedenheit 2026",
        "intro": "Bitte kurz antworten.",
        "closes_at": dt.date.today() + dt.timedelta(days=21),
        "reminder_days": [7, 14],
    }
    values.update(kwargs)
    survey = create_survey(**values)
    add_question(
        actor=personas.coordinator,
        survey=survey,
        kind=Question.Kind.SCALE,
        text="Wie zufrieden sind Sie?",
        required=True,
        low_label="gar nicht",
        high_label="sehr",
    )
    add_question(
        actor=personas.coordinator,
        survey=survey,
        kind=Question.Kind.SINGLE,
        text="Wie oft nutzen Sie das Netzwerk?",
        options=["nie", "monatlich", "wöchentlich"],
    )
    add_question(
        actor=personas.coordinator,
        survey=survey,
        kind=Question.Kind.MULTIPLE,
        text="Was nutzen Sie?",
        options=["Wissen", "Anfragen", "Assistent"],
    )
    add_question(
        actor=personas.coordinator, survey=survey, kind=Question.Kind.TEXT, text="Was fehlt?"
    )
    return survey


def fields(survey: Survey) -> dict[str, str]:
    return {q.kind: q.field_name for q in survey.questions.all()}


def open_with(personas: Personas, survey: Survey) -> Survey:
    open_survey(actor=personas.coordinator, survey=survey)
    return Survey.objects.get(pk=survey.pk)


def answer_as(user: User, survey: Survey, scale: int, *, text: str = "", choice: str = "1") -> None:
    names = fields(survey)
    answers = {names["scale"]: str(scale), names["single"]: choice, names["multiple"]: ["0", "2"]}
    if text:
        answers[names["text"]] = text
    answer_survey(actor=user, survey=survey, answers=answers)


def invitation(survey: Survey, user: User) -> SurveyInvitation:
    return SurveyInvitation.objects.get(survey=survey, user=user)
