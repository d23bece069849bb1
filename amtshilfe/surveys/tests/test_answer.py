"""Answering a survey in the app and by link: once, anonymously, GET never writes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client

from amtshilfe.conftest import Personas
from amtshilfe.core.models import AuditEvent
from amtshilfe.surveys.models import Answer, Response, Survey, SurveyInvitation
from amtshilfe.surveys.services import answer_survey, open_survey
from amtshilfe.surveys.tests.factories import (
    answer_as,
    fields,
    invitation,
    open_with,
    survey_with_questions,
    tokens_in_mail,
)


@pytest.fixture
def survey(personas: Personas) -> Survey:
    return open_with(personas, survey_with_questions(personas))


def test_it_answers_in_the_app_once(personas: Personas, survey: Survey) -> None:
    client = personas.client(personas.bob)
    names = fields(survey)
    page = client.get(f"/umfragen/{survey.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<fieldset") == 3 and "<legend>Wie zufrieden sind Sie?" in html
    response = client.post(
        f"/umfragen/{survey.pk}/",
        {names["scale"]: "4", names["single"]: "2", names["multiple"]: ["0", "1"]},
    )
    assert response.status_code == 302
    assert invitation(survey, personas.bob).answered
    answers = Answer.objects.filter(response__survey=survey)
    assert sorted((a.question.kind, a.number) for a in answers) == [
        ("multiple", 0),
        ("multiple", 1),
        ("scale", 4),
        ("single", 2),
    ]
    again = client.get(f"/umfragen/{survey.pk}/")
    assert "bereits teilgenommen" in again.content.decode()
    with pytest.raises(ValidationError, match="bereits teilgenommen"):
        answer_as(personas.bob, survey, 3)
    assert Response.objects.filter(survey=survey).count() == 1


def test_it_links_errors_to_the_questions(personas: Personas, survey: Survey) -> None:
    client = personas.client(personas.bob)
    response = client.post(f"/umfragen/{survey.pk}/", {})
    assert response.status_code == 400
    html = response.content.decode()
    scale = fields(survey)["scale"]
    assert f'href="#{scale}_0"' in html
    assert f'id="{scale}_error"' in html and "Bitte beantworten Sie diese Frage." in html
    assert not invitation(survey, personas.bob).answered


def test_it_stores_responses_without_the_person(personas: Personas, survey: Survey) -> None:
    answer_as(personas.bob, survey, 5, text="Mehr Schulungen")
    for model in (Response, Answer):
        for field in model._meta.get_fields():
            assert not (
                isinstance(field, models.ForeignKey)
                and field.related_model in (personas.bob.__class__, SurveyInvitation)
            ), f"{model.__name__}.{field.name} would link the answer to a person"
            assert not isinstance(field, models.DateTimeField), f"{model.__name__}.{field.name}"
    assert not any(
        isinstance(f, models.DateTimeField) and f.name == "updated_at"
        for f in SurveyInvitation._meta.get_fields()
    )
    response = Response.objects.get(survey=survey)
    assert response.municipality == personas.a and response.role == "staff"
    assert not AuditEvent.objects.filter(action__startswith="survey.answer").exists()


def test_it_answers_by_link_without_login_and_get_does_not_write(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    draft = survey_with_questions(personas, audience="municipality", municipality=personas.b)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        open_survey(actor=personas.coordinator, survey=draft)
    charlie_mail = next(m for m in mail.outbox if m.to == ["charlie@example.org"])
    token = re.search(r"/umfragen/link/([A-Za-z0-9_-]+)/", charlie_mail.body).group(1)  # type: ignore[union-attr]
    url = f"/umfragen/link/{token}/"
    client = Client()
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert Response.objects.count() == 0
    names = fields(draft)
    assert client.post(url, {names["scale"]: "2"}).status_code == 302
    assert invitation(draft, personas.charlie).answered
    assert Response.objects.get().municipality == personas.b
    used = client.get(url)
    assert used.status_code == 410 and "bereits beantwortet" in used.content.decode()
    unknown = client.get("/umfragen/link/" + "Z" * 43 + "/")
    assert unknown.status_code == 404


def test_it_refuses_answers_after_the_survey_closed(personas: Personas, survey: Survey) -> None:
    from amtshilfe.surveys.services import close_survey

    close_survey(actor=personas.coordinator, survey=survey)
    with pytest.raises(ValidationError, match="beendet"):
        answer_as(personas.bob, survey, 3)


def test_it_refuses_people_who_were_not_invited(personas: Personas) -> None:
    survey = open_with(personas, survey_with_questions(personas, audience="it"))
    with pytest.raises(ValidationError, match="nicht eingeladen"):
        answer_survey(actor=personas.bob, survey=survey, answers={})
    assert personas.client(personas.bob).get(f"/umfragen/{survey.pk}/").status_code == 404


def test_it_refuses_choices_that_do_not_exist(personas: Personas, survey: Survey) -> None:
    names = fields(survey)
    with pytest.raises(ValidationError) as error:
        answer_survey(
            actor=personas.bob,
            survey=survey,
            answers={names["scale"]: "6", names["single"]: "7", names["multiple"]: ["0", "x"]},
        )
    assert set(error.value.message_dict) == {names["scale"], names["single"], names["multiple"]}


def test_it_lists_open_surveys_for_the_person(personas: Personas, survey: Survey) -> None:
    html = personas.client(personas.bob).get("/umfragen/").content.decode()
    assert survey.title in html
    answer_as(personas.bob, survey, 3)
    html = personas.client(personas.bob).get("/umfragen/").content.decode()
    assert survey.title not in html
    assert tokens_in_mail() is not None
