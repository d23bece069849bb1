"""The one-click rating link: GET shows, POST rates once; used, expired, unknown links."""

from __future__ import annotations

import datetime as dt
import hmac
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from amtshilfe.board.models import ServiceRequest
from amtshilfe.conftest import Personas
from amtshilfe.surveys import tokens
from amtshilfe.surveys.models import RatingInvitation
from amtshilfe.surveys.services import invite_requester_after_close
from amtshilfe.surveys.tests.factories import closed_request, tokens_in_mail

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def link(personas: Personas, django_capture_on_commit_callbacks: Any) -> tuple[ServiceRequest, str]:
    request = closed_request(personas)
    with django_capture_on_commit_callbacks(execute=True):
        invite_requester_after_close(service_request=request)
    (token,) = set(tokens_in_mail())
    return request, f"/umfragen/bewertung/{token}/"


def test_it_preselects_the_clicked_rating_and_does_not_write_on_get(
    link: tuple[ServiceRequest, str],
) -> None:
    request, url = link
    response = Client().get(url + "?wert=4")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'value="4"[^>]*checked', html)
    assert html.count("checked") == 1
    assert "Bewertung senden" in html
    request.refresh_from_db()
    assert request.rating is None
    assert RatingInvitation.objects.get(request=request).used_at is None
    assert "no-cache" in response["Cache-Control"]


def test_it_rates_through_the_board_once(link: tuple[ServiceRequest, str]) -> None:
    request, url = link
    client = Client()
    response = client.post(url, {"rating": "5", "comment": "Schnell geholfen"})
    assert response.status_code == 302 and response["Location"] == "/umfragen/danke/"
    request.refresh_from_db()
    assert request.rating == 5 and request.rating_comment == "Schnell geholfen"
    assert request.status == ServiceRequest.Status.CLOSED
    assert RatingInvitation.objects.get(request=request).used_at is not None
    again = client.post(url, {"rating": "1"})
    assert again.status_code == 410
    assert "bereits bewertet" in again.content.decode()
    request.refresh_from_db()
    assert request.rating == 5
    assert Client().get(url).status_code == 410


def test_it_keeps_the_link_usable_after_bad_input(link: tuple[ServiceRequest, str]) -> None:
    request, url = link
    response = Client().post(url, {"rating": "9", "comment": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte wählen Sie eine Bewertung von 1 bis 5." in html
    assert 'href="#id_rating_0"' in html  # the error summary links to the group
    request.refresh_from_db()
    assert request.rating is None
    assert Client().post(url, {"rating": "3"}).status_code == 302


def test_it_refuses_an_expired_link(link: tuple[ServiceRequest, str]) -> None:
    request, url = link
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        response = Client().post(url, {"rating": "5"})
        assert response.status_code == 410
        assert "abgelaufen" in response.content.decode()
    request.refresh_from_db()
    assert request.rating is None


@pytest.mark.parametrize(
    "token",
    ["x" * 43, "A" * 43, "abc-def_ghi", "abc"],
)
def test_it_answers_unknown_links_with_a_german_page(
    link: tuple[ServiceRequest, str], token: str
) -> None:
    assert link
    response = Client().get(f"/umfragen/bewertung/{token}/")
    assert response.status_code == 404
    assert "Diesen Link kennen wir nicht" in response.content.decode()


def test_it_compares_the_hash_in_constant_time(
    link: tuple[ServiceRequest, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(tokens.hmac, "compare_digest", spy)
    _request, url = link
    assert Client().get(url).status_code == 200
    assert calls and all(len(a) == 64 for a, _b in calls)


def test_it_shows_when_the_request_was_rated_in_the_app(
    personas: Personas, link: tuple[ServiceRequest, str]
) -> None:
    from amtshilfe.board.services import rate_request

    request, url = link
    rate_request(actor=personas.bob, request=request, rating=2)
    response = Client().get(url)
    assert response.status_code == 409
    assert "bereits bewertet" in response.content.decode()


def test_it_keeps_a_comment_with_markup_inert(link: tuple[ServiceRequest, str]) -> None:
    request, url = link
    assert Client().post(url, {"rating": "4", "comment": XSS}).status_code == 302
    request.refresh_from_db()
    assert request.rating_comment == XSS  # stored as typed; escaped wherever shown
