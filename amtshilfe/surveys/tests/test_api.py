"""`/api/v1/surveys`: own open invitations and answering them, anonymous like the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from amtshilfe.accounts.models import User
from amtshilfe.accounts.tokens import create_api_token
from amtshilfe.conftest import Personas
from amtshilfe.surveys.models import Response, Survey
from amtshilfe.surveys.tests.factories import fields, invitation, open_with, survey_with_questions


class Api:
    def __init__(self, user: User) -> None:
        _token, raw = create_api_token(user=user, name="test")
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def get(self, path: str) -> Any:
        return self.client.get(f"/api/v1/surveys{path}")

    def post(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(f"/api/v1/surveys{path}", data, content_type="application/json")


@pytest.fixture
def survey(personas: Personas) -> Survey:
    return open_with(personas, survey_with_questions(personas, audience="staff"))


def test_it_lists_own_open_invitations(personas: Personas, survey: Survey) -> None:
    found = Api(personas.bob).get("/open").json()
    assert [item["id"] for item in found] == [survey.pk]
    assert [q["kind"] for q in found[0]["questions"]] == ["scale", "single", "multiple", "text"]
    assert Api(personas.alice).get("/open").json() == []  # IT is not in the audience
    assert Api(personas.olga).get("/open").json() == []


def test_it_answers_once(personas: Personas, survey: Survey) -> None:
    names = fields(survey)
    api = Api(personas.bob)
    payload = {"answers": {names["scale"]: 4, names["multiple"]: [0, 2], names["text"]: "Gut"}}
    response = api.post(f"/{survey.pk}/responses", payload)
    assert response.status_code == 201, response.content
    assert invitation(survey, personas.bob).answered
    assert Response.objects.filter(survey=survey).count() == 1
    again = api.post(f"/{survey.pk}/responses", payload)
    assert again.status_code == 422 and "bereits teilgenommen" in again.content.decode()
    assert api.get("/open").json() == []


def test_it_reports_bad_answers_in_german(personas: Personas, survey: Survey) -> None:
    response = Api(personas.bob).post(f"/{survey.pk}/responses", {"answers": {}})
    assert response.status_code == 422
    assert "Bitte beantworten Sie diese Frage." in response.content.decode()
    assert not invitation(survey, personas.bob).answered


def test_it_hides_from_other_network_and_uninvited(personas: Personas, survey: Survey) -> None:
    assert Api(personas.olga).post(f"/{survey.pk}/responses", {"answers": {}}).status_code == 404
    assert Api(personas.alice).post(f"/{survey.pk}/responses", {"answers": {}}).status_code == 404


def test_it_requires_rw_access(personas: Personas) -> None:
    """The steering group sees every survey but, not being invited, cannot answer."""
    survey = open_with(personas, survey_with_questions(personas, audience="it"))
    response = Api(personas.steering).post(f"/{survey.pk}/responses", {"answers": {}})
    assert response.status_code == 422
    assert "nicht eingeladen" in response.content.decode()
    assert Client().get("/api/v1/surveys/open").status_code == 401
