"""Column settings of the boards: coordination only, German errors, the services decide."""

from __future__ import annotations

import re

from amtshilfe.board.models import Board, Column
from amtshilfe.board.services import create_cluster_board, ensure_default_board
from amtshilfe.board.tests.requests import column, file_in_cluster
from amtshilfe.core.models import AuditEvent

SETTINGS = "/kanban/spalten/"


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def board(personas) -> Board:
    return ensure_default_board(network=personas.network)


def names(personas) -> list[str]:
    return list(board(personas).columns.order_by("position").values_list("name", flat=True))


def test_it_shows_the_settings_to_the_coordination_only(personas):
    board(personas)
    response = personas.client(personas.coordinator).get(SETTINGS)
    assert response.status_code == 200
    page = text(response)
    assert "Spalten einstellen" in page
    assert "1. Eingang Eingang" in page and "5. Erledigt Erledigt" in page
    for person in (personas.alice, personas.bob, personas.steering):
        assert personas.client(person).get(SETTINGS).status_code == 403
    # olga coordinates another network: she configures that network's board, not this one.
    olga = personas.client(personas.olga).get(SETTINGS)
    assert olga.context["board"].network == personas.other_network


def test_it_requires_rw_access(personas):
    """Every write of the settings: 403 for everybody but the coordination, nothing changes."""
    b = board(personas)
    col = column(personas, Column.Kind.WAITING)
    posts = [
        (f"/kanban/boards/{b.pk}/spalten/neu/", {"neu-name": "Test", "neu-kind": "waiting"}),
        (f"/kanban/spalten/{col.pk}/", {f"spalte-{col.pk}-name": "Umbenannt"}),
        (f"/kanban/spalten/{col.pk}/verschieben/", {"richtung": "hoch"}),
        (f"/kanban/spalten/{col.pk}/loeschen/", {}),
        (
            f"/kanban/boards/{b.pk}/einstellungen/",
            {"board-name": "X", "board-triage_threshold": "0,1"},
        ),
    ]
    for person in (personas.alice, personas.bob, personas.dora):
        client = personas.client(person)
        for url, data in posts:
            assert client.post(url, data).status_code == 403, (person, url)
    # Another network's coordinator does not find the board's columns at all.
    for url, data in posts:
        assert personas.client(personas.olga).post(url, data).status_code == 404, url
    assert names(personas) == [
        "Eingang",
        "Triage",
        "In Arbeit",
        "Wartet auf Rückmeldung",
        "Erledigt",
    ]
    assert board(personas).triage_threshold == 0.6


def test_it_adds_a_column_before_done(personas):
    b = board(personas)
    client = personas.client(personas.coordinator)
    response = client.post(
        f"/kanban/boards/{b.pk}/spalten/neu/",
        {"neu-name": "Abnahme", "neu-kind": "waiting", "neu-wip_limit": "4"},
    )
    assert response.status_code == 302 and response["Location"] == SETTINGS
    assert names(personas)[-2:] == ["Abnahme", "Erledigt"]
    new = b.columns.get(name="Abnahme")
    assert (new.kind, new.wip_limit) == ("waiting", 4)
    assert AuditEvent.objects.filter(action="column.created").exists()
    assert "Die Spalte „Abnahme“ ist angelegt." in text(client.get(SETTINGS))


def test_it_explains_bad_column_input_in_german_and_keeps_it(personas):
    b = board(personas)
    client = personas.client(personas.coordinator)
    url = f"/kanban/boards/{b.pk}/spalten/neu/"
    response = client.post(url, {"neu-name": "Triage", "neu-kind": "waiting", "neu-wip_limit": "2"})
    assert response.status_code == 200
    page = text(response)
    assert "Es gibt bereits eine Spalte „Triage“." in page
    assert 'value="Triage"' in response.content.decode()  # what was typed is still there
    response = client.post(url, {"neu-name": "Neu", "neu-kind": "waiting", "neu-wip_limit": "0"})
    assert "Dieser Wert muss größer oder gleich 1 sein." in text(response)
    response = client.post(url, {"neu-name": "", "neu-kind": "unsinn"})
    page = text(response)
    assert "Dieses Feld ist zwingend erforderlich." in page
    assert "keine gültige Auswahl" in page
    assert len(names(personas)) == 5


def test_it_renames_a_column_and_sets_its_wip_limit(personas):
    col = column(personas, Column.Kind.IN_PROGRESS)
    client = personas.client(personas.coordinator)
    prefix = f"spalte-{col.pk}"
    response = client.post(
        f"/kanban/spalten/{col.pk}/",
        {f"{prefix}-name": "In Bearbeitung", f"{prefix}-wip_limit": "5"},
    )
    assert response.status_code == 302
    col.refresh_from_db()
    assert (col.name, col.wip_limit) == ("In Bearbeitung", 5)
    response = client.post(
        f"/kanban/spalten/{col.pk}/", {f"{prefix}-name": "Eingang", f"{prefix}-wip_limit": ""}
    )
    assert response.status_code == 200
    assert "Es gibt bereits eine Spalte „Eingang“." in text(response)
    col.refresh_from_db()
    assert (col.name, col.wip_limit) == ("In Bearbeitung", 5)
    # Removing the limit: an empty field.
    client.post(
        f"/kanban/spalten/{col.pk}/",
        {f"{prefix}-name": "In Bearbeitung", f"{prefix}-wip_limit": ""},
    )
    col.refresh_from_db()
    assert col.wip_limit is None


def test_it_reorders_columns_with_buttons(personas):
    waiting = column(personas, Column.Kind.WAITING)
    client = personas.client(personas.coordinator)
    response = client.post(f"/kanban/spalten/{waiting.pk}/verschieben/", {"richtung": "hoch"})
    assert response.status_code == 302
    assert names(personas) == [
        "Eingang",
        "Triage",
        "Wartet auf Rückmeldung",
        "In Arbeit",
        "Erledigt",
    ]
    client.post(f"/kanban/spalten/{waiting.pk}/verschieben/", {"richtung": "runter"})
    client.post(f"/kanban/spalten/{waiting.pk}/verschieben/", {"richtung": "runter"})
    assert names(personas) == [
        "Eingang",
        "Triage",
        "In Arbeit",
        "Erledigt",
        "Wartet auf Rückmeldung",
    ]
    page = text(client.get(SETTINGS))
    assert "Die Spalte „Wartet auf Rückmeldung“ steht jetzt an Stelle 5." in page


def test_it_refuses_to_delete_a_column_with_cards_and_names_the_count(personas):
    file_in_cluster(personas)
    file_in_cluster(personas, title="Zweite")
    inbox = column(personas, Column.Kind.INBOX)
    client = personas.client(personas.coordinator)
    response = client.post(f"/kanban/spalten/{inbox.pk}/loeschen/", follow=True)
    assert (
        "Die Spalte „Eingang“ enthält noch 2 Karten. Verschieben Sie diese zuerst in andere Spalten."
        in text(response)
    )
    assert Column.objects.filter(pk=inbox.pk).exists()


def test_it_deletes_an_empty_column_but_keeps_the_last_of_a_kind(personas):
    b = board(personas)
    client = personas.client(personas.coordinator)
    client.post(f"/kanban/boards/{b.pk}/spalten/neu/", {"neu-name": "Extra", "neu-kind": "waiting"})
    extra = b.columns.get(name="Extra")
    response = client.post(f"/kanban/spalten/{extra.pk}/loeschen/", follow=True)
    assert "Die Spalte „Extra“ ist gelöscht." in text(response)
    assert not Column.objects.filter(pk=extra.pk).exists()
    waiting = column(personas, Column.Kind.WAITING)
    response = client.post(f"/kanban/spalten/{waiting.pk}/loeschen/", follow=True)
    assert "ist die letzte Spalte mit der Bedeutung „Wartet auf Rückmeldung“" in text(response)
    assert Column.objects.filter(pk=waiting.pk).exists()


def test_it_sets_the_triage_threshold_in_german_notation(personas):
    b = board(personas)
    client = personas.client(personas.coordinator)
    url = f"/kanban/boards/{b.pk}/einstellungen/"
    response = client.post(url, {"board-name": "Anfragen", "board-triage_threshold": "0,75"})
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.triage_threshold == 0.75
    response = client.post(url, {"board-name": "Anfragen", "board-triage_threshold": "1,5"})
    assert response.status_code == 200
    assert "Dieser Wert muss kleiner oder gleich 1 sein." in text(response)
    response = client.post(url, {"board-name": "  ", "board-triage_threshold": "0,5"})
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in text(response)
    b.refresh_from_db()
    assert (b.name, b.triage_threshold) == ("Anfragen", 0.75)
    assert 'value="0,75"' in client.get(SETTINGS).content.decode()


def test_it_configures_a_cluster_board_without_threshold(personas):
    cluster_board = create_cluster_board(actor=personas.coordinator, cluster=personas.cluster)
    client = personas.client(personas.coordinator)
    url = f"/kanban/cluster/{personas.cluster.slug}/spalten/"
    response = client.get(url)
    assert response.status_code == 200
    assert "board-triage_threshold" not in response.content.decode()
    response = client.post(
        f"/kanban/boards/{cluster_board.pk}/einstellungen/", {"board-name": "Druckerboard"}
    )
    assert response["Location"] == url
    cluster_board.refresh_from_db()
    assert cluster_board.name == "Druckerboard"
    assert client.get("/kanban/cluster/unbekannt/spalten/").status_code == 404
