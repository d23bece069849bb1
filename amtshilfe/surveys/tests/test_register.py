"""The processing register: coordination, steering group and audit read it; nobody else."""

from __future__ import annotations

from django.test import Client

from amtshilfe.conftest import Personas
from amtshilfe.surveys.processing_register import ACTIVITIES

URL = "/umfragen/verarbeitungsverzeichnis/"


def test_it_shows_the_register_to_the_auditor(personas: Personas) -> None:
    response = personas.client(personas.auditor).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Verzeichnis von Verarbeitungstätigkeiten</h1>" in html
    for needle in (
        "Benutzerkonten",
        "Protokoll (Audit-Log)",
        "Gespräche mit dem Assistenten",
        "30 Tage",
        "Suchanfragen",
        "Umfragen: Einladungen und anonyme Antworten",
        "Beitrittsanfragen",
        "Anmeldungen zu Veranstaltungen",
        "Technische und organisatorische Maßnahmen",
        "Rechtsgrundlage",
        "Speicherdauer",
    ):
        assert needle in html, needle
    assert html.count('class="register-activity"') == len(ACTIVITIES)


def test_it_shows_the_register_to_coordination_and_steering(personas: Personas) -> None:
    for user in (personas.coordinator, personas.steering):
        assert personas.client(user).get(URL).status_code == 200


def test_it_requires_rw_access(personas: Personas) -> None:
    """Members without a network role may not read it (403)."""
    for user in (personas.bob, personas.alice):
        assert personas.client(user).get(URL).status_code == 403


def test_it_hides_from_other_network(personas: Personas) -> None:
    """Without a network there is nothing to see (404); anonymous visitors log in first."""
    from amtshilfe.accounts.models import User

    nobody = User.objects.create_user(username="niemand", password="x" * 12)
    assert personas.client(nobody).get(URL).status_code == 404
    assert Client().get(URL).status_code == 302


def test_it_covers_every_kind_of_personal_data_named_in_the_issue() -> None:
    keys = {activity.key for activity in ACTIVITIES}
    assert {
        "accounts",
        "memberships",
        "audit",
        "requests",
        "attachments",
        "time",
        "settlement",
        "notifications",
        "assistant",
        "search_log",
        "surveys",
        "rating_invitations",
        "join_requests",
        "events",
        "directory",
    } <= keys
    for activity in ACTIVITIES:
        assert all(
            str(value).strip()
            for value in (
                activity.purpose,
                activity.legal_basis,
                activity.retention,
                activity.deletion,
            )
        )
