"""The request list (/anfragen/): who sees what, filters, sorting, a constant number of queries."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from amtshilfe.board.services import assign_request, close_request, set_request_urgency
from amtshilfe.board.tests.requests import file, file_in_cluster


def numbers(response):
    """The request numbers in the table, in order."""
    return [int(n) for n in re.findall(r'<td class="num">#(\d+)</td>', response.content.decode())]


def test_it_hides_from_other_municipality(personas):
    mine = file(personas, title="Riesa druckt nicht")
    theirs = file(personas, actor=personas.charlie, municipality=personas.b, title="Meißen Scanner")
    assert numbers(personas.client(personas.bob).get("/anfragen/")) == [mine.number]
    assert numbers(personas.client(personas.charlie).get("/anfragen/")) == [theirs.number]
    assert (
        "Riesa druckt nicht"
        not in personas.client(personas.charlie).get("/anfragen/").content.decode()
    )
    both = numbers(personas.client(personas.coordinator).get("/anfragen/"))
    assert sorted(both) == sorted([mine.number, theirs.number])
    assert numbers(personas.client(personas.dora).get("/anfragen/")) == [theirs.number]
    assert personas.client(personas.olga).get("/anfragen/").status_code == 200
    assert numbers(personas.client(personas.olga).get("/anfragen/")) == []


def test_it_shows_the_columns_of_a_request(personas):
    request = file_in_cluster(personas, title="Toner leer")
    assign_request(actor=personas.alice, request=request, assignee=personas.alice)
    html = personas.client(personas.coordinator).get("/anfragen/").content.decode()
    row = html.split(f"#{request.number}</td>")[1].split("</tr>")[0]
    for text in ("Toner leer", "Riesa", "Drucker", "Neu", "normal", "Alice Test", "gerade eben"):
        assert text in row


def test_it_puts_own_requests_first_for_staff(personas):
    auditor_request = file(personas, actor=personas.auditor, title="Vom Auditor")
    own = file(personas, title="Von Bob")
    later = file(personas, actor=personas.auditor, title="Später vom Auditor")
    assert numbers(personas.client(personas.bob).get("/anfragen/")) == [
        own.number,
        later.number,
        auditor_request.number,
    ]
    only_mine = personas.client(personas.bob).get("/anfragen/", {"mine": "on"})
    assert numbers(only_mine) == [own.number]


def test_it_filters_by_status_cluster_urgency_text_and_assignee(personas):
    printer = file_in_cluster(personas, title="Drucker im Bürgerbüro")
    triage = file(personas, title="Outlook startet nicht")
    done = file_in_cluster(personas, title="Scanner erledigt")
    close_request(actor=personas.coordinator, request=done)
    set_request_urgency(actor=personas.coordinator, request=triage, urgency="critical")
    assign_request(actor=personas.alice, request=printer, assignee=personas.alice)
    client = personas.client(personas.coordinator)
    assert set(numbers(client.get("/anfragen/"))) == {printer.number, triage.number}
    assert numbers(client.get("/anfragen/", {"status": "closed"})) == [done.number]
    assert len(numbers(client.get("/anfragen/", {"status": "all"}))) == 3
    assert numbers(client.get("/anfragen/", {"cluster": "drucker"})) == [printer.number]
    assert numbers(client.get("/anfragen/", {"urgency": "critical"})) == [triage.number]
    assert numbers(client.get("/anfragen/", {"q": "outlook"})) == [triage.number]
    assert numbers(client.get("/anfragen/", {"q": f"#{printer.number}"})) == [printer.number]
    assert numbers(client.get("/anfragen/", {"municipality": "meissen"})) == []
    alice = personas.client(personas.alice)
    assert numbers(alice.get("/anfragen/", {"assigned": "on"})) == [printer.number]
    assert 'name="assigned"' not in personas.client(personas.bob).get("/anfragen/").content.decode()


def test_it_sorts(personas):
    first = file(personas, title="Erste")
    second = file(personas, title="Zweite")
    third = file(personas, title="Dritte")
    set_request_urgency(actor=personas.coordinator, request=first, urgency="high")
    set_request_urgency(actor=personas.coordinator, request=third, urgency="low")
    client = personas.client(personas.coordinator)
    assert numbers(client.get("/anfragen/", {"sort": "newest"})) == [
        third.number,
        second.number,
        first.number,
    ]
    assert numbers(client.get("/anfragen/", {"sort": "oldest"})) == [
        first.number,
        second.number,
        third.number,
    ]
    assert numbers(client.get("/anfragen/", {"sort": "urgency"})) == [
        first.number,
        second.number,
        third.number,
    ]
    assert numbers(client.get("/anfragen/", {"sort": "changed"}))[0] == third.number


def test_it_pages_and_keeps_the_filters(personas):
    for n in range(27):
        file(personas, title=f"Anfrage {n}")
    client = personas.client(personas.coordinator)
    page_one = client.get("/anfragen/", {"status": "all"})
    assert len(numbers(page_one)) == 25
    assert "Seite 1 von 2" in page_one.content.decode()
    assert "?status=all&amp;seite=2" in page_one.content.decode()
    assert len(numbers(client.get("/anfragen/", {"status": "all", "seite": "2"}))) == 2
    assert "27 Anfragen" in page_one.content.decode()


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_it_needs_the_same_number_of_queries_for_5_and_30_requests(personas):
    """Sorted by date: exactly the same queries. Segmented sorts ("mine first", urgency):
    one count per segment plus at most one slice per segment, never one query per row."""
    for n in range(5):
        request = file_in_cluster(personas, title=f"Anfrage {n}")
        assign_request(actor=personas.alice, request=request, assignee=personas.alice)
    clients = {
        name: personas.client(getattr(personas, name)) for name in ("bob", "alice", "coordinator")
    }
    urls = ["/anfragen/?sort=newest", "/anfragen/?sort=changed&status=all"]
    few = {
        (name, url): queries_for(client, url) for name, client in clients.items() for url in urls
    }
    segmented = {
        name: queries_for(client, "/anfragen/?sort=urgency") for name, client in clients.items()
    }
    for n in range(25):
        file(
            personas,
            actor=personas.charlie if n % 2 else personas.bob,
            municipality=personas.b if n % 2 else personas.a,
            title=f"Mehr {n}",
            urgency=["low", "normal", "high", "critical"][n % 4],
        )
    many = {
        (name, url): queries_for(client, url) for name, client in clients.items() for url in urls
    }
    assert few == many
    for name, client in clients.items():
        plain = many[(name, urls[0])]
        assert segmented[name] <= plain + 4
        assert queries_for(client, "/anfragen/?sort=urgency") <= plain + 4 + 3
        assert queries_for(client, "/anfragen/?sort=mine") <= plain + 1 + 1
