"""The member directory shows only what each person chose, and only to members."""

from __future__ import annotations

import re

import pytest

from amtshilfe.communication.models import DirectoryEntry
from amtshilfe.communication.services import update_directory_entry
from amtshilfe.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def phones(personas):
    for user, phone in ((personas.bob, "03525 700-111"), (personas.alice, "03525 700-222")):
        user.phone = phone
        user.save(update_fields=["phone"])


def test_it_lists_members_with_name_municipality_and_clusters_by_default(personas, phones):
    page = personas.client(personas.bob).get("/verzeichnis/").content.decode()
    assert "Alice Test" in page
    assert "Riesa" in page and "Meißen" in page
    assert "Drucker" in page
    assert "alice@example.org" not in page
    assert "700-222" not in page


def test_it_shows_email_and_phone_only_when_chosen(personas, phones):
    update_directory_entry(
        actor=personas.alice,
        network=personas.network,
        show_in_directory=True,
        show_email=True,
        show_phone=False,
        note="Am besten vormittags",
    )
    page = personas.client(personas.bob).get("/verzeichnis/").content.decode()
    assert "alice@example.org" in page
    assert "700-222" not in page
    assert "Am besten vormittags" in page
    assert "bob@example.org" not in page


def test_it_leaves_out_people_who_hid_themselves(personas):
    update_directory_entry(
        actor=personas.charlie,
        network=personas.network,
        show_in_directory=False,
        show_email=True,
        show_phone=True,
    )
    page = personas.client(personas.bob).get("/verzeichnis/").content.decode()
    assert "Charlie Test" not in page
    assert "charlie@example.org" not in page


def listed(page: str) -> set[str]:
    return set(re.findall(r'<th scope="row">([^<]+)', page))


def test_it_filters_by_municipality_cluster_and_name(personas):
    client = personas.client(personas.bob)
    page = client.get("/verzeichnis/").content.decode()
    assert {"Alice Test", "Bob Test", "Charlie Test", "Dora Test"} <= listed(page)
    page = client.get("/verzeichnis/?kommune=meissen").content.decode()
    assert "Charlie Test" in listed(page) and "Bob Test" not in listed(page)
    page = client.get("/verzeichnis/?cluster=drucker").content.decode()
    assert listed(page) == {"Alice Test"}
    page = client.get("/verzeichnis/?q=dora").content.decode()
    assert listed(page) == {"Dora Test"}


def test_it_is_never_shown_to_anonymous_visitors(personas):
    response = personas.client(None).get("/verzeichnis/")
    assert response.status_code == 302
    assert "/konto/anmelden/" in response["Location"]
    assert personas.client(None).get("/verzeichnis/mein-eintrag/").status_code == 302


def test_it_hides_from_other_network(personas):
    page = personas.client(personas.olga).get("/verzeichnis/").content.decode()
    assert "Alice Test" not in page
    assert "Olga Test" in page  # her own network's directory


def test_it_requires_rw_access(personas):
    """Each person edits only their own entry; there is no way to address somebody else's."""
    client = personas.client(personas.bob)
    response = client.post(
        "/verzeichnis/mein-eintrag/",
        {
            "show_in_directory": "on",
            "show_email": "on",
            "note": "Bob hier",
            "user": personas.alice.pk,
        },
    )
    assert response.status_code == 302
    entry = DirectoryEntry.objects.get()
    assert entry.user == personas.bob
    assert entry.show_email and not entry.show_phone
    assert AuditEvent.objects.filter(action="directory_entry.updated").count() == 1


def test_it_refuses_a_too_long_note_in_german(personas):
    response = personas.client(personas.bob).post(
        "/verzeichnis/mein-eintrag/", {"show_in_directory": "on", "note": "x" * 301}
    )
    assert response.status_code == 400
    assert "höchstens 300 Zeichen" in response.content.decode()
    assert not DirectoryEntry.objects.exists()


def test_it_keeps_the_directory_free_of_markup(personas):
    update_directory_entry(
        actor=personas.bob,
        network=personas.network,
        show_in_directory=True,
        show_email=False,
        show_phone=False,
        note="<script>alert(1)</script>",
    )
    page = personas.client(personas.alice).get("/verzeichnis/").content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page
