"""Pages under /abrechnung/: who sees what, and the coordinator's actions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from amtshilfe.settlement.models import Objection, SettlementPeriod
from amtshilfe.settlement.services import start_review
from amtshilfe.settlement.tests.data import book_example, scheme

NOW = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)


@pytest.fixture
def booked(personas):
    book_example(personas)
    scheme(personas, kind="kombination", common_rate_cents=4000, free_quota_minutes=60)
    with time_machine.travel(NOW, tick=False):
        yield personas


def test_it_shows_the_preview_to_the_coordinator(booked):
    response = booked.client(booked.coordinator).get("/abrechnung/2026-10/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Riesa" in text and "Meißen" in text and "Vorschau" in text
    assert "159,65 €" in text


@pytest.mark.parametrize("who", ["steering", "auditor"])
def test_it_shows_every_statement_to_steering_and_audit(booked, who):
    client = booked.client(getattr(booked, who))
    assert client.get("/abrechnung/2026-10/meissen/").status_code == 200
    assert client.get("/abrechnung/2026-10/riesa/").status_code == 200


def test_it_shows_it_staff_only_their_municipality(booked):
    client = booked.client(booked.alice)
    assert client.get("/abrechnung/2026-10/riesa/").status_code == 200
    assert client.get("/abrechnung/2026-10/meissen/").status_code == 404
    period = client.get("/abrechnung/2026-10/").content.decode()
    assert "Riesa" in period and "/abrechnung/2026-10/meissen/" not in period
    assert client.get("/abrechnung/2026-10/abrechnung.csv").status_code == 404


def test_it_hides_from_administration_staff(booked):
    client = booked.client(booked.bob)
    assert client.get("/abrechnung/").status_code == 404
    assert client.get("/abrechnung/2026-10/riesa/").status_code == 404


def test_it_hides_from_other_network(booked):
    # olga coordinates "Anderswo": she sees her own network's settlement, never Testkreis'.
    client = booked.client(booked.olga)
    own = client.get("/abrechnung/2026-10/")
    assert own.status_code == 200 and "Riesa" not in own.content.decode()
    assert client.get("/abrechnung/2026-10/riesa/").status_code == 404
    assert client.get("/abrechnung/2026-10/riesa/abrechnung.pdf").status_code == 404


def test_it_requires_rw_access(booked):
    for user in (booked.steering, booked.auditor, booked.alice):
        client = booked.client(user)
        assert client.post("/abrechnung/2026-10/pruefung/").status_code == 403
        assert (
            client.post("/abrechnung/2026-10/abschliessen/", {"confirm": "on"}).status_code == 403
        )
        assert client.post("/abrechnung/modell/", {"kind": "zeitkonto"}).status_code == 403
    assert not SettlementPeriod.objects.exists()


def test_it_redirects_anonymous_to_login(booked):
    response = booked.client(None).get("/abrechnung/2026-10/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_it_runs_review_and_close_through_the_pages(booked):
    client = booked.client(booked.coordinator)
    response = client.post("/abrechnung/2026-10/pruefung/")
    assert response.status_code == 302
    assert SettlementPeriod.objects.get().status == "in_review"
    assert client.get("/abrechnung/2026-10/abschliessen/").status_code == 200
    refused = client.post("/abrechnung/2026-10/abschliessen/", {})
    assert refused.status_code == 400 and "Bitte bestätigen" in refused.content.decode()
    response = client.post("/abrechnung/2026-10/abschliessen/", {"confirm": "on"})
    assert response.status_code == 302
    period = SettlementPeriod.objects.get()
    assert period.status == "closed" and len(period.content_hash) == 64
    page = client.get("/abrechnung/2026-10/").content.decode()
    assert period.content_hash in page and "abgeschlossen" in page


def test_it_takes_an_objection_from_it_staff_and_the_coordinator_resolves_it(booked):
    start_review(actor=booked.coordinator, network=booked.network, label="2026-10")
    SettlementPeriod.objects.update(review_until=NOW + dt.timedelta(days=3))
    client = booked.client(booked.dora)
    bad = client.post("/abrechnung/2026-10/meissen/einspruch/", {"comment": ""})
    assert bad.status_code == 400 and "Bitte begründen" in bad.content.decode()
    xss = '<script>alert("x")</script> Stunden falsch'
    assert (
        client.post("/abrechnung/2026-10/meissen/einspruch/", {"comment": xss}).status_code == 302
    )
    page = client.get("/abrechnung/2026-10/meissen/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    # alice (Riesa) cannot object for Meißen: that statement is invisible to her.
    assert (
        booked.client(booked.alice)
        .post("/abrechnung/2026-10/meissen/einspruch/", {"comment": "x"})
        .status_code
        == 404
    )
    objection = Objection.objects.get()
    coordinator = booked.client(booked.coordinator)
    assert (
        booked.client(booked.dora)
        .post(
            f"/abrechnung/2026-10/einspruch/{objection.pk}/",
            {"decision": "rejected", "resolution": "nein"},
        )
        .status_code
        == 403
    )
    coordinator.post(
        f"/abrechnung/2026-10/einspruch/{objection.pk}/",
        {"decision": "accepted", "resolution": "Korrektur gebucht"},
    )
    objection.refresh_from_db()
    assert objection.status == "accepted" and objection.resolved_by == booked.coordinator


def test_it_refuses_an_objection_after_the_deadline(booked):
    start_review(actor=booked.coordinator, network=booked.network, label="2026-10")
    response = booked.client(booked.dora).post(
        "/abrechnung/2026-10/meissen/einspruch/", {"comment": "zu spät"}
    )
    assert response.status_code == 400
    assert "Einspruchsfrist ist abgelaufen" in response.content.decode()
    assert not Objection.objects.exists()


def test_it_saves_the_scheme_and_keeps_bad_input(booked):
    client = booked.client(booked.coordinator)
    data = {
        "valid_from": "2026-12",
        "kind": "stundensatz",
        "free_quota_hours": "0",
        "levy_key": "equal",
        "population_percent": "50",
        "common_rate": "40,00",
        "annual_budget": "",
        "account_limit_hours": "0",
        "clearing_mode": "clearing",
        "clearing_municipality": "",
        "objection_days": "14",
        "rate_support": "65,50",
    }
    bad = client.post("/abrechnung/modell/", data)
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Verrechnungskonto wählen Sie die Kommune" in text and 'value="65,50"' in text
    data["clearing_municipality"] = str(booked.a.pk)
    assert client.post("/abrechnung/modell/", data).status_code == 302
    saved = booked.network.compensation_schemes.get(valid_from=dt.date(2026, 12, 1))
    assert saved.rates == {"support": 6550} and saved.clearing_municipality == booked.a
    assert client.get("/abrechnung/modell/").status_code == 200
    assert booked.client(booked.alice).get("/abrechnung/modell/").status_code == 200


def test_it_downloads_csv_and_pdf(booked):
    client = booked.client(booked.coordinator)
    csv = client.get("/abrechnung/2026-10/abrechnung.csv")
    assert csv.status_code == 200 and csv.content.startswith("\ufeff".encode())
    assert "Riesa;" in csv.content.decode("utf-8-sig")
    pdf = client.get("/abrechnung/2026-10/riesa/abrechnung.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    mine = booked.client(booked.alice).get("/abrechnung/2026-10/riesa/abrechnung.csv")
    assert mine.status_code == 200 and "alice" not in mine.content.decode("utf-8-sig").lower()
    assert (
        booked.client(booked.alice).get("/abrechnung/2026-10/meissen/abrechnung.csv").status_code
        == 404
    )


def test_it_shows_the_objection_form_only_in_review(booked):
    page = booked.client(booked.dora).get("/abrechnung/2026-10/meissen/").content.decode()
    assert "Einspruch einlegen" not in page
    start_review(actor=booked.coordinator, network=booked.network, label="2026-10")
    SettlementPeriod.objects.update(review_until=NOW + dt.timedelta(days=3))
    page = booked.client(booked.dora).get("/abrechnung/2026-10/meissen/").content.decode()
    assert "Einspruch einlegen" in page
    assert (
        booked.client(booked.dora)
        .post("/abrechnung/2026-11/meissen/einspruch/", {"comment": "x"})
        .status_code
        == 404
    )


def test_it_keeps_request_titles_inert(personas):
    from amtshilfe.board.tests.requests import file
    from amtshilfe.settlement.tests.data import entry
    from amtshilfe.timeaccounting.models import TimeEntry

    scheme(personas)
    request = file(personas, title="<img src=x onerror=alert(1)> Drucker")
    TimeEntry.objects.bulk_create(
        [
            entry(
                personas,
                person=personas.dora,
                giver=personas.b,
                receiver=personas.a,
                minutes=60,
                request=request,
            )
        ]
    )
    with time_machine.travel(NOW, tick=False):
        page = personas.client(personas.alice).get("/abrechnung/2026-10/riesa/").content.decode()
        csv = personas.client(personas.coordinator).get("/abrechnung/2026-10/riesa/abrechnung.csv")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt; Drucker" in page
    assert "'=" not in csv.content.decode("utf-8-sig")
