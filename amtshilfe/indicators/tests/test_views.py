"""The dashboard, the process page and the CSV export of one figure (fake indicators)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client, override_settings

from amtshilfe.accounts.models import User
from amtshilfe.indicators import registry
from amtshilfe.indicators.tests.fakes import LEAKY_DISPLAY, fakes_fixture  # noqa: F401

NOW = dt.datetime(2026, 5, 20, 10, tzinfo=dt.UTC)
pytestmark = pytest.mark.usefixtures("fakes")


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


def get(client: Client, path: str):
    return client.get(path)


def text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "steering", "auditor"])
def test_it_shows_the_dashboard_to_readers(personas, persona):
    response = personas.client(getattr(personas, persona)).get("/auswertung/")
    assert response.status_code == 200
    page = text(response)
    assert '<h3 id="kennzahl-test_monthly-titel">Anfragen je Monat (Test)</h3>' in page
    assert "Anfragen in Testkreis" in page
    # The process figure is on its own page, not on the dashboard.
    assert "Fluss (Test)" not in page


@pytest.mark.parametrize("persona", ["alice", "bob", "dora"])
def test_it_requires_an_indicator_reader(personas, persona):
    client = personas.client(getattr(personas, persona))
    for path in ["/auswertung/", "/auswertung/ablauf/", "/auswertung/test_monthly.csv"]:
        assert client.get(path).status_code == 403, path


def test_it_hides_from_people_outside_any_network(personas):
    outsider = User.objects.create_user(username="niemand", password="x-passwort-123")
    client = personas.client(outsider)
    for path in ["/auswertung/", "/auswertung/ablauf/", "/auswertung/test_monthly.csv"]:
        assert client.get(path).status_code == 404, path


def test_it_hides_from_other_network(personas, fakes):
    page = text(personas.client(personas.olga).get("/auswertung/"))
    assert "Anfragen in Anderswo" in page
    assert "Testkreis" not in page


def test_it_sends_anonymous_visitors_to_the_login(personas):
    response = Client().get("/auswertung/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_it_shows_sections_table_of_contents_and_figure_parts(personas):
    page = text(personas.client(personas.coordinator).get("/auswertung/"))
    # Every section but "process", in the registry's order.
    sections = re.findall(r'data-section="([a-z_]+)"', page)
    assert sections == [
        "participation",
        "requests",
        "self_help",
        "learning",
        "satisfaction",
        "exchange",
        "knowledge",
    ]
    assert '<a href="#kennzahl-test_monthly">Anfragen je Monat (Test)</a>' in page
    assert "Neue und gelöste Anfragen je Monat." in page
    assert "<strong>Berechnung:</strong> Gestellt = alle neuen Anfragen" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert 'aria-labelledby="diagramm-test_monthly-title"' in page
    assert "<summary>Zahlen als Tabelle</summary>" in page
    assert (
        '<caption id="kennzahl-test_monthly-tabelle">Anfragen je Monat (Test) (Anfragen)</caption>'
        in page
    )
    assert 'role="region" aria-labelledby="kennzahl-test_monthly-tabelle"' in page
    assert "<dd>1.234</dd>" in page
    assert "<li>Nur Anfragen des Netzwerks.</li>" in page
    assert "– = weniger als 5 Fälle, aus Datenschutzgründen nicht angezeigt" in page
    assert 'href="/auswertung/test_monthly.csv?zeitraum=3m"' in page
    # Table-only figure: a plain table, user text escaped.
    assert "drucker &lt;b&gt;geht nicht&lt;/b&gt;" in page
    # A figure that fails says so instead of breaking the page.
    assert "Diese Kennzahl konnte gerade nicht berechnet werden." in page


def test_it_shows_suppressed_values_as_a_dash_never_the_number(personas):
    page = text(personas.client(personas.coordinator).get("/auswertung/"))
    figure = page.split('id="kennzahl-test_monthly"')[1].split("</article>")[0]
    assert LEAKY_DISPLAY not in figure
    assert "<dt>Kleine Gruppe</dt><dd>–</dd>" in figure
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", figure)
    feb = dict(rows)["Feb 2026"]
    assert re.findall(r"<td[^>]*>(.*?)</td>", feb) == [
        '<span aria-hidden="true">–</span><span class="visually-hidden">nicht angezeigt</span>',
        "4",
    ]
    assert dict(rows)["Mär 2026"].count("7,5") == 1  # German decimal comma in the table


def test_it_shows_the_process_page_with_its_section(personas):
    page = text(personas.client(personas.auditor).get("/auswertung/ablauf/?zeitraum=12m"))
    assert re.findall(r'data-section="([a-z_]+)"', page) == ["process"]
    assert "Fluss (Test)" in page
    assert "chart-stacked_area" in page
    assert "Anfragen je Monat (Test)" not in page
    # The event log for the same period.
    assert 'href="/auswertung/ablauf/ereignisprotokoll.csv?zeitraum=12m"' in page
    assert 'href="/auswertung/ablauf/ereignisprotokoll.xes?zeitraum=12m"' in page


def test_it_uses_the_chosen_period(personas, fakes):
    client = personas.client(personas.coordinator)
    page = text(client.get("/auswertung/?zeitraum=frei&von=2026-01-01&bis=2026-03-31"))
    assert fakes.periods[-1].start == dt.date(2026, 1, 1)
    assert fakes.periods[-1].end == dt.date(2026, 4, 1)
    assert 'role="alert"' not in page
    assert 'value="2026-01-01"' in page and 'value="2026-03-31"' in page
    assert "zeitraum=frei&amp;von=2026-01-01&amp;bis=2026-03-31" in page
    client.get("/auswertung/?zeitraum=12m")
    assert fakes.periods[-1].start == dt.date(2025, 5, 21)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "zeitraum=frei&von=2026-05-10&bis=2026-05-01",
            "Das Ende des Zeitraums (1. Mai 2026) liegt vor seinem Anfang (10. Mai 2026).",
        ),
        ("zeitraum=morgen", "Unbekannter Zeitraum „morgen“. Bitte wählen Sie einen aus der Liste."),
        (
            "zeitraum=frei&von=gestern&bis=2026-05-01",
            "„gestern“ ist kein gültiges Datum für „Von“ (Format JJJJ-MM-TT).",
        ),
    ],
)
def test_it_explains_a_bad_period_in_german_and_shows_the_default(personas, fakes, query, message):
    response = personas.client(personas.coordinator).get(f"/auswertung/?{query}")
    assert response.status_code == 200
    page = text(response)
    alert = page.split('role="alert"')[1].split("</div>")[0]
    assert message in alert.replace("&#x27;", "'")
    assert "Angezeigt wird stattdessen: letzte 3 Monate." in alert
    assert fakes.periods[-1].start == dt.date(2026, 2, 21)
    assert fakes.periods[-1].end == dt.date(2026, 5, 21)


def read_csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_it_exports_the_figure_table_as_csv(personas):
    response = personas.client(personas.steering).get(
        "/auswertung/test_monthly.csv?zeitraum=frei&von=2026-01-01&bis=2026-03-31"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="test_monthly-2026-01-01-2026-03-31.csv"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert read_csv(response) == [
        ["Monat", "Gestellt", "Gelöst"],
        ["Jan 2026", "12", "10"],
        ["Feb 2026", "", "4"],
        ["Mär 2026", "7,5", "0"],
        ["leer = weniger als 5 Fälle, aus Datenschutzgründen nicht angegeben"],
    ]


def test_it_exports_table_only_figures_without_formulas(personas):
    response = personas.client(personas.coordinator).get("/auswertung/test_searches.csv")
    assert read_csv(response) == [
        ["Suchanfrage", "Anzahl"],
        ['\'=HYPERLINK("x")', "7"],
        ["drucker <b>geht nicht</b>", ""],
        ["leer = weniger als 5 Fälle, aus Datenschutzgründen nicht angegeben"],
    ]


def test_it_answers_404_for_an_unknown_figure_and_400_for_a_bad_period(personas):
    client = personas.client(personas.coordinator)
    assert client.get("/auswertung/gibt_es_nicht.csv").status_code == 404
    response = client.get("/auswertung/test_monthly.csv?zeitraum=frei&von=2026-05-02")
    assert response.status_code == 400
    assert text(response) == "Bitte geben Sie ein Datum für „Bis“ an."


def test_it_prefers_the_figure_s_own_note_on_suppression(personas, fakes):
    from amtshilfe.indicators.compute import Computed
    from amtshilfe.indicators.figures import Figure, Series
    from amtshilfe.indicators.presentation import shown

    figure = Figure(
        key="x",
        title="X",
        explanation="",
        categories=["A"],
        series=[Series("a", "A", [None])],
        notes=["– = weniger als 5 Anfragen im Abschnitt."],
    )
    notes = shown(Computed("x", "requests", figure, "")).notes
    assert notes == ["– = weniger als 5 Anfragen im Abschnitt."]
    figure.notes = []
    notes = shown(Computed("x", "requests", figure, "")).notes
    assert notes == ["– = weniger als 5 Fälle, aus Datenschutzgründen nicht angezeigt"]


@override_settings(AMTSHILFE_MIN_GROUP_SIZE=3)
def test_it_names_the_configured_group_size(personas):
    page = text(personas.client(personas.coordinator).get("/auswertung/"))
    assert "– = weniger als 3 Fälle, aus Datenschutzgründen nicht angezeigt" in page


def test_it_computes_each_figure_once_and_then_serves_the_cache(
    personas, fakes, django_assert_max_num_queries
):
    client = personas.client(personas.coordinator)
    client.get("/auswertung/")
    assert fakes.count == 1
    with django_assert_max_num_queries(8):
        page = text(client.get("/auswertung/"))
    assert fakes.count == 1 and "Anfragen je Monat (Test)" in page
    # Another period is computed anew; another language too.
    client.get("/auswertung/?zeitraum=12m")
    assert fakes.count == 2
    caches["indicators"].clear()
    client.get("/auswertung/")
    assert fakes.count == 3


def test_it_renders_every_registered_figure(personas, fakes, caplog):
    """The real figures (whatever is registered) render on both pages and export as CSV."""
    registry.REGISTRY.clear()
    registry.REGISTRY.update(fakes.real)
    client = personas.client(personas.coordinator)
    pages = text(client.get("/auswertung/?zeitraum=12m")) + text(client.get("/auswertung/ablauf/"))
    for key, indicator in registry.REGISTRY.items():
        assert f'id="kennzahl-{key}"' in pages
        assert client.get(f"/auswertung/{key}.csv").status_code == 200, key
        assert str(indicator.title) in pages
    assert "konnte gerade nicht berechnet werden" not in pages, caplog.text
