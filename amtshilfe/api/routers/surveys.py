"""`/api/v1/surveys`: one's own open survey invitations and answering them.

Same rules as the pages: a survey one is not invited to answers 404 (like a missing one);
answers are stored anonymously (ADR 0017); errors are 422 with German messages keyed by
``frage_<id>``. The API shows no results – those are only on the pages, with suppression.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from ninja.errors import HttpError

from amtshilfe.accounts.models import User
from amtshilfe.surveys import access
from amtshilfe.surveys.models import Survey, SurveyInvitation
from amtshilfe.surveys.services import answer_survey
from amtshilfe.tenancy.access import is_network_member
from amtshilfe.tenancy.current import current_network
from amtshilfe.tenancy.models import Network

router = Router(tags=["surveys"])


class QuestionOut(Schema):
    id: int
    field: str
    kind: str
    text: str
    required: bool
    options: list[str]
    low_label: str
    high_label: str


class OpenSurveyOut(Schema):
    id: int
    title: str
    intro: str
    closes_at: dt.date
    url: str
    questions: list[QuestionOut]


class ResponseIn(Schema):
    """Answers keyed by the question's ``field`` (``frage_<id>``): scale "1"–"5", a choice's
    index ("0", "1", …), a list of indexes for multiple choice, or text."""

    answers: dict[str, str | int | list[str | int]]


class ResponseOut(Schema):
    survey: int
    message: str


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # TokenAuth set it
    return user


def _network(request: HttpRequest) -> Network:
    network = current_network(request)
    if network is None or not is_network_member(request.user, network):
        raise HttpError(404, "Sie gehören keinem Netzwerk an.")
    return network


@router.get("/open", response=list[OpenSurveyOut], summary="Eigene offene Umfragen mit Fragen")
def open_surveys(request: HttpRequest) -> list[OpenSurveyOut]:
    user, network = _user(request), _network(request)
    invitations = (
        SurveyInvitation.objects.for_user(user)
        .waiting()
        .filter(survey__network=network)
        .select_related("survey")
        .prefetch_related("survey__questions")
        .order_by("survey__closes_at", "survey_id")
    )
    return [
        OpenSurveyOut(
            id=invitation.survey.pk,
            title=invitation.survey.title,
            intro=invitation.survey.intro,
            closes_at=invitation.survey.closes_at,
            url=request.build_absolute_uri(
                reverse("surveys:answer", kwargs={"pk": invitation.survey.pk})
            ),
            questions=[
                QuestionOut(
                    id=question.pk,
                    field=question.field_name,
                    kind=question.kind,
                    text=question.text,
                    required=question.required,
                    options=list(question.options),
                    low_label=question.low_label,
                    high_label=question.high_label,
                )
                for question in invitation.survey.questions.all()
            ],
        )
        for invitation in invitations
    ]


@router.post(
    "/{survey_id}/responses",
    response={201: ResponseOut},
    summary="Eine Umfrage beantworten (einmal, anonym gespeichert)",
)
def respond(request: HttpRequest, survey_id: int, payload: ResponseIn) -> ResponseOut:
    user, network = _user(request), _network(request)
    survey, _can_write = access.get_survey_for_user(user, network, survey_id)
    if survey.status == Survey.Status.DRAFT:
        raise HttpError(404, "Nicht gefunden.")
    answer_survey(actor=user, survey=survey, answers=payload.answers)
    # the only response declared is 201
    return ResponseOut(survey=survey.pk, message="Danke! Ihre Antworten sind anonym gespeichert.")
