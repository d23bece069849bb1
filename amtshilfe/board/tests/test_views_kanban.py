"""The Kanban board pages: who sees which cards, moving by POST, filters, "Meine Arbeit"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amtshilfe.board.models import Column, ServiceRequest
from amtshilfe.board.services import (
    assign_request,
    create_cluster_board,
    move_request,
    update_column,
)
from amtshilfe.board.tests.requests import column, file, file_in_cluster, refresh
from amtshilfe.experts.services import create_cluster, set_cluster_member

BOARD = "/kanban/"
MY_WORK = "/kanban/meine-arbeit/"
JSON = {"HTTP_ACCEPT": "application/json"}


def move_url(request: ServiceRequest) -> str:
    return f"/kanban/karten/{request.pk}/verschieben/"


def target(col: Column, position: int | str = "") -> str:
    return f"{col.pk}:{position}"


def card_ids(response) -> set[int]:
    return {card.request.pk for col in response.context["columns"] for card in col.cards}


def text(response) -> str:
    """The page as text: tags removed, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def column_view(response, kind: str):
    return next(col for col in response.context["columns"] if col.column.kind == kind)


def other_cluster(personas, name: str = "Netzwerk"):
    return create_cluster(
        actor=None, network=personas.network, name=name, description="", keywords=[]
    )


# --- who sees the board and which cards ----------------------------------------------------


def test_it_shows_the_columns_in_order_with_counts_and_cards(personas):
    request = file_in_cluster(personas, title="Scanner im Bauamt", urgency="critical")
    response = personas.client(personas.alice).get(BOARD)
    assert response.status_code == 200
    kinds = [col.column.kind for col in response.context["columns"]]
    assert kinds == ["inbox", "triage", "in_progress", "waiting", "done"]
    html = response.content.decode()
    assert f"#{request.number} Scanner im Bauamt" in html
    assert f'href="/anfragen/{request.pk}/"' in html
    assert "Riesa · Drucker" in html
    assert "Dringlichkeit: </span>dringend" in html
    assert "seit heute" in html
    assert "nicht zugewiesen" in html
    assert column_view(response, "inbox").total == 1


def test_it_hides_from_other_municipality(personas):
    """Staff get no board; cards only for those who may see the request; other networks: none."""
    own = file_in_cluster(personas)  # Riesa, cluster "Drucker"
    triage = file(personas, title="Unklarer Fehler")  # Riesa, no cluster yet
    for person in (personas.bob, personas.charlie, personas.steering, personas.auditor):
        response = personas.client(person).get(BOARD)
        assert response.status_code == 403, person
        assert "Keine Berechtigung" in response.content.decode()
    # dora is IT in Meißen and not in "Drucker": she gets the board, but not Riesa's cards.
    dora = personas.client(personas.dora).get(BOARD)
    assert dora.status_code == 200
    assert card_ids(dora) == set()
    assert "Drucker im Bürgerbüro" not in dora.content.decode()
    # alice: IT in Riesa and owner of "Drucker" sees both; the coordination as well.
    assert card_ids(personas.client(personas.alice).get(BOARD)) == {own.pk, triage.pk}
    assert card_ids(personas.client(personas.coordinator).get(BOARD)) == {own.pk, triage.pk}
    # olga coordinates another network: her board is empty.
    olga = personas.client(personas.olga).get(BOARD)
    assert olga.status_code == 200
    assert card_ids(olga) == set()
    assert "Drucker im Bürgerbüro" not in olga.content.decode()


def test_it_sends_anonymous_visitors_to_the_login(personas):
    response = personas.client(None).get(BOARD)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


def test_it_offers_move_controls_only_on_cards_the_person_works_on(personas):
    network_cluster = other_cluster(personas)
    mine = file_in_cluster(personas)
    foreign = file(personas, title="Netzwerkdose defekt")
    from amtshilfe.board.services import set_request_cluster

    set_request_cluster(actor=personas.coordinator, request=foreign, cluster=network_cluster)
    response = personas.client(personas.alice).get(BOARD)
    cards = {card.request.pk: card for col in response.context["columns"] for card in col.cards}
    assert set(cards) == {mine.pk, foreign.pk}  # alice sees Riesa's request in "Netzwerk"…
    assert cards[mine.pk].can_move and not cards[foreign.pk].can_move  # …but cannot move it
    html = response.content.decode()
    assert f'action="{move_url(mine)}"' in html
    assert f'action="{move_url(foreign)}"' not in html


def test_it_gives_each_move_button_its_target(personas):
    first = file_in_cluster(personas, title="Erste")
    second = file_in_cluster(personas, title="Zweite")
    response = personas.client(personas.alice).get(BOARD)
    inbox = column_view(response, "inbox")
    top, bottom = inbox.cards
    assert (top.request.pk, bottom.request.pk) == (first.pk, second.pk)
    assert top.up is None and top.down is not None and top.down.value == target(inbox.column, 1)
    assert bottom.up is not None and bottom.up.value == target(inbox.column, 0)
    assert top.left is None  # the inbox is the first column
    assert top.right is not None and top.right.value == target(column(personas, "triage"))
    html = response.content.decode()
    assert f"#{first.number} nach rechts in „Triage“" in html
    assert f"#{second.number} nach oben" in html


def test_it_shows_the_age_of_a_card(personas):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        file_in_cluster(personas)
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, tzinfo=dt.UTC), tick=False):
        response = personas.client(personas.alice).get(BOARD)
    assert "seit 3 Tagen" in response.content.decode()


def test_it_shows_only_recently_done_cards(personas):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        old = file_in_cluster(personas, title="Alt erledigt")
        move_request(
            actor=personas.alice,
            request=old,
            column=column(personas, "done"),
            position=None,
            expected_version=old.version,
        )
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC), tick=False):
        new = file_in_cluster(personas, title="Neu erledigt")
        move_request(
            actor=personas.alice,
            request=new,
            column=column(personas, "done"),
            position=None,
            expected_version=new.version,
        )
        response = personas.client(personas.alice).get(BOARD)
    done = column_view(response, "done")
    assert [card.request.pk for card in done.cards] == [new.pk]
    html = response.content.decode()
    assert "Erledigt in den letzten 14 Tagen." in html
    assert "alle erledigten" in html


def test_it_shows_at_most_so_many_cards_per_column(personas, monkeypatch):
    monkeypatch.setattr("amtshilfe.board.views.kanban.CARDS_PER_COLUMN", 2)
    cards = [file_in_cluster(personas, title=f"Karte {n}") for n in range(3)]
    client = personas.client(personas.alice)
    response = client.get(BOARD + "?kommune=riesa")
    inbox = column_view(response, "inbox")
    assert [card.request.pk for card in inbox.cards] == [cards[0].pk, cards[1].pk]
    assert inbox.hidden == 1
    page = text(response)
    assert "Weitere 1 Karte ausgeblendet (höchstens 2 je Spalte)." in page
    assert "1 weitere Karte ist ausgeblendet." in page
    assert 'href="?kommune=riesa&amp;alle=1"' in response.content.decode()
    everything = client.get(BOARD + "?kommune=riesa&alle=1")
    assert len(column_view(everything, "inbox").cards) == 3
    assert 'name="alle" value="1"' in everything.content.decode()  # the filters keep it


def test_it_warns_when_a_column_is_over_its_wip_limit(personas):
    in_progress = column(personas, "in_progress")
    update_column(actor=personas.coordinator, column=in_progress, name="In Arbeit", wip_limit=1)
    client = personas.client(personas.alice)
    first, second = file_in_cluster(personas), file_in_cluster(personas, title="Noch einer")
    response = client.post(
        move_url(first), {"version": first.version, "ziel": target(in_progress)}, **JSON
    )
    assert response.json()["level"] == "success"
    assert "WIP 1 / 1" in text(client.get(BOARD))
    response = client.post(
        move_url(second), {"version": second.version, "ziel": target(in_progress)}, **JSON
    )
    # The service allows it: the card moves, and the answer warns.
    assert refresh(second).column == in_progress
    assert response.json() == {
        "message": f"Karte #{second.number} nach „In Arbeit“ verschoben, Position 2. "
        "Achtung: „In Arbeit“ ist über dem WIP-Limit (2 / 1 Karten).",
        "level": "warning",
        "card": second.pk,
    }
    page = text(client.get(BOARD))
    assert "WIP 2 / 1" in page
    assert "WIP-Limit überschritten: 2 Karten bei höchstens 1." in page
    assert "kanban-column-over" in client.get(BOARD).content.decode()


# --- moving ---------------------------------------------------------------------------------


def test_it_moves_a_card_by_post_and_redirects_back(personas):
    request = file_in_cluster(personas)
    in_progress = column(personas, "in_progress")
    client = personas.client(personas.alice)
    response = client.post(
        move_url(request),
        {"version": request.version, "ziel": target(in_progress, 0), "next": "/kanban/?cluster="},
    )
    assert response.status_code == 302
    assert response["Location"] == "/kanban/?cluster="
    moved = refresh(request)
    assert (moved.column, moved.position, moved.status) == (in_progress, 0, "in_progress")
    page = client.get(response["Location"]).content.decode()
    assert f"Karte #{request.number} nach „In Arbeit“ verschoben, Position 1." in page


def test_it_answers_scripts_with_json(personas):
    request = file_in_cluster(personas)
    waiting = column(personas, "waiting")
    response = personas.client(personas.coordinator).post(
        move_url(request), {"version": request.version, "ziel": target(waiting)}, **JSON
    )
    assert response.status_code == 200
    assert response.json() == {
        "message": f"Karte #{request.number} nach „Wartet auf Rückmeldung“ verschoben, Position 1.",
        "level": "success",
        "card": request.pk,
    }
    assert refresh(request).status == "waiting"


def test_it_reorders_within_a_column(personas):
    first, second, third = (file_in_cluster(personas, title=f"Karte {n}") for n in range(3))
    inbox = column(personas, "inbox")
    third = refresh(third)
    personas.client(personas.alice).post(
        move_url(third), {"version": third.version, "ziel": target(inbox, 0)}
    )
    order = list(inbox.requests.order_by("position").values_list("pk", flat=True))
    assert order == [third.pk, first.pk, second.pk]


def test_it_refuses_a_stale_move_and_names_who_moved(personas):
    request = file_in_cluster(personas)
    seen = request.version
    move_request(
        actor=personas.alice,
        request=request,
        column=column(personas, "in_progress"),
        position=0,
        expected_version=seen,
    )
    client = personas.client(personas.coordinator)
    done = target(column(personas, "done"))
    response = client.post(move_url(request), {"version": seen, "ziel": done}, **JSON)
    assert response.status_code == 409
    message = (
        "Die Karte wurde inzwischen von Alice Test verschoben. Die Ansicht wurde aktualisiert."
    )
    assert response.json()["message"] == message
    assert refresh(request).column.kind == "in_progress"
    # Without JavaScript: back to the board, which shows the card where it is now.
    response = client.post(move_url(request), {"version": seen, "ziel": done}, follow=True)
    html = response.content.decode()
    assert message in html
    assert [c.request.pk for c in column_view(response, "in_progress").cards] == [request.pk]


def test_it_requires_rw_access(personas):
    request = file_in_cluster(personas)  # Riesa, "Drucker"
    data = {"version": request.version, "ziel": target(column(personas, "done"))}
    # bob sees his municipality's request, but may not move it (and has no board).
    assert personas.client(personas.bob).post(move_url(request), data).status_code == 403
    # dora does not even see it.
    assert personas.client(personas.dora).post(move_url(request), data).status_code == 404
    assert personas.client(personas.olga).post(move_url(request), data).status_code == 404
    assert refresh(request).column.kind == "inbox"
    assert personas.client(personas.alice).get(move_url(request)).status_code == 405


def test_it_explains_a_bad_target_in_german(personas):
    request = file_in_cluster(personas)
    client = personas.client(personas.alice)
    response = client.post(move_url(request), {"version": request.version, "ziel": "x"}, **JSON)
    assert response.status_code == 400
    assert response.json()["message"] == "Unbekanntes Ziel für die Karte."
    other_board = create_cluster_board(
        actor=personas.coordinator, cluster=other_cluster(personas, "Telefonie")
    )
    foreign = other_board.columns.get(kind="done")
    request = refresh(request)
    response = client.post(
        move_url(request), {"version": request.version, "ziel": target(foreign)}, **JSON
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Die Spalte gehört zu einem anderen Board."
    response = client.post(
        move_url(request), {"version": request.version, "ziel": "999999:"}, **JSON
    )
    assert "Diese Spalte gibt es nicht mehr" in response.json()["message"]
    assert refresh(request).column.kind == "inbox"


def test_it_ignores_a_foreign_next_address(personas):
    request = file_in_cluster(personas)
    response = personas.client(personas.alice).post(
        move_url(request),
        {
            "version": request.version,
            "ziel": target(column(personas, "waiting")),
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == BOARD


# --- filters and "Meine Arbeit" -------------------------------------------------------------


def test_it_filters_by_municipality_cluster_assignee_urgency_and_age(personas):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        old = file_in_cluster(personas, title="Alt", urgency="high")
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC), tick=False):
        meissen = file_in_cluster(
            personas, title="Meißen", actor=personas.charlie, municipality=personas.b
        )
        triage = file(personas, title="Ohne Cluster")
        assigned = assign_request(
            actor=personas.alice, request=file_in_cluster(personas), assignee=personas.alice
        )
        client = personas.client(personas.coordinator)

        def shown(query: str) -> set[int]:
            response = client.get(BOARD + "?" + query)
            assert response.status_code == 200
            return card_ids(response)

        assert shown("kommune=meissen") == {meissen.pk}
        assert shown("cluster=ohne") == {triage.pk}
        assert shown("cluster=drucker&kommune=riesa") == {old.pk, assigned.pk}
        assert shown("zustaendig=alice") == {assigned.pk}
        assert shown("zustaendig=niemand") == {old.pk, meissen.pk, triage.pk}
        assert shown("dringlichkeit=high") == {old.pk}
        assert shown("aelter_als=5") == {old.pk}
        assert shown("") == {old.pk, meissen.pk, triage.pk, assigned.pk}
        # The filters stay in the form (and in the address of the move buttons' way back).
        html = client.get(BOARD + "?kommune=meissen").content.decode()
        assert '<option value="meissen" selected>' in html
        assert 'name="next" value="/kanban/?kommune=meissen"' in html


def test_it_explains_a_bad_filter_and_applies_the_others(personas):
    request = file_in_cluster(personas)
    urgent = file_in_cluster(personas, urgency="critical")
    response = personas.client(personas.alice).get(BOARD + "?aelter_als=-3&kommune=atlantis")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bitte prüfen Sie Ihre Eingaben" in html
    assert "atlantis ist keine gültige Auswahl." in html
    assert "Dieser Wert muss größer oder gleich 0 sein." in html
    assert card_ids(response) == {request.pk, urgent.pk}
    # The valid filters still apply.
    response = personas.client(personas.alice).get(
        BOARD + "?kommune=atlantis&dringlichkeit=critical"
    )
    assert card_ids(response) == {urgent.pk}


def test_it_answers_htmx_with_the_board_only(personas):
    file_in_cluster(personas)
    response = personas.client(personas.alice).get(BOARD + "?kommune=riesa", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="kanban-board"')
    assert "<html" not in html


def test_it_shows_my_work(personas):
    mine = assign_request(
        actor=personas.alice, request=file_in_cluster(personas), assignee=personas.alice
    )
    waiting_for_owner = file_in_cluster(personas, title="Neu im Cluster")  # inbox, "Drucker"
    suggested = file(personas, title="Vorschlag Drucker")  # triage, suggested "Drucker"
    ServiceRequest.objects.filter(pk=suggested.pk).update(suggested_cluster=personas.cluster)
    unrelated = file(personas, title="Ohne Vorschlag")  # triage, nobody's suggestion
    in_progress = file_in_cluster(personas, title="Schon in Arbeit")
    move_request(
        actor=personas.coordinator,
        request=in_progress,
        column=column(personas, "in_progress"),
        position=None,
        expected_version=in_progress.version,
    )
    response = personas.client(personas.alice).get(MY_WORK)
    assert response.status_code == 200
    assert card_ids(response) == {mine.pk, waiting_for_owner.pk, suggested.pk}
    assert unrelated.pk not in card_ids(response)
    html = response.content.decode()
    assert "Meine Arbeit" in html
    assert '<a href="/kanban/" aria-current="page">Board</a>' in html  # main navigation
    # dora owns nothing and has nothing assigned.
    assert card_ids(personas.client(personas.dora).get(MY_WORK)) == set()


# --- cluster boards -------------------------------------------------------------------------


def test_it_lets_the_coordination_create_a_cluster_board(personas):
    request = file_in_cluster(personas)
    url = f"/kanban/cluster/{personas.cluster.slug}/"
    assert personas.client(personas.alice).get(url).status_code == 404
    coordinator = personas.client(personas.coordinator)
    page = coordinator.get(url)
    assert page.status_code == 200
    assert "Eigenes Board anlegen" in page.content.decode()
    create = url + "anlegen/"
    assert personas.client(personas.alice).post(create).status_code == 403
    response = coordinator.post(create)
    assert response.status_code == 302 and response["Location"] == url
    assert refresh(request).column.board.cluster == personas.cluster
    board = personas.client(personas.alice).get(url)
    assert board.status_code == 200
    assert card_ids(board) == {request.pk}
    assert card_ids(personas.client(personas.alice).get(BOARD)) == set()
    # The network board links to the cluster board.
    assert f'href="{url}"' in personas.client(personas.alice).get(BOARD).content.decode()


def test_it_points_to_my_work_on_cluster_boards(personas):
    create_cluster_board(actor=personas.coordinator, cluster=personas.cluster)
    assign_request(actor=personas.alice, request=file_in_cluster(personas), assignee=personas.alice)
    html = personas.client(personas.alice).get(MY_WORK).content.decode()
    assert "Weitere Arbeit für Sie liegt auf:" in html
    assert "Anfragen Drucker</a> (1)" in html


# --- performance ----------------------------------------------------------------------------


def board_queries(client, url: str = BOARD) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["alice", "coordinator"])
def test_it_needs_the_same_number_of_queries_for_5_and_40_cards(personas, who):
    set_cluster_member(actor=None, cluster=personas.cluster, person=personas.dora, role="member")
    client = personas.client(getattr(personas, who))
    kinds = ["inbox", "in_progress", "waiting", "done"]

    def add(count: int) -> None:
        for n in range(count):
            request = file_in_cluster(personas, title=f"Karte {n}")
            if n % 3 == 0:
                request = assign_request(
                    actor=personas.coordinator, request=request, assignee=personas.dora
                )
            move_request(
                actor=personas.coordinator,
                request=request,
                column=column(personas, kinds[n % len(kinds)]),
                position=None,
                expected_version=request.version,
            )

    add(5)
    client.get(BOARD)  # warm up caches that are not per card (content types, sessions)
    few = board_queries(client), board_queries(client, MY_WORK + "?kommune=riesa")
    add(35)
    many = board_queries(client), board_queries(client, MY_WORK + "?kommune=riesa")
    assert few == many
    assert len(card_ids(client.get(BOARD))) == 40
