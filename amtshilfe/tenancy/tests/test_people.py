"""Coordination manages people, their memberships and network roles."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from amtshilfe.accounts.models import User
from amtshilfe.conftest import PASSWORD, can_log_in
from amtshilfe.core.models import AuditEvent
from amtshilfe.tenancy.models import Membership, NetworkRole

NEW_PERSON = {
    "first_name": "Erika",
    "last_name": "Muster",
    "username": "e.muster",
    "email": "e.muster@riesa.example",
    "phone": "",
    "role": "it",
}


def test_it_creates_a_person_with_membership_and_sends_an_invitation(
    personas, django_capture_on_commit_callbacks
):
    client = personas.client(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/netzwerk/personen/neu/", {**NEW_PERSON, "municipality": personas.a.pk}
        )
    person = User.objects.get(username="e.muster")
    assert response["Location"] == f"/netzwerk/personen/{person.pk}/"
    membership = Membership.objects.get(user=person)
    assert (membership.municipality, membership.role, membership.ended_on) == (
        personas.a,
        "it",
        None,
    )
    assert AuditEvent.objects.filter(action="person.created", object_id=str(person.pk)).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["e.muster@riesa.example"]
    link = re.search(r"http://testserver(/konto/passwort-setzen/\S+)", mail.outbox[0].body).group(1)
    page = client.get(f"/netzwerk/personen/{person.pk}/").content.decode()
    assert "Einladung wurde an e.muster@riesa.example geschickt" in page
    assert "passwort-setzen" not in page  # the link is a credential: e-mail only
    assert "passwort-setzen" not in page  # the link is a credential: e-mail only
    # The invitee sets their password through the link and logs in.
    invitee = Client()
    form_url = invitee.get(link, follow=True).redirect_chain[-1][0]
    invitee.post(
        form_url, {"new_password1": "Sicheres-Passwort-77", "new_password2": "Sicheres-Passwort-77"}
    )
    assert can_log_in("e.muster", "Sicheres-Passwort-77")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "alice"}, "Der Benutzername „alice“ ist bereits vergeben"),
        ({"username": "ALICE"}, "Der Benutzername „ALICE“ ist bereits vergeben"),
        ({"username": "mit leerzeichen"}, "darf nur Buchstaben, Ziffern"),
        ({"first_name": ""}, "Dieses Feld ist zwingend erforderlich"),
        ({"email": "keine-adresse"}, "gültige E-Mail-Adresse"),
    ],
)
def test_it_refuses_bad_people_input_and_saves_nothing(personas, data, message):
    users, events = User.objects.count(), AuditEvent.objects.count()
    response = personas.client(personas.coordinator).post(
        "/netzwerk/personen/neu/", {**NEW_PERSON, "municipality": personas.a.pk, **data}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)


def test_it_refuses_to_end_the_last_membership(personas):
    membership = Membership.objects.get(user=personas.bob)
    client = personas.client(personas.coordinator)
    response = client.post(f"/netzwerk/mitgliedschaften/{membership.pk}/beenden/", follow=True)
    assert "Bob Test hat keine andere Mitgliedschaft" in response.content.decode()
    membership.refresh_from_db()
    assert membership.ended_on is None


def test_it_adds_changes_and_ends_memberships(personas):
    client = personas.client(personas.coordinator)
    client.post(
        f"/netzwerk/personen/{personas.alice.pk}/mitgliedschaften/neu/",
        {"municipality": personas.b.pk, "role": "staff"},
    )
    added = Membership.objects.get(user=personas.alice, municipality=personas.b)
    client.post(f"/netzwerk/mitgliedschaften/{added.pk}/rolle/", {"role": "it"})
    added.refresh_from_db()
    assert added.role == "it"
    # a second current membership in the same municipality is refused
    response = client.post(
        f"/netzwerk/personen/{personas.alice.pk}/mitgliedschaften/neu/",
        {"municipality": personas.b.pk, "role": "staff"},
        follow=True,
    )
    assert "ist bereits Mitglied von Meißen" in response.content.decode()
    client.post(f"/netzwerk/mitgliedschaften/{added.pk}/beenden/")
    added.refresh_from_db()
    assert added.ended_on is not None  # kept as history, not deleted
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"membership.added", "membership.role_changed", "membership.ended"} <= actions


def test_it_grants_and_revokes_network_roles_but_keeps_one_coordinator(personas):
    client = personas.client(personas.coordinator)
    client.post(f"/netzwerk/personen/{personas.dora.pk}/rollen/neu/", {"role": "steering"})
    role = NetworkRole.objects.get(user=personas.dora, role="steering")
    client.post(f"/netzwerk/rollen/{role.pk}/entziehen/")
    assert not NetworkRole.objects.filter(pk=role.pk).exists()
    only = NetworkRole.objects.get(user=personas.coordinator, role="coordinator")
    response = client.post(f"/netzwerk/rollen/{only.pk}/entziehen/", follow=True)
    assert "mindestens eine Person in der Koordination" in response.content.decode()
    assert NetworkRole.objects.filter(pk=only.pk).exists()


def test_it_deactivates_a_person_who_then_cannot_log_in(personas):
    client = personas.client(personas.coordinator)
    client.post(f"/netzwerk/personen/{personas.bob.pk}/aktiv/", {"active": "0"})
    personas.bob.refresh_from_db()
    assert not personas.bob.is_active
    assert not can_log_in("bob", PASSWORD)
    response = client.post(
        f"/netzwerk/personen/{personas.coordinator.pk}/aktiv/", {"active": "0"}, follow=True
    )
    assert "eigenes Konto nicht deaktivieren" in response.content.decode()


def test_it_lists_and_filters_people_of_the_network_only(personas):
    client = personas.client(personas.steering)
    page = client.get("/netzwerk/personen/").content.decode()
    assert "Alice Test" in page and "Olga Test" not in page
    page = client.get("/netzwerk/personen/", {"role": "it"}).content.decode()
    assert "Alice Test" in page and "Dora Test" in page and "Bob Test" not in page
    page = client.get("/netzwerk/personen/", {"municipality": personas.b.pk}).content.decode()
    assert "Charlie Test" in page and "Bob Test" not in page
    page = client.get("/netzwerk/personen/", {"q": "char"}).content.decode()
    assert "Charlie Test" in page and "Alice Test" not in page


def test_it_hides_from_other_municipality(personas):
    olga = personas.client(personas.olga)
    assert olga.get(f"/netzwerk/personen/{personas.bob.pk}/").status_code == 404
    assert (
        olga.post(f"/netzwerk/personen/{personas.bob.pk}/aktiv/", {"active": "0"}).status_code
        == 404
    )
    membership = Membership.objects.get(user=personas.bob)
    assert (
        olga.post(f"/netzwerk/mitgliedschaften/{membership.pk}/rolle/", {"role": "it"}).status_code
        == 404
    )
    membership.refresh_from_db()
    assert membership.role == "staff"
    coordinator = personas.client(personas.coordinator)
    assert coordinator.get(f"/netzwerk/personen/{personas.olga.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["steering", "auditor"])
def test_it_requires_rw_access(personas, persona):
    client = personas.client(getattr(personas, persona))
    assert client.get(f"/netzwerk/personen/{personas.bob.pk}/").status_code == 200
    assert (
        client.post(
            "/netzwerk/personen/neu/", {**NEW_PERSON, "municipality": personas.a.pk}
        ).status_code
        == 403
    )
    assert (
        client.post(f"/netzwerk/personen/{personas.bob.pk}/aktiv/", {"active": "0"}).status_code
        == 403
    )
    assert (
        client.post(
            f"/netzwerk/personen/{personas.bob.pk}/rollen/neu/", {"role": "coordinator"}
        ).status_code
        == 403
    )
    assert not User.objects.filter(username="e.muster").exists()
    assert not NetworkRole.objects.filter(user=personas.bob).exists()


def test_it_sends_anonymous_visitors_to_login(personas):
    response = Client().get("/netzwerk/personen/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_it_answers_404_for_person_records_to_plain_members(personas):
    assert (
        personas.client(personas.alice).get(f"/netzwerk/personen/{personas.bob.pk}/").status_code
        == 404
    )
