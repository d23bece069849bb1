"""Mitmachen: a municipality's join request, spam protection, the coordination's decision."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from amtshilfe.core.models import AuditEvent
from amtshilfe.notifications.models import Notification
from amtshilfe.tenancy.models import Municipality
from amtshilfe.website.models import JoinRequest
from amtshilfe.website.services import decide_join_request, submit_join_request
from amtshilfe.website.spam import MAX_PER_HOUR, form_stamp
from amtshilfe.website.tests.helpers import join_data


def submitted(personas, **changes):
    values = {
        "network": personas.network,
        "municipality_name": "Nünchritz",
        "kind": "gemeinde",
        "population": 5600,
        "contact_name": "Nora Neu",
        "email": "it@nuenchritz.example",
        "consent": True,
    }
    values.update(changes)
    return submit_join_request(**values)


def test_it_records_a_join_request_and_tells_the_coordination(personas):
    response = Client().post("/mitmachen/", join_data(clusters=[personas.cluster.pk]))
    assert response.status_code == 302 and response["Location"] == "/mitmachen/danke/"
    join_request = JoinRequest.objects.get()
    assert join_request.network == personas.network
    assert join_request.status == "pending" and join_request.consent_at is not None
    assert list(join_request.clusters.all()) == [personas.cluster]
    note = Notification.objects.get(kind="join_request")
    assert note.user == personas.coordinator
    assert note.url == f"/website/beitritte/{join_request.pk}/"
    assert AuditEvent.objects.filter(action="join_request.submitted").count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"municipality_name": ""}, "Bitte füllen Sie dieses Feld aus."),
        ({"population": "viele"}, "Bitte geben Sie die Einwohnerzahl als ganze Zahl an."),
        ({"population": "0"}, "Die Einwohnerzahl muss mindestens 1 sein."),
        ({"email": "keine-adresse"}, "Bitte geben Sie eine gültige E-Mail-Adresse an."),
        ({"ags": "123"}, "Der Amtliche Gemeindeschlüssel besteht aus genau 8 Ziffern."),
        ({"consent": None}, "Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu"),
    ],
)
def test_it_explains_bad_input_in_german_and_keeps_the_rest(personas, changes, message):
    response = Client().post("/mitmachen/", join_data(**changes))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert "Nora Neu" in page  # what was typed is still there
    assert not JoinRequest.objects.exists()


def test_it_silently_drops_a_filled_honeypot(personas):
    response = Client().post("/mitmachen/", join_data(homepage="http://spam.example"))
    assert response.status_code == 302  # the bot learns nothing
    assert not JoinRequest.objects.exists()
    assert not Notification.objects.exists()


def test_it_refuses_a_form_sent_too_fast_or_without_stamp(personas):
    for stamp in (form_stamp(), "", "gefälscht"):
        response = Client().post("/mitmachen/", join_data(stamp=stamp))
        assert response.status_code == 400
        assert "sehr schnell" in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_it_limits_requests_per_ip(personas):
    client = Client()
    for _number in range(MAX_PER_HOUR):
        assert client.post("/mitmachen/", join_data()).status_code == 302
    response = client.post("/mitmachen/", join_data())
    assert response.status_code == 429
    assert "Zu viele Anfragen" in response.content.decode()
    assert JoinRequest.objects.count() == MAX_PER_HOUR
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert other.post("/mitmachen/", join_data()).status_code == 302


def test_it_shows_only_this_networks_clusters_in_the_form(personas):
    from amtshilfe.experts.services import create_cluster

    create_cluster(actor=None, network=personas.other_network, name="Fernthema")
    page = Client().get("/mitmachen/").content.decode()
    assert "Drucker" in page and "Fernthema" not in page
    assert 'href="/datenschutz/"' in page


def test_it_accepts_and_creates_the_municipality(personas, django_capture_on_commit_callbacks):
    join_request = submitted(personas, ags="14627210")
    client = personas.client(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/website/beitritte/{join_request.pk}/entscheiden/",
            {"entscheidung": "annehmen", "message": "Willkommen!", "create_member": "on"},
        )
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == "accepted" and join_request.decided_by == personas.coordinator
    municipality = Municipality.objects.get(network=personas.network, name="Nünchritz")
    assert join_request.municipality == municipality and municipality.ags == "14627210"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["it@nuenchritz.example"]
    assert "angenommen" in mail.outbox[0].subject and "Willkommen!" in mail.outbox[0].body


def test_it_declines_with_a_message_and_mails_it(personas, django_capture_on_commit_callbacks):
    join_request = submitted(personas)
    client = personas.client(personas.coordinator)
    response = client.post(
        f"/website/beitritte/{join_request.pk}/entscheiden/",
        {"entscheidung": "ablehnen", "message": ""},
    )
    assert response.status_code == 400
    assert "Bitte begründen Sie die Ablehnung" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/website/beitritte/{join_request.pk}/entscheiden/",
            {"entscheidung": "ablehnen", "message": "Nur Kommunen im Landkreis."},
        )
    join_request.refresh_from_db()
    assert join_request.status == "declined"
    assert not Municipality.objects.filter(name="Nünchritz").exists()
    assert "Nur Kommunen im Landkreis." in mail.outbox[0].body


def test_it_decides_only_once(personas):
    join_request = submitted(personas)
    decide_join_request(
        actor=personas.coordinator, join_request=join_request, accept=True, message=""
    )
    response = personas.client(personas.coordinator).post(
        f"/website/beitritte/{join_request.pk}/entscheiden/",
        {"entscheidung": "ablehnen", "message": "doch nicht"},
    )
    assert response.status_code == 400
    assert "bereits entschieden" in response.content.decode()


def test_it_keeps_the_request_pending_when_the_municipality_exists(personas):
    join_request = submitted(personas, municipality_name="Riesa")
    response = personas.client(personas.coordinator).post(
        f"/website/beitritte/{join_request.pk}/entscheiden/",
        {"entscheidung": "annehmen", "message": "", "create_member": "on"},
    )
    assert response.status_code == 400
    assert "bereits eine Kommune" in response.content.decode()
    join_request.refresh_from_db()
    assert join_request.status == "pending"


def test_it_requires_rw_access(personas):
    join_request = submitted(personas)
    url = f"/website/beitritte/{join_request.pk}/"
    auditor = personas.client(personas.auditor)
    assert auditor.get(url).status_code == 200  # reads
    assert "Annehmen" not in auditor.get(url).content.decode()
    decide = {"entscheidung": "annehmen", "message": ""}
    assert auditor.post(url + "entscheiden/", decide).status_code == 403
    for user in (personas.alice, personas.bob):
        assert personas.client(user).get(url).status_code == 403
        assert personas.client(user).get("/website/beitritte/").status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/konto/anmelden/" in anonymous["Location"]
    join_request.refresh_from_db()
    assert join_request.status == "pending"


def test_it_hides_from_other_network(personas):
    join_request = submitted(personas)
    olga = personas.client(personas.olga)
    assert olga.get(f"/website/beitritte/{join_request.pk}/").status_code == 404
    assert "Nünchritz" not in olga.get("/website/beitritte/").content.decode()
    response = olga.post(
        f"/website/beitritte/{join_request.pk}/entscheiden/",
        {"entscheidung": "ablehnen", "message": "x"},
    )
    assert response.status_code == 404


def test_it_lists_join_requests_for_the_coordination(personas):
    submitted(personas)
    submitted(personas, municipality_name="Strehla")
    page = personas.client(personas.coordinator).get("/website/beitritte/?status=pending")
    text = page.content.decode()
    assert "Nünchritz" in text and "Strehla" in text


def test_it_keeps_script_in_a_join_request_inert(personas):
    evil = "<script>alert(1)</script>"
    Client().post(
        "/mitmachen/",
        join_data(municipality_name=evil, contact_name=evil, contribution=evil, phone=evil[:40]),
    )
    join_request = JoinRequest.objects.get()
    client = personas.client(personas.coordinator)
    for url in (
        "/website/beitritte/",
        f"/website/beitritte/{join_request.pk}/",
        "/benachrichtigungen/",
    ):
        page = client.get(url).content.decode()
        assert evil not in page
