"""Access to the survey pages: coordination writes, steering group reads, others 403/404."""

from __future__ import annotations

import datetime as dt

import pytest

from amtshilfe.conftest import Personas
from amtshilfe.surveys.models import Question, Survey
from amtshilfe.surveys.tests.factories import open_with, survey_with_questions

XSS = '<script>alert("umfrage")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def draft(personas: Personas) -> Survey:
    return survey_with_questions(personas)


def test_it_lets_the_coordination_build_and_open_a_survey(personas: Personas) -> None:
    client = personas.client(personas.coordinator)
    response = client.post(
        "/umfragen/verwaltung/neu/",
        {
            "title": "Neue Umfrage",
            "intro": "Hallo",
            "audience": "it",
            "closes_at": (dt.date.today() + dt.timedelta(days=10)).isoformat(),
            "reminder_days": "3, 7",
        },
    )
    assert response.status_code == 302
    survey = Survey.objects.get(title="Neue Umfrage")
    assert survey.reminder_days == [3, 7] and survey.audience == "it"
    base = f"/umfragen/verwaltung/{survey.pk}/"
    added = client.post(
        base + "fragen/",
        {"kind": "single", "text": "Welche?", "options": "eins\nzwei\n", "required": "on"},
    )
    assert added.status_code == 302
    assert Question.objects.get(survey=survey).options == ["eins", "zwei"]
    assert client.get(base + "vorschau/").status_code == 200
    assert client.post(base + "oeffnen/").status_code == 302
    assert Survey.objects.get(pk=survey.pk).status == "open"
    assert client.post(base + "beenden/").status_code == 302
    assert Survey.objects.get(pk=survey.pk).status == "closed"


def test_it_keeps_input_on_bad_form(personas: Personas) -> None:
    client = personas.client(personas.coordinator)
    response = client.post(
        "/umfragen/verwaltung/neu/",
        {"title": "Behalten", "audience": "municipality", "closes_at": "2020-01-01"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Behalten"' in html
    assert "Bitte wählen Sie die Kommune." in html or "Vergangenheit" in html


def test_it_creates_from_a_template_with_one_click(personas: Personas) -> None:
    response = personas.client(personas.coordinator).post(
        "/umfragen/verwaltung/vorlage/", {"vorlage": "quartal"}
    )
    assert response.status_code == 302
    survey = Survey.objects.get(template="quartal")
    assert survey.questions.count() == 3


def test_it_requires_rw_access(personas: Personas, draft: Survey) -> None:
    client = personas.client(personas.steering)
    base = f"/umfragen/verwaltung/{draft.pk}/"
    assert client.get("/umfragen/verwaltung/").status_code == 200
    assert client.get(base).status_code == 200
    assert client.get(base + "ergebnisse/").status_code == 200
    assert client.post(base, {"title": "x"}).status_code == 403
    assert client.post(base + "fragen/", {"kind": "text", "text": "x"}).status_code == 403
    assert client.post(base + "oeffnen/").status_code == 403
    assert client.post("/umfragen/verwaltung/vorlage/", {"vorlage": "quartal"}).status_code == 403
    assert client.get("/umfragen/verwaltung/neu/").status_code == 403
    question = draft.questions.first()
    assert question is not None
    assert client.post(base + f"fragen/{question.pk}/entfernen/").status_code == 403
    for user in (personas.bob, personas.alice, personas.auditor):
        other = personas.client(user)
        assert other.get("/umfragen/verwaltung/").status_code == 403
        assert other.get(base + "ergebnisse/").status_code == 403
        assert other.get(base + "ergebnisse.csv").status_code == 403


def test_it_hides_from_other_network(personas: Personas, draft: Survey) -> None:
    client = personas.client(personas.olga)  # coordinator of another network
    base = f"/umfragen/verwaltung/{draft.pk}/"
    for path in (base, base + "ergebnisse/", base + "ergebnisse.csv", base + "vorschau/"):
        assert client.get(path).status_code == 404, path
    assert client.post(base + "oeffnen/").status_code == 404
    assert client.get(f"/umfragen/{draft.pk}/").status_code == 404
    assert Survey.objects.get(pk=draft.pk).status == "draft"


def test_it_hides_drafts_from_participants(personas: Personas, draft: Survey) -> None:
    assert personas.client(personas.bob).get(f"/umfragen/{draft.pk}/").status_code == 404


def test_it_keeps_survey_texts_inert(personas: Personas) -> None:
    survey = survey_with_questions(personas, title=f"Titel {XSS}", intro=f"Intro {XSS}")
    from amtshilfe.surveys.services import add_question

    add_question(
        actor=personas.coordinator,
        survey=survey,
        kind="single",
        text=f"Frage {XSS}",
        options=[f"A {XSS}", "B"],
    )
    survey = open_with(personas, survey)
    pages = [
        personas.client(personas.bob).get(f"/umfragen/{survey.pk}/"),
        personas.client(personas.bob).get("/umfragen/"),
        personas.client(personas.coordinator).get(f"/umfragen/verwaltung/{survey.pk}/"),
        personas.client(personas.coordinator).get("/umfragen/verwaltung/"),
    ]
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html


def test_it_requires_login(personas: Personas, draft: Survey) -> None:
    from django.test import Client

    for path in ("/umfragen/", f"/umfragen/{draft.pk}/", "/umfragen/verwaltung/"):
        response = Client().get(path)
        assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
