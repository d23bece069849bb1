"""`/api/v1/decisions`: the same visibility and voting rules as the pages."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from amtshilfe.accounts.tokens import create_api_token
from amtshilfe.decisions.models import ProposalComment, Vote
from amtshilfe.decisions.services import cast_vote, record_decision_reasons
from amtshilfe.decisions.tests.proposals import NOW, draft, more_steering, opened, reload

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, user):
        _token, raw = create_api_token(user=user, name="test")
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def get(self, path, **params):
        return self.client.get(f"/api/v1/decisions{path}", params)

    def post(self, path, data):
        return self.client.post(f"/api/v1/decisions{path}", data, content_type="application/json")


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def subjects(response):
    return [item["subject"] for item in response.json()["items"]]


def test_it_lists_what_the_caller_may_see(personas, now):
    draft(personas, subject="Entwurf")
    opened(personas, subject="Offen")
    assert sorted(subjects(Api(personas.coordinator).get(""))) == ["Entwurf", "Offen"]
    assert subjects(Api(personas.steering).get("")) == ["Offen"]
    assert subjects(Api(personas.bob).get("")) == []


def test_it_hides_drafts_from_the_steering_group(personas, now):
    proposal = draft(personas)
    assert Api(personas.steering).get(f"/{proposal.pk}").status_code == 404
    assert Api(personas.coordinator).get(f"/{proposal.pk}").status_code == 200


def test_it_hides_from_other_network(personas, now):
    proposal = opened(personas)
    olga = Api(personas.olga)
    assert subjects(olga.get("")) == []
    response = olga.get(f"/{proposal.pk}")
    assert response.status_code == 404
    assert response.json()["detail"] == "Nicht gefunden."
    assert olga.post(f"/{proposal.pk}/vote", {"choice": "accept"}).status_code == 404
    assert olga.post(f"/{proposal.pk}/comments", {"body": "Hallo"}).status_code == 404


def test_it_hides_open_proposals_from_other_members(personas, now):
    proposal = opened(personas)
    assert Api(personas.bob).get(f"/{proposal.pk}").status_code == 404


def test_it_reads_a_proposal_with_options_and_counts(personas, now):
    proposal = opened(personas)
    data = Api(personas.steering).get(f"/{proposal.pk}").json()
    assert data["options"] == ["Gemeinsame Lizenz kaufen", "Jede Kommune kauft selbst"]
    assert "<strong>dasselbe</strong>" in data["background_html"]
    assert data["counts"] == {
        "voted": 0,
        "eligible": 1,
        "accept": None,
        "reject": None,
        "defer": None,
    }
    assert data["can_vote"] is True and data["own_vote"] is None


def test_it_votes_through_the_service(personas, now):
    more_steering(personas, personas.dora)
    proposal = opened(personas)
    response = Api(personas.steering).post(
        f"/{proposal.pk}/vote", {"choice": "accept", "reason": "Spart Geld"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["own_vote"]["choice"] == "accept" and data["counts"]["voted"] == 1
    assert Vote.objects.get(proposal=proposal).voter == personas.steering


def test_it_requires_rw_access(personas, now):
    """Coordination and audit see the open proposal but do not vote: 403 in German."""
    proposal = opened(personas)
    for user in (personas.coordinator, personas.auditor):
        response = Api(user).post(f"/{proposal.pk}/vote", {"choice": "accept"})
        assert response.status_code == 403
        assert response.json()["detail"] == "Dafür fehlt Ihnen die Berechtigung."
    assert Api(personas.auditor).post(f"/{proposal.pk}/comments", {"body": "x"}).status_code == 403
    assert not Vote.objects.exists()


def test_it_rejects_a_bad_choice_in_german(personas, now):
    proposal = opened(personas)
    response = Api(personas.steering).post(f"/{proposal.pk}/vote", {"choice": "vielleicht"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"].startswith("Unzulässiger Wert")


def test_it_shows_result_counts_and_reasons_once_decided(personas, now):
    proposal = opened(personas)
    cast_vote(actor=personas.steering, proposal=proposal, choice="reject", now=NOW)
    record_decision_reasons(
        actor=personas.coordinator, proposal=reload(proposal), text="Zu **teuer**."
    )
    data = Api(personas.bob).get(f"/{proposal.pk}").json()  # the register: every member
    assert data["status"] == "decided" and data["outcome"] == "rejected"
    assert data["counts"]["reject"] == 1 and data["counts"]["accept"] == 0
    assert data["reasons"]["text_html"].count("<strong>teuer</strong>") == 1
    assert data["can_vote"] is False


def test_it_refuses_votes_after_the_decision_with_422(personas, now):
    proposal = opened(personas)
    cast_vote(actor=personas.steering, proposal=proposal, choice="accept", now=NOW)
    response = Api(personas.steering).post(f"/{proposal.pk}/vote", {"choice": "reject"})
    assert response.status_code == 422
    assert "beendet" in response.json()["detail"][0]["msg"]


def test_it_comments_and_keeps_markdown_inert(personas, now):
    proposal = opened(personas)
    body = "<script>alert(1)</script>[x](javascript:alert(1)) **gut**"
    response = Api(personas.steering).post(f"/{proposal.pk}/comments", {"body": body})
    assert response.status_code == 201
    html = response.json()["body_html"]
    assert (
        "<script>" not in html and 'href="javascript' not in html and "<strong>gut</strong>" in html
    )
    assert ProposalComment.objects.get().author == personas.steering
    empty = Api(personas.steering).post(f"/{proposal.pk}/comments", {"body": "  "})
    assert empty.status_code == 422
    assert empty.json()["detail"][0]["msg"] == "Bitte schreiben Sie einen Kommentar."
