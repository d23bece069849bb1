"""The decision screens: who sees what, who may write, the public register, lazy tally."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from amtshilfe.decisions.models import Proposal, Vote
from amtshilfe.decisions.services import cast_vote, record_decision_reasons
from amtshilfe.decisions.tests.proposals import DEADLINE, NOW, draft, opened, reload
from amtshilfe.wiki.tests.articles import use_tmp_media

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def clock():
    """The tests run an hour after the helpers opened their votes (deadline a week later)."""
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False) as traveller:
        yield traveller


def decided(personas, **overrides):
    proposal = opened(personas, **overrides)
    cast_vote(actor=personas.steering, proposal=proposal, choice="accept", now=NOW)
    return reload(proposal)


def form_data(**changes):
    data = {
        "subject": "Neue Vorlage",
        "background": "Hintergrund",
        "options": "Ja\nNein",
        "recommendation": "Ja",
        "costs_amount": "1.234,50",
        "costs_text": "einmalig",
        "result_visibility": "members",
    }
    data.update(changes)
    return data


# --- reading ----------------------------------------------------------------------------------


def test_it_hides_from_other_network(personas):
    proposal = decided(personas, result_visibility="public")
    client = personas.client(personas.olga)
    for url in (
        f"/entscheidungen/{proposal.pk}/",
        f"/entscheidungen/{proposal.pk}/bearbeiten/",
        f"/entscheidungen/{proposal.pk}/anhaenge/",
        f"/entscheidungen/{proposal.pk}/abstimmung/",
    ):
        assert client.get(url).status_code == 404, url
    for url in ("stimme", "kommentar", "zurueckziehen", "begruendung"):
        response = client.post(f"/entscheidungen/{proposal.pk}/{url}/", {"choice": "accept"})
        assert response.status_code == 404, url
    assert proposal.subject not in client.get("/entscheidungen/").content.decode()


def test_it_hides_drafts_from_the_steering_group_and_open_votes_from_members(personas):
    draft_one = draft(personas, subject="Entwurf Alpha")
    running = opened(personas, subject="Abstimmung Beta")
    steering, bob = personas.client(personas.steering), personas.client(personas.bob)
    assert steering.get(f"/entscheidungen/{draft_one.pk}/").status_code == 404
    assert steering.get(f"/entscheidungen/{running.pk}/").status_code == 200
    assert bob.get(f"/entscheidungen/{running.pk}/").status_code == 404
    page = personas.client(personas.auditor).get("/entscheidungen/").content.decode()
    assert "Entwurf Alpha" in page and "Abstimmung Beta" in page
    page = bob.get("/entscheidungen/").content.decode()
    assert "Entwurf Alpha" not in page and "Abstimmung Beta" not in page


def test_members_read_the_register(personas):
    proposal = decided(personas, subject="Register Gamma")
    response = personas.client(personas.bob).get("/entscheidungen/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Register Gamma" in page and proposal.number in page
    assert personas.client(personas.bob).get(f"/entscheidungen/{proposal.pk}/").status_code == 200


def test_it_shows_counts_but_not_who_voted_how(personas):
    proposal = decided(personas)
    page = personas.client(personas.bob).get(f"/entscheidungen/{proposal.pk}/").content.decode()
    assert "angenommen" in page
    assert personas.steering.full_name not in page


def test_the_public_register_shows_only_public_decisions_without_login(personas):
    public = decided(personas, subject="Öffentlich Delta", result_visibility="public")
    decided(personas, subject="Intern Epsilon")
    record_decision_reasons(actor=personas.coordinator, proposal=public, text="Spart **Geld**.")
    client = personas.client(None)
    page = client.get("/entscheidungen/oeffentlich/").content.decode()
    assert "Öffentlich Delta" in page and "Intern Epsilon" not in page
    detail = client.get(f"/entscheidungen/oeffentlich/{public.pk}/").content.decode()
    assert "<strong>Geld</strong>" in detail and "angenommen" in detail
    assert personas.steering.full_name not in detail
    assert "Ticketsystem" not in detail.replace("Öffentlich Delta", "")  # no background text
    assert "Drei Kommunen" not in detail
    hidden = Proposal.objects.get(subject="Intern Epsilon")
    assert client.get(f"/entscheidungen/oeffentlich/{hidden.pk}/").status_code == 404
    assert client.get(f"/entscheidungen/{public.pk}/").status_code == 302  # to the login


def test_the_page_decides_a_proposal_whose_deadline_has_passed(personas):
    proposal = opened(personas)
    with time_machine.travel(DEADLINE + dt.timedelta(hours=1), tick=False):
        response = personas.client(personas.steering).get(f"/entscheidungen/{proposal.pk}/")
    assert response.status_code == 200
    assert reload(proposal).outcome == "no_quorum"
    assert "nicht beschlussfähig" in response.content.decode()


def test_the_list_decides_what_is_due(personas):
    proposal = opened(personas)
    with time_machine.travel(DEADLINE + dt.timedelta(hours=1), tick=False):
        personas.client(personas.bob).get("/entscheidungen/")
    assert reload(proposal).status == "decided"


# --- writing ----------------------------------------------------------------------------------


def test_it_requires_rw_access(personas, settings, tmp_path):
    use_tmp_media(settings, tmp_path)
    a_draft = draft(personas)
    running = opened(personas, subject="Läuft")
    done = decided(personas, subject="Fertig")
    attachment_url = f"/entscheidungen/{a_draft.pk}/anhaenge/"
    posts = [
        ("/entscheidungen/neu/", form_data()),
        (f"/entscheidungen/{a_draft.pk}/bearbeiten/", form_data(base_version="1")),
        (
            f"/entscheidungen/{a_draft.pk}/abstimmung/",
            {"deadline_date": "2026-03-20", "deadline_time": "12:00"},
        ),
        (f"/entscheidungen/{running.pk}/zurueckziehen/", {}),
        (f"/entscheidungen/{done.pk}/begruendung/", {"text": "Weil."}),
        (
            "/entscheidungen/regeln/",
            {
                "quorum_kind": "count",
                "quorum_value": "1",
                "majority_rule": "simple",
                "voting_days": "3",
                "reminder_hours": "5",
            },
        ),
    ]
    for user in (personas.steering, personas.auditor):
        client = personas.client(user)
        for url, data in posts:
            # The steering group does not even see drafts (404); the audit sees them (403).
            expected = (
                {403, 404} if user == personas.steering and f"/{a_draft.pk}/" in url else {403}
            )
            assert client.post(url, data).status_code in expected, (user, url)
        upload = SimpleUploadedFile("bild.png", PNG, content_type="image/png")
        assert client.post(attachment_url, {"file": upload}).status_code in {403, 404}
    member = personas.client(personas.bob)
    for url, data in posts:
        expected = {403, 404}
        assert member.post(url, data).status_code in expected, url
    # Voting and commenting: steering group (and the coordination for comments) only.
    for user in (personas.bob, personas.auditor):
        client = personas.client(user)
        assert client.post(
            f"/entscheidungen/{running.pk}/stimme/", {"choice": "accept"}
        ).status_code in {403, 404}
        assert client.post(
            f"/entscheidungen/{running.pk}/kommentar/", {"body": "Hallo"}
        ).status_code in {403, 404}
    coordinator = personas.client(personas.coordinator)
    assert (
        coordinator.post(f"/entscheidungen/{running.pk}/stimme/", {"choice": "accept"}).status_code
        == 403
    )
    assert not Vote.objects.filter(proposal=running).exists()
    assert reload(a_draft).status == "draft" and reload(running).status == "open"
    assert Proposal.objects.count() == 3


def test_the_coordination_creates_edits_and_opens_a_proposal(personas):
    client = personas.client(personas.coordinator)
    response = client.post("/entscheidungen/neu/", form_data())
    proposal = Proposal.objects.get(subject="Neue Vorlage")
    assert response.status_code == 302
    assert str(proposal.costs_amount) == "1234.50"
    assert proposal.options == ["Ja", "Nein"]
    response = client.post(
        f"/entscheidungen/{proposal.pk}/bearbeiten/",
        form_data(subject="Geänderte Vorlage", base_version="1"),
    )
    assert response.status_code == 302
    response = client.post(
        f"/entscheidungen/{proposal.pk}/abstimmung/",
        {"deadline_date": "2026-03-10", "deadline_time": "16:00"},
    )
    assert response.status_code == 302
    proposal = reload(proposal)
    assert (proposal.subject, proposal.status) == ("Geänderte Vorlage", "open")
    assert proposal.deadline == dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)  # 16:00 Berlin
    response = client.get(f"/entscheidungen/{proposal.pk}/bearbeiten/")
    assert response.status_code == 302  # frozen: back to the proposal
    response = client.get(f"/entscheidungen/{proposal.pk}/abstimmung/")
    assert response.status_code == 302  # already open


def test_bad_input_keeps_what_was_typed(personas):
    client = personas.client(personas.coordinator)
    response = client.post("/entscheidungen/neu/", form_data(options="", costs_amount="viel"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Bitte nennen Sie mindestens eine Option." in page
    assert "Bitte geben Sie einen Betrag in Euro an" in page
    assert "Neue Vorlage" in page and "Hintergrund" in page
    assert not Proposal.objects.exists()


def test_a_past_deadline_is_refused_with_a_german_message(personas):
    proposal = draft(personas)
    client = personas.client(personas.coordinator)
    response = client.post(
        f"/entscheidungen/{proposal.pk}/abstimmung/",
        {"deadline_date": "2026-03-01", "deadline_time": "16:00"},
    )
    assert response.status_code == 400
    assert "mindestens eine Stunde in der Zukunft" in response.content.decode()
    assert reload(proposal).status == "draft"


def test_a_steering_member_votes_and_comments_on_the_page(personas):
    proposal = opened(personas)
    client = personas.client(personas.steering)
    page = client.get(f"/entscheidungen/{proposal.pk}/").content.decode()
    assert 'name="choice"' in page
    response = client.post(f"/entscheidungen/{proposal.pk}/kommentar/", {"body": "Gute *Idee*"})
    assert response.status_code == 302
    response = client.post(
        f"/entscheidungen/{proposal.pk}/stimme/", {"choice": "defer", "reason": "Erst Angebote"}
    )
    assert response.status_code == 302
    proposal = reload(proposal)
    assert (proposal.status, proposal.outcome) == ("decided", "deferred")
    page = client.get(f"/entscheidungen/{proposal.pk}/").content.decode()
    assert "<em>Idee</em>" in page and "vertagt" in page
    response = client.post(f"/entscheidungen/{proposal.pk}/kommentar/", {"body": "Nachtrag"})
    assert response.status_code == 400
    assert proposal.comments.count() == 1


def test_the_coordination_changes_the_rules(personas):
    client = personas.client(personas.coordinator)
    response = client.post(
        "/entscheidungen/regeln/",
        {
            "quorum_kind": "count",
            "quorum_value": "2",
            "majority_rule": "two_thirds",
            "voting_days": "10",
            "reminder_hours": "24",
        },
    )
    assert response.status_code == 302
    page = personas.client(personas.steering).get("/entscheidungen/regeln/").content.decode()
    assert "Zwei-Drittel-Mehrheit" in page
    assert personas.client(personas.bob).get("/entscheidungen/regeln/").status_code == 403


def test_attachments_are_checked_and_frozen_with_the_text(personas, settings, tmp_path):
    use_tmp_media(settings, tmp_path)
    proposal = draft(personas)
    client = personas.client(personas.coordinator)
    url = f"/entscheidungen/{proposal.pk}/anhaenge/"
    bad = SimpleUploadedFile("x.svg", b"<svg onload=alert(1)></svg>", content_type="image/svg+xml")
    response = client.post(url, {"file": bad})
    assert response.status_code == 400 and "nicht erlaubt" in response.content.decode()
    good = SimpleUploadedFile("bild.png", PNG, content_type="image/png")
    assert client.post(url, {"file": good}).status_code == 302
    attachment = proposal.attachments.get()
    download = personas.client(personas.auditor).get(
        f"/entscheidungen/{proposal.pk}/anhang/{attachment.pk}/"
    )
    assert download.status_code == 200 and download["Content-Security-Policy"].startswith(
        "default-src 'none'"
    )
    client.post(
        f"/entscheidungen/{proposal.pk}/abstimmung/",
        {"deadline_date": "2026-03-10", "deadline_time": "16:00"},
    )
    again = SimpleUploadedFile("b.png", PNG, content_type="image/png")
    response = client.post(url, {"file": again})
    assert response.status_code == 400
    client.post(f"/entscheidungen/{proposal.pk}/anhang/{attachment.pk}/entfernen/")
    assert proposal.attachments.count() == 1
