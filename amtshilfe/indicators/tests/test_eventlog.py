"""The event log for process mining: rows, CSV and XES (read back with PM4Py), downloads.

The story of ``process_history`` between 1 and 2 September (both inclusive) has four
requests with events: r1 (number 3), r2 (4), r3 (5) and r4 (6; urgency high) – filed at
09:00 (07:00 UTC) with the cluster set at once (moved from triage to the inbox), r1 taken
on 2 September 09:00, r2 on 1 September 21:00. Status events, the other network and
everything before or after are not in the log: 16 events in 4 traces.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pandas as pd
import pm4py
import pytest
import time_machine
from django.urls import reverse

from amtshilfe.accounts.models import User
from amtshilfe.board.services import (
    add_comment,
    close_request,
    move_request,
    rate_request,
    set_request_urgency,
    take_request,
)
from amtshilfe.experts.models import TopicCluster
from amtshilfe.indicators import eventlog
from amtshilfe.indicators.tests.process_history import Story, at, period

FIRST_DAYS = period(dt.date(2026, 9, 1), dt.date(2026, 9, 2))
XES = "{http://www.xes-standard.org/}"
CSV_URL = "/auswertung/ablauf/ereignisprotokoll.csv"
XES_URL = "/auswertung/ablauf/ereignisprotokoll.xes"
QUERY = "?zeitraum=frei&von=2026-09-01&bis=2026-09-02"


def _events(case, filed, urgency, taken=None):
    rows = [
        (case, "Anfrage gestellt", filed, "angelegt", "Triage", urgency),
        (case, "verschoben nach Eingang", filed, "verschoben", "Eingang", urgency),
        (case, "Themencluster geändert", filed, "Themencluster geändert", "", urgency),
    ]
    if taken:
        rows += [
            (case, "verschoben nach In Arbeit", taken, "verschoben", "In Arbeit", urgency),
            (case, "Zuständigkeit geändert", taken, "Zuständigkeit geändert", "", urgency),
        ]
    return rows


EXPECTED = [
    *_events("3", "2026-09-01T07:00:00.000+00:00", "normal", "2026-09-02T07:00:00.000+00:00"),
    *_events("4", "2026-09-01T07:00:00.000+00:00", "normal", "2026-09-01T19:00:00.000+00:00"),
    *_events("5", "2026-09-02T07:00:00.000+00:00", "normal"),
    *_events("6", "2026-09-02T07:00:00.000+00:00", "hoch"),
]
ACTIVITIES = {
    "Anfrage gestellt",
    "verschoben nach Eingang",
    "Themencluster geändert",
    "verschoben nach In Arbeit",
    "Zuständigkeit geändert",
}


@pytest.fixture
def story(personas, monkeypatch):
    return Story(personas, monkeypatch).play()


def as_tuples(events):
    return [
        (e.case, e.activity, eventlog.iso_utc(e.timestamp), e.kind, e.column_kind, e.urgency)
        for e in events
    ]


def xes_text(network, log_period):
    events = eventlog.log_events(network, log_period)
    name = eventlog.log_name(network, log_period)
    return b"".join(eventlog.xes_chunks(events, log_name=name)).decode("utf-8")


def csv_text(network, log_period):
    events = eventlog.log_events(network, log_period)
    return b"".join(eventlog.csv_chunks(events)).decode("utf-8")


# --- rows -------------------------------------------------------------------------------


def test_it_lists_the_process_events_of_the_period_by_request(personas, story):
    events = list(eventlog.log_events(personas.network, FIRST_DAYS))

    assert as_tuples(events) == EXPECTED
    assert {(e.cluster, e.municipality, e.kind) for e in events if e.case == "3"} >= {
        ("Drucker", "Riesa", "angelegt")
    }


def test_it_names_no_person_and_no_free_text(personas, monkeypatch):
    story = Story(personas, monkeypatch)
    request = story.file(at(9, 1))
    second = story.file(at(9, 1, 9, 30))
    third = story.file(at(9, 1, 9, 30))
    with time_machine.travel(at(9, 1, 10), tick=False):
        request = set_request_urgency(
            actor=personas.coordinator, request=request, urgency="critical"
        )
        # A reorder inside the inbox is no step of the process.
        move_request(
            actor=personas.coordinator,
            request=third,
            column=story.column("inbox"),
            position=0,
            expected_version=story._fresh(third).version,
        )
    with time_machine.travel(at(9, 1, 11), tick=False):
        add_comment(actor=personas.bob, request=request, body="Bitte schnell, Alice! 0351 1234")
    with time_machine.travel(at(9, 1, 12), tick=False):
        request = take_request(actor=personas.alice, request=request)
    with time_machine.travel(at(9, 1, 13), tick=False):
        request = close_request(actor=personas.alice, request=request)
    with time_machine.travel(at(9, 1, 14), tick=False):
        rate_request(actor=personas.bob, request=request, rating=2, comment="Danke Alice!")

    events = list(eventlog.log_events(personas.network, FIRST_DAYS))

    assert [e.activity for e in events if e.case == str(request.number)] == [
        "Anfrage gestellt",
        "verschoben nach Eingang",
        "Themencluster geändert",
        "Dringlichkeit geändert auf dringend",
        "verschoben nach In Arbeit",
        "Zuständigkeit geändert",
        "verschoben nach Erledigt",
        "bewertet",
    ]
    assert [e.activity for e in events if e.case == str(third.number)] == [
        "Anfrage gestellt",
        "verschoben nach Eingang",
        "Themencluster geändert",
    ]
    assert {e.urgency for e in events if e.case == str(request.number)} == {"dringend"}
    assert second.number < third.number
    for text in (xes_text(personas.network, FIRST_DAYS), csv_text(personas.network, FIRST_DAYS)):
        for personal in ("Alice", "alice", "Bob", "bob", "Danke", "0351", "Bürgerbüro"):
            assert personal not in text, personal
        assert "rating" not in text  # not even the number of stars


# --- XES ----------------------------------------------------------------------------------


def test_it_writes_xes_that_pm4py_reads_back(personas, story, tmp_path):
    path = tmp_path / "log.xes"
    path.write_text(xes_text(personas.network, FIRST_DAYS), encoding="utf-8")

    log = pm4py.read_xes(str(path))

    assert len(log) == 16
    assert log["case:concept:name"].nunique() == 4
    assert set(log["concept:name"]) == ACTIVITIES
    assert set(log["lifecycle:transition"]) == {"complete"}
    first = log[log["case:concept:name"] == "3"].sort_values("time:timestamp")
    assert [ts.isoformat() for ts in first["time:timestamp"]] == [
        "2026-09-01T07:00:00+00:00",
        "2026-09-01T07:00:00+00:00",
        "2026-09-01T07:00:00+00:00",
        "2026-09-02T07:00:00+00:00",
        "2026-09-02T07:00:00+00:00",
    ]
    assert set(first["case:cluster"]) == {"Drucker"}
    assert set(first["case:municipality"]) == {"Riesa"}
    urgency = log.groupby("case:concept:name")["case:urgency"].first().to_dict()
    assert urgency == {"3": "normal", "4": "normal", "5": "normal", "6": "hoch"}
    assert "org:resource" not in log.columns


def test_it_writes_the_xes_structure_of_ieee_1849(personas, story):
    root = ET.fromstring(xes_text(personas.network, FIRST_DAYS))

    assert root.tag == f"{XES}log"
    assert root.get("xes.version") == "1849-2016"
    assert [e.get("prefix") for e in root.findall(f"{XES}extension")] == [
        "concept",
        "time",
        "lifecycle",
    ]
    assert [g.get("scope") for g in root.findall(f"{XES}global")] == ["trace", "event"]
    assert [c.get("keys") for c in root.findall(f"{XES}classifier")] == [
        "concept:name",
        "concept:name lifecycle:transition",
    ]
    traces = root.findall(f"{XES}trace")
    assert [t.find(f"{XES}string[@key='concept:name']").get("value") for t in traces] == [
        "3",
        "4",
        "5",
        "6",
    ]
    assert sum(len(t.findall(f"{XES}event")) for t in traces) == 16
    event = traces[0].find(f"{XES}event")
    assert {s.get("key"): s.get("value") for s in event.findall(f"{XES}string")} == {
        "concept:name": "Anfrage gestellt",
        "lifecycle:transition": "complete",
        "kind": "angelegt",
        "column_kind": "Triage",
    }
    assert event.find(f"{XES}date").get("value") == "2026-09-01T07:00:00.000+00:00"


def test_it_escapes_names_in_xml_and_csv(personas, story):
    TopicCluster.objects.filter(pk=personas.cluster.pk).update(
        name='=Drucker & "Scanner" <alt>\x01'
    )

    root = ET.fromstring(xes_text(personas.network, FIRST_DAYS))
    rows = list(csv.reader(io.StringIO(csv_text(personas.network, FIRST_DAYS)), delimiter=";"))

    trace = root.find(f"{XES}trace")
    cluster = trace.find(f"{XES}string[@key='cluster']").get("value")
    assert cluster == '=Drucker & "Scanner" <alt>'
    assert rows[1][6] == '\'=Drucker & "Scanner" <alt>\x01'  # no formula in a spreadsheet


def test_it_streams_the_same_document_in_small_pieces(personas, story, monkeypatch):
    whole = xes_text(personas.network, FIRST_DAYS)
    monkeypatch.setattr(eventlog, "FLUSH_EVERY", 2)
    events = eventlog.log_events(personas.network, FIRST_DAYS, chunk_size=3)
    name = eventlog.log_name(personas.network, FIRST_DAYS)
    pieces = list(eventlog.xes_chunks(events, log_name=name))

    assert len(pieces) > 10
    assert b"".join(pieces).decode("utf-8") == whole


def test_it_writes_an_empty_but_valid_log(personas):
    root = ET.fromstring(xes_text(personas.network, FIRST_DAYS))

    assert root.findall(f"{XES}trace") == []
    assert csv_text(personas.network, FIRST_DAYS) == (
        "\ufeffFall;Aktivität;Zeitpunkt;Lebenszyklus;Ereignisart;Spaltenart;Themencluster;"
        "Dringlichkeit;Kommune\r\n"
    )


# --- CSV ----------------------------------------------------------------------------------


def test_it_writes_csv_that_pm4py_reads(personas, story):
    text = csv_text(personas.network, FIRST_DAYS)
    frame = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), sep=";", dtype={"Fall": str})
    first = list(frame.iloc[0])

    log = pm4py.format_dataframe(
        frame, case_id="Fall", activity_key="Aktivität", timestamp_key="Zeitpunkt"
    )

    assert len(log) == 16
    assert log["case:concept:name"].nunique() == 4
    assert set(log["concept:name"]) == ACTIVITIES
    assert str(log["time:timestamp"].min()) == "2026-09-01 07:00:00+00:00"
    assert str(log["time:timestamp"].max()) == "2026-09-02 07:00:00+00:00"
    assert first == [
        "3",
        "Anfrage gestellt",
        "2026-09-01T07:00:00.000+00:00",
        "complete",
        "angelegt",
        "Triage",
        "Drucker",
        "normal",
        "Riesa",
    ]


# --- downloads ----------------------------------------------------------------------------


@pytest.fixture
def filed(personas, monkeypatch):
    story = Story(personas, monkeypatch)
    request = story.file(at(9, 1))
    story.take(request, at(9, 2))
    return request


def get(personas, user, url):
    with time_machine.travel(at(12, 1), tick=False):
        return personas.client(user).get(url)


@pytest.mark.parametrize("who", ["coordinator", "steering", "auditor"])
def test_it_lets_indicator_readers_download_both_files(personas, filed, who):
    assert reverse("indicators:eventlog_csv") == CSV_URL
    assert reverse("indicators:eventlog_xes") == XES_URL
    user = getattr(personas, who)
    as_csv = get(personas, user, CSV_URL + QUERY)
    as_xes = get(personas, user, XES_URL + QUERY)

    assert as_csv.status_code == 200
    assert as_csv.streaming
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert as_csv["Content-Disposition"] == (
        'attachment; filename="ereignisprotokoll-2026-09-01-2026-09-02.csv"'
    )
    lines = b"".join(as_csv.streaming_content).decode("utf-8").splitlines()
    assert len(lines) == 1 + 5
    assert as_xes.status_code == 200
    assert as_xes["Content-Type"] == "application/xml; charset=utf-8"
    assert as_xes["Content-Disposition"] == (
        'attachment; filename="ereignisprotokoll-2026-09-01-2026-09-02.xes"'
    )
    root = ET.fromstring(b"".join(as_xes.streaming_content))
    assert len(root.findall(f"{XES}trace/{XES}event")) == 5


@pytest.mark.parametrize("who", ["alice", "bob", "dora"])
def test_it_requires_an_indicator_reader(personas, filed, who):
    for url in (CSV_URL, XES_URL):
        assert get(personas, getattr(personas, who), url + QUERY).status_code == 403


def test_it_hides_from_other_network(personas, filed):
    nobody = User.objects.create_user(username="niemand", password="ein-langes-passwort")
    for url in (CSV_URL, XES_URL):
        assert get(personas, nobody, url + QUERY).status_code == 404
    # Olga reads her own network's log: nothing of Testkreis is in it.
    response = get(personas, personas.olga, XES_URL + QUERY)
    assert response.status_code == 200
    root = ET.fromstring(b"".join(response.streaming_content))
    assert root.findall(f"{XES}trace") == []


def test_it_sends_anonymous_visitors_to_login(personas, filed):
    response = get(personas, None, CSV_URL + QUERY)

    assert response.status_code == 302
    assert response["Location"] == "/konto/anmelden/?next=" + quote(CSV_URL + QUERY)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "?zeitraum=frei&von=2026-09-02&bis=2026-09-01",
            "Das Ende des Zeitraums (1. September 2026) liegt vor seinem Anfang "
            "(2. September 2026).",
        ),
        (
            "?zeitraum=irgendwann",
            "Unbekannter Zeitraum „irgendwann“. Bitte wählen Sie einen aus der Liste.",
        ),
        (
            "?zeitraum=frei&von=2026-13-01&bis=2026-09-01",
            "„2026-13-01“ ist kein gültiges Datum für „Von“ (Format JJJJ-MM-TT).",
        ),
    ],
)
def test_it_answers_a_bad_period_with_a_german_message(personas, query, message):
    for url in (CSV_URL, XES_URL):
        response = get(personas, personas.coordinator, url + query)
        assert response.status_code == 400
        assert response.content.decode("utf-8") == message


def test_it_refuses_other_methods(personas):
    with time_machine.travel(at(12, 1), tick=False):
        response = personas.client(personas.coordinator).post(CSV_URL + QUERY)
    assert response.status_code == 405
