"""`remind-surveys`: reminders once per reminder day to those who have not answered."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import time_machine
from django.core import mail
from django.core.management import call_command

from amtshilfe.conftest import Personas
from amtshilfe.surveys.models import Survey, SurveyInvitation
from amtshilfe.surveys.services import close_due_surveys, open_survey, send_survey_reminders
from amtshilfe.surveys.tests.factories import answer_as, survey_with_questions, tokens_in_mail
from amtshilfe.surveys.tokens import hash_token

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def at(days: int, hour: int = 8) -> Any:
    return time_machine.travel(START + dt.timedelta(days=days, hours=hour - 8), tick=False)


def test_it_reminds_once_per_reminder_day(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    with at(0):
        survey = survey_with_questions(personas, audience="it", closes_at=dt.date(2026, 3, 30))
        open_survey(actor=personas.coordinator, survey=survey)
        answer_as(personas.alice, survey, 4)
    with at(6):
        assert send_survey_reminders() == 0
    mail.outbox.clear()
    with at(7), django_capture_on_commit_callbacks(execute=True):
        assert send_survey_reminders() == 1  # dora only: alice answered
    assert [m.to for m in mail.outbox] == [["dora@example.org"]]
    assert "Erinnerung" in mail.outbox[0].subject
    with at(7, hour=18):
        assert send_survey_reminders() == 0  # second run the same day
    with at(10):
        assert send_survey_reminders() == 0
    with at(15):  # day 14 was missed by cron: made up once on day 15
        assert send_survey_reminders() == 1
        assert send_survey_reminders() == 0
    with at(20):
        assert send_survey_reminders() == 0


def test_it_replaces_the_link_with_the_reminder(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    with at(0), django_capture_on_commit_callbacks(execute=True):
        survey = survey_with_questions(personas, audience="it", closes_at=dt.date(2026, 3, 30))
        open_survey(actor=personas.coordinator, survey=survey)
    first = {m.to[0]: tokens_in_mail()[i] for i, m in enumerate(mail.outbox)}
    mail.outbox.clear()
    with at(7), django_capture_on_commit_callbacks(execute=True):
        send_survey_reminders()
    newest = dict(zip([m.to[0] for m in mail.outbox], tokens_in_mail(), strict=True))
    dora = SurveyInvitation.objects.get(survey=survey, user=personas.dora)
    assert dora.token_hash == hash_token(newest["dora@example.org"])
    assert dora.token_hash != hash_token(first["dora@example.org"])
    assert dora.last_reminded_on == dt.date(2026, 3, 9)


def test_it_closes_surveys_after_their_last_day(personas: Personas) -> None:
    with at(0):
        survey = survey_with_questions(personas, closes_at=dt.date(2026, 3, 5))
        open_survey(actor=personas.coordinator, survey=survey)
    with at(3):
        assert close_due_surveys() == 0
    with at(4):
        out = StringIO()
        call_command("remind_surveys", stdout=out)
        assert "1 Umfrage(n) beendet" in out.getvalue()
    assert Survey.objects.get(pk=survey.pk).status == Survey.Status.CLOSED
