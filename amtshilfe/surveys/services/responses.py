"""Answering a survey – in the app or by link – as an anonymous response.

What is written (ADR 0017):

- the invitation gets ``answered = True`` (no time: the invitation has no ``updated_at``);
- a ``Response`` with the survey, the *day*, the municipality and role (for breakdowns of
  at least five), and its ``Answer`` rows – no user, no invitation, no timestamp.

Deliberately **no audit event**: an audit row carries the actor, the exact time and the IP
address and would undo the anonymity. The invitation's ``answered`` flag is the record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.surveys.models import Answer, Question, Response, Survey, SurveyInvitation
from amtshilfe.surveys.tokens import find_by_token
from amtshilfe.tenancy.models import Membership, Municipality

MAX_TEXT = 5000
Cleaned = list[tuple[Question, int | None, str]]


def validate_answers(questions: Sequence[Question], data: Mapping[str, Any]) -> Cleaned:
    """Check raw answers keyed by ``question.field_name``; returns ``(question, number, text)``.

    Scale: "1"…"5"; single choice: the option's index; multiple choice: a list of indexes;
    free text: up to 5,000 characters. Errors are German and keyed by the field name.
    """
    errors: dict[str, str] = {}
    cleaned: Cleaned = []
    for question in questions:
        value = data.get(question.field_name)
        values = (
            value if isinstance(value, (list, tuple)) else ([] if value in (None, "") else [value])
        )
        values = [str(item).strip() for item in values if str(item).strip()]
        if not values:
            if question.required:
                errors[question.field_name] = _("Bitte beantworten Sie diese Frage.")
            continue
        if question.kind == Question.Kind.TEXT:
            text = values[0]
            if len(text) > MAX_TEXT:
                errors[question.field_name] = _("Höchstens 5.000 Zeichen.")
            else:
                cleaned.append((question, None, text))
            continue
        allowed = (
            range(1, 6) if question.kind == Question.Kind.SCALE else range(len(question.options))
        )
        try:
            numbers = sorted({int(item) for item in values})
        except ValueError:
            numbers = [-1]
        if any(number not in allowed for number in numbers) or (
            question.kind != Question.Kind.MULTIPLE and len(numbers) != 1
        ):
            errors[question.field_name] = _("Bitte wählen Sie eine der angebotenen Antworten.")
            continue
        cleaned.extend((question, number, "") for number in numbers)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _respondent_group(survey: Survey, user: User) -> tuple[Municipality | None, str]:
    """The municipality and role a response counts for (the first matching membership)."""
    memberships = (
        Membership.objects.current()
        .filter(user=user, municipality__network=survey.network)
        .order_by("municipality__name", "pk")
    )
    if survey.audience == Survey.Audience.MUNICIPALITY:
        memberships = memberships.filter(municipality=survey.municipality)
    elif survey.audience in (Survey.Audience.STAFF, Survey.Audience.IT):
        memberships = memberships.filter(role=survey.audience)
    first = memberships.select_related("municipality").first()
    return (first.municipality, first.role) if first else (None, "")


def _submit(
    invitation: SurveyInvitation, data: Mapping[str, Any], today: dt.date | None = None
) -> Response:
    today = today or timezone.localdate()
    locked = (
        SurveyInvitation.objects.select_for_update(of=("self",))
        .select_related("survey", "survey__network", "user")
        .get(pk=invitation.pk)
    )
    survey = locked.survey
    if locked.answered:
        raise ValidationError(_("Sie haben an dieser Umfrage bereits teilgenommen."))
    if survey.status != Survey.Status.OPEN or survey.closes_at < today:
        raise ValidationError(_("Diese Umfrage ist beendet."))
    cleaned = validate_answers(list(survey.questions.all()), data)
    municipality, role = _respondent_group(survey, locked.user)
    response = Response.objects.create(
        survey=survey, submitted_on=today, municipality=municipality, role=role
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=question, number=number, text=text)
        for question, number, text in cleaned
    )
    # ``update`` on purpose: nothing but the flag changes, no time is written.
    SurveyInvitation.objects.filter(pk=locked.pk).update(answered=True)
    return response


def answer_survey(
    *, actor: User, survey: Survey, answers: Mapping[str, Any], today: dt.date | None = None
) -> Response:
    """Answer in the app: the person must be invited and not have answered yet
    (``today``: the day of the answer, default now – the demo answers in the past)."""
    with transaction.atomic():
        invitation = SurveyInvitation.objects.filter(survey=survey, user=actor).first()
        if invitation is None:
            raise ValidationError(_("Sie sind zu dieser Umfrage nicht eingeladen."))
        return _submit(invitation, answers, today)


def survey_invitation_for_token(raw: str) -> tuple[SurveyInvitation | None, str]:
    """The invitation of a link and why it cannot be used ("" when it can); reads only."""
    invitation = find_by_token(
        SurveyInvitation.objects.select_related("survey", "survey__network", "user"), raw
    )
    if invitation is None:
        return None, "unknown"
    if invitation.answered:
        return invitation, "used"
    survey = invitation.survey
    if (
        invitation.expires_at <= timezone.now()
        or survey.status != Survey.Status.OPEN
        or survey.closes_at < timezone.localdate()
    ):
        return invitation, "expired"
    if not invitation.user.is_active:
        return invitation, "unknown"
    return invitation, ""


class SurveyLinkUnusable(Exception):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def answer_survey_by_link(*, token: str, answers: Mapping[str, Any]) -> Response:
    """Answer through the one-click link (no login): once, while the survey is open."""
    with transaction.atomic():
        invitation, problem = survey_invitation_for_token(token)
        if invitation is None or problem:
            raise SurveyLinkUnusable(problem or "unknown")
        return _submit(invitation, answers)
