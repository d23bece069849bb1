"""The pages under /zeit/ and the panel on the request page: own time only (staff council)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from amtshilfe.board.tests.requests import file_in_cluster
from amtshilfe.experts.models import ExpertProfile
from amtshilfe.timeaccounting.models import RunningTimer, TimeEntry
from amtshilfe.timeaccounting.services import start_timer
from amtshilfe.timeaccounting.tests.times import TODAY, book, close_october, request_of_b

pytestmark = pytest.mark.django_db
XSS = '<script>alert("zeit")</script><img src=x onerror=alert(1)>'


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_it_shows_own_month_against_the_pledge(personas):
    ExpertProfile.objects.create(
        network=personas.network, user=personas.alice, pledged_hours_per_month=10
    )
    book(personas, minutes=150, note="Eigene Notiz")
    book(personas, minutes=30, date=dt.date(2026, 10, 5), note="Oktobernotiz")
    html = page(personas.client(personas.alice), "/zeit/")
    assert "November 2026" in html and "2:30 h" in html and "zugesagt: 10 h" in html
    assert "25 % erreicht" in html and "Eigene Notiz" in html and "Oktobernotiz" not in html
    october = page(personas.client(personas.alice), "/zeit/?monat=2026-10")
    assert "Oktobernotiz" in october and "Eigene Notiz" not in october


def test_it_never_shows_a_persons_hours_to_anybody_else(personas):
    """Staff council: not the coordinator, not a colleague, not the auditor."""
    request = request_of_b(personas)
    entry = book(personas, minutes=123, note="Geheimnotiz", request=request)
    for user in (personas.coordinator, personas.dora, personas.auditor, personas.steering):
        client = personas.client(user)
        assert "Geheimnotiz" not in page(client, "/zeit/")
        assert "2:03" not in page(client, "/zeit/")
        for url in (f"/zeit/{entry.pk}/bearbeiten/", f"/zeit/{entry.pk}/loeschen/"):
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(f"/zeit/{entry.pk}/loeschen/").status_code == 404
        assert client.post(f"/zeit/{entry.pk}/stornieren/").status_code == 404
    coordinator_view = page(personas.client(personas.coordinator), f"/anfragen/{request.pk}/")
    assert (
        "2:03" not in coordinator_view
        and "Ihre Zeit auf dieser Anfrage: <strong>0:00 h" in coordinator_view
    )
    assert TimeEntry.objects.filter(pk=entry.pk).exists()


def test_it_hides_from_other_network(personas):
    entry = book(personas)
    client = personas.client(personas.olga)
    assert client.get(f"/zeit/{entry.pk}/bearbeiten/").status_code == 404
    assert client.post(f"/zeit/{entry.pk}/loeschen/").status_code == 404
    request = request_of_b(personas)
    response = client.post(
        "/zeit/buchen/",
        {"date": "2026-11-18", "duration": "30", "activity": "support", "request": request.pk},
    )
    assert response.status_code == 404 and TimeEntry.objects.count() == 1


def test_it_books_edits_and_deletes_through_the_pages(personas):
    client = personas.client(personas.alice)
    response = client.post(
        "/zeit/buchen/",
        {"date": "2026-11-17", "duration": "1:15", "activity": "meeting", "note": XSS},
    )
    assert response.status_code == 302
    entry = TimeEntry.objects.get()
    assert (entry.minutes, entry.activity, entry.receiving_municipality) == (75, "meeting", None)
    html = page(client, "/zeit/")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    response = client.post(
        f"/zeit/{entry.pk}/bearbeiten/",
        {"date": "2026-11-16", "duration": "20", "activity": "meeting"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.minutes, entry.date) == (20, dt.date(2026, 11, 16))
    assert client.post(f"/zeit/{entry.pk}/loeschen/").status_code == 302
    assert not TimeEntry.objects.exists()


def test_it_explains_bad_input_and_saves_nothing(personas):
    client = personas.client(personas.alice)
    response = client.post(
        "/zeit/buchen/",
        {"date": "2026-12-24", "duration": "1:75", "activity": "support", "note": "bleibt"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Stunden:Minuten" in html and "Zukunft" in html and 'value="bleibt"' in html
    assert not TimeEntry.objects.exists()


def test_it_shows_closed_entries_locked_and_offers_a_reversal(personas):
    entry = book(personas, date=dt.date(2026, 10, 15))
    close_october(personas)
    client = personas.client(personas.alice)
    html = page(client, "/zeit/?monat=2026-10")
    assert "abgeschlossen" in html and f"/zeit/{entry.pk}/bearbeiten/" not in html
    response = client.post(
        f"/zeit/{entry.pk}/bearbeiten/",
        {"date": "2026-10-15", "duration": "5", "activity": "support"},
    )
    assert response.status_code == 302 and TimeEntry.objects.get(pk=entry.pk).minutes == 90
    response = client.post(f"/zeit/{entry.pk}/loeschen/", follow=True)
    assert "abgeschlossenen Abrechnungszeitraum" in response.content.decode()
    assert client.post(f"/zeit/{entry.pk}/stornieren/").status_code == 302
    assert TimeEntry.objects.filter(reverses=entry, is_reversal=True, date=TODAY).exists()


def test_it_requires_rw_access(personas):
    request = file_in_cluster(personas)
    bob = personas.client(personas.bob)
    response = bob.post(
        "/zeit/buchen/",
        {"date": "2026-11-18", "duration": "30", "activity": "support", "request": request.pk},
    )
    assert response.status_code == 403
    assert (
        bob.post(
            "/zeit/stoppuhr/starten/", {"activity": "support", "request": request.pk}
        ).status_code
        == 403
    )
    assert not TimeEntry.objects.exists() and not RunningTimer.objects.exists()
    # The time panel is not on the page for the requesting side.
    assert 'id="zeit"' not in page(bob, f"/anfragen/{request.pk}/")
    # The upload is for the coordination only.
    assert personas.client(personas.alice).get("/zeit/import/").status_code == 403
    assert personas.client(personas.charlie).get("/zeit/import/").status_code == 403
    assert personas.client(None).get("/zeit/import/").status_code == 302


def test_it_runs_the_timer_from_the_request_page_without_javascript(personas, clock):
    request = request_of_b(personas)
    client = personas.client(personas.alice)
    html = page(client, f"/anfragen/{request.pk}/")
    assert 'id="zeit"' in html and "Stoppuhr starten" in html
    response = client.post(
        "/zeit/stoppuhr/starten/",
        {
            "activity": "support",
            "request": request.pk,
            "panel": "request",
            "next": f"/anfragen/{request.pk}/#zeit",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/anfragen/{request.pk}/#zeit"
    assert "Anhalten und buchen" in page(client, f"/anfragen/{request.pk}/")
    clock.shift(dt.timedelta(minutes=20))
    response = client.post("/zeit/stoppuhr/anhalten/", {"request": request.pk, "panel": "request"})
    assert response.status_code == 302
    entry = TimeEntry.objects.get()
    assert (entry.minutes, entry.request, entry.source) == (20, request, "timer")
    assert "Ihre Zeit auf dieser Anfrage: <strong>0:20 h" in page(
        client, f"/anfragen/{request.pk}/"
    )


def test_it_answers_timer_js_with_a_fragment_and_an_announcement(personas, clock):
    request = request_of_b(personas)
    client = personas.client(personas.alice)
    data = {"activity": "support", "request": request.pk, "panel": "request"}
    response = client.post("/zeit/stoppuhr/starten/", data, HTTP_X_TIME_FRAGMENT="1")
    assert response.status_code == 200
    assert response.json()["announcement"] == "Stoppuhr gestartet."
    assert "Anhalten und buchen" in response.json()["html"]
    again = client.post("/zeit/stoppuhr/starten/", data, HTTP_X_TIME_FRAGMENT="1")
    assert again.status_code == 422 and "läuft bereits" in again.json()["announcement"]
    clock.shift(dt.timedelta(minutes=3))
    stopped = client.post(
        "/zeit/stoppuhr/anhalten/", {"panel": "month", "monat": "2026-11"}, HTTP_X_TIME_FRAGMENT="1"
    )
    assert "0:03 h gebucht" in stopped.json()["announcement"] and "0:03 h" in stopped.json()["html"]


@override_settings(AMTSHILFE_MIN_GROUP_SIZE=2)
def test_it_shows_the_request_total_only_from_the_minimum_group_size(personas):
    from amtshilfe.board.tests.requests import add_dora_to_cluster

    add_dora_to_cluster(personas)
    request = request_of_b(personas)
    book(personas, minutes=60, request=request)
    client = personas.client(personas.alice)
    assert "erst, wenn mindestens 2 Personen" in page(client, f"/anfragen/{request.pk}/")
    book(personas, actor=personas.dora, minutes=30, request=request)
    html = page(client, f"/anfragen/{request.pk}/")
    assert (
        "Alle zusammen: 1:30 h" in html and "Ihre Zeit auf dieser Anfrage: <strong>1:00 h" in html
    )


def test_it_imports_an_upload_for_the_coordination_as_counts(personas):
    text = "Datum;Person;leistend;empfangend;Minuten;Tätigkeit\n2026-11-02;alice;riesa;meissen;97;support\n"
    client = personas.client(personas.coordinator)
    assert client.get("/zeit/import/").status_code == 200
    response = client.post("/zeit/import/", {"file": SimpleUploadedFile("z.csv", text.encode())})
    html = response.content.decode()
    assert response.status_code == 200 and "Import abgeschlossen" in html
    assert TimeEntry.objects.get().minutes == 97
    result = html.split('id="ergebnis-heading"')[1].split("</section>")[0]
    assert "97" not in result and "alice" not in result
    bad = client.post(
        "/zeit/import/",
        {
            "file": SimpleUploadedFile(
                "z.csv", (text + "x;alice;riesa;meissen;1;support\n").encode()
            )
        },
    )
    assert bad.status_code == 400 and "Zeile 3: Datum „x“" in bad.content.decode()
    assert TimeEntry.objects.count() == 1


def test_it_lists_the_timer_of_network_work_on_my_times(personas):
    start_timer(actor=personas.alice, network=personas.network)
    html = page(personas.client(personas.alice), "/zeit/")
    assert "Arbeit für das Netzwerk" in html and "data-timer-started" in html


def test_it_keeps_csv_content_inert_in_the_error_report(personas):
    text = f"Datum;Person;leistend;empfangend;Minuten;Tätigkeit\n2026-11-02;{XSS};riesa;x;1;y\n"
    client = personas.client(personas.coordinator)
    response = client.post("/zeit/import/", {"file": SimpleUploadedFile("z.csv", text.encode())})
    html = response.content.decode()
    assert response.status_code == 400 and "Zeile 2: Person" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
