"""/benachrichtigungen/einstellungen/: which kinds come by e-mail, and the daily digest."""

from __future__ import annotations

from amtshilfe.core.models import AuditEvent
from amtshilfe.notifications.models import Kind, NotificationPreference

PAGE = "/benachrichtigungen/einstellungen/"


def test_it_shows_every_kind_with_a_german_label_all_on_by_default(personas):
    html = personas.client(personas.bob).get(PAGE).content.decode()
    for kind in Kind:
        assert f'value="{kind.value}"' in html
        assert f">{kind.label}</label>" in html or f" {kind.label}</label>" in html
    assert html.count("checked") == len(Kind)  # every kind by e-mail, no digest
    assert "<legend>Per E-Mail benachrichtigen bei</legend>" in html
    assert "Tägliche Zusammenfassung statt einzelner E-Mails" in html


def test_it_saves_the_choice_through_the_service(personas):
    client = personas.client(personas.bob)
    response = client.post(
        PAGE, {"email_kinds": [Kind.REQUEST_STATUS, Kind.MENTION], "digest": "on"}
    )
    assert response.status_code == 302 and response["Location"] == PAGE
    pref = NotificationPreference.objects.get(user=personas.bob)
    assert pref.digest is True
    assert set(pref.email_off_kinds) == set(Kind.values) - {Kind.REQUEST_STATUS, Kind.MENTION}
    assert AuditEvent.objects.filter(action="notification_preference.changed").count() == 1
    html = client.get(PAGE).content.decode()
    assert "Ihre Einstellungen sind gespeichert." in html
    assert html.count("checked") == 3


def test_it_refuses_unknown_kinds_in_german_and_keeps_the_old_choice(personas):
    client = personas.client(personas.bob)
    client.post(PAGE, {"email_kinds": [Kind.MENTION]})
    response = client.post(PAGE, {"email_kinds": ["gibt_es_nicht"], "digest": "on"})
    assert response.status_code == 200
    assert "ist keine gültige Auswahl" in response.content.decode()
    pref = NotificationPreference.objects.get(user=personas.bob)
    assert pref.digest is False and Kind.MENTION not in pref.email_off_kinds


def test_it_warns_people_without_an_e_mail_address(personas):
    personas.bob.email = ""
    personas.bob.save()
    html = personas.client(personas.bob).get(PAGE).content.decode()
    assert "keine E-Mail-Adresse hinterlegt" in html


def test_it_is_linked_from_the_profile_and_the_list(personas):
    client = personas.client(personas.bob)
    assert f'href="{PAGE}"' in client.get("/konto/").content.decode()
    assert f'href="{PAGE}"' in client.get("/benachrichtigungen/").content.decode()


def test_it_hides_from_other_municipality(personas):
    # Each person's page shows and changes only their own preference.
    personas.client(personas.bob).post(PAGE, {"email_kinds": [], "digest": "on"})
    html = personas.client(personas.charlie).get(PAGE).content.decode()
    assert html.count("checked") == len(Kind)
    assert not NotificationPreference.objects.filter(user=personas.charlie).exists()


def test_it_requires_rw_access(personas):
    response = personas.client(None).post(PAGE, {"email_kinds": [], "digest": "on"})
    assert response.status_code == 302 and response["Location"].startswith("/konto/anmelden/")
    assert not NotificationPreference.objects.exists()
