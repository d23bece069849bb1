"""The owners' to-do list of unanswered searches on "Ist das noch aktuell?", and the title
prefill of "Artikel schreiben"."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client

from amtshilfe.experts.services import create_cluster, set_cluster_member
from amtshilfe.wiki.models import SearchQueryLog
from amtshilfe.wiki.owner_queues import recent_unanswered_searches
from amtshilfe.wiki.tests.articles import make_article

NOW = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)


def log(network, query: str, when: dt.datetime, results: int = 0) -> None:
    row = SearchQueryLog.objects.create(network=network, query=query, result_count=results)
    SearchQueryLog.objects.filter(pk=row.pk).update(created_at=when)


def asked(personas) -> None:
    days = [NOW - dt.timedelta(days=n) for n in (1, 2, 3, 10, 89, 91)]
    log(personas.network, "Drucker  druckt nur leere Seiten", days[0])
    log(personas.network, "drucker druckt nur leere seiten", days[1])
    log(personas.network, "Ruf mich an: 0351 1234567", days[2])
    log(personas.network, "Kontakt anna.muster@riesa.de", days[3])
    log(personas.network, "Drucker", days[2], results=4)  # found something
    log(personas.network, "Signatur im Outlook", days[4])
    log(personas.network, "Uralte Frage", days[5])  # older than 90 days
    log(personas.other_network, "Fremde Frage", days[0])


def test_it_shows_owners_the_unanswered_searches_with_a_link_to_write(personas):
    asked(personas)
    with time_machine.travel(NOW, tick=False):
        page = personas.client(personas.alice).get("/wissen/veraltet/").content.decode()
    assert "Gesucht, aber nicht gefunden" in page
    assert "Drucker druckt nur leere Seiten</td>\n    <td>2</td>" in page
    assert "Ruf mich an: [Telefonnummer entfernt]" in page
    assert "Kontakt [E-Mail-Adresse entfernt]" in page
    assert "Signatur im Outlook" in page
    assert "1234567" not in page and "anna.muster" not in page
    assert "Uralte Frage" not in page and "Fremde Frage" not in page
    assert "/wissen/neu/?titel=Drucker%20druckt%20nur%20leere%20Seiten" in page
    index = personas.client(personas.alice).get("/wissen/").content.decode()
    assert 'href="/wissen/veraltet/#unbeantwortete-suchen"' in index
    index = personas.client(personas.dora).get("/wissen/").content.decode()
    assert "#unbeantwortete-suchen" not in index


def test_it_orders_by_count_then_most_recent(personas):
    asked(personas)
    with time_machine.travel(NOW, tick=False):
        found = recent_unanswered_searches(personas.network)
    assert [(u.question, u.count) for u in found] == [
        ("Drucker druckt nur leere Seiten", 2),
        ("Ruf mich an: [Telefonnummer entfernt]", 1),
        ("Kontakt [E-Mail-Adresse entfernt]", 1),
        ("Signatur im Outlook", 1),
    ]
    assert found[0].last_asked == NOW - dt.timedelta(days=1)


def test_it_says_so_when_every_search_found_something(personas):
    log(personas.network, "Drucker", NOW, results=2)
    with time_machine.travel(NOW, tick=False):
        page = personas.client(personas.alice).get("/wissen/veraltet/").content.decode()
    assert "jede Suche hat etwas gefunden" in page


def test_it_hides_from_other_municipality(personas):
    asked(personas)
    # olga coordinates another network: nothing here is hers.
    assert personas.client(personas.olga).get("/wissen/veraltet/").status_code == 403


def test_it_requires_rw_access(personas):
    asked(personas)
    for user in (personas.dora, personas.bob, personas.charlie, personas.steering):
        assert personas.client(user).get("/wissen/veraltet/").status_code == 403
    with time_machine.travel(NOW, tick=False):
        page = personas.client(personas.coordinator).get("/wissen/veraltet/").content.decode()
    assert "Signatur im Outlook" in page
    response = Client().get("/wissen/veraltet/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_it_never_shows_articles_of_clusters_the_owner_does_not_own(personas):
    other = create_cluster(actor=None, network=personas.network, name="Netzwerk")
    set_cluster_member(actor=None, cluster=other, person=personas.dora, role="owner")
    with time_machine.travel(dt.datetime(2024, 1, 10, 9, tzinfo=dt.UTC), tick=False):
        make_article(personas, title="Eigener alter Artikel")
        make_article(personas, title="Fremder alter Artikel", cluster=other)
    asked(personas)
    with time_machine.travel(NOW, tick=False):
        alice = personas.client(personas.alice).get("/wissen/veraltet/").content.decode()
        dora = personas.client(personas.dora).get("/wissen/veraltet/").content.decode()
    assert "Eigener alter Artikel" in alice and "Fremder alter Artikel" not in alice
    assert "Fremder alter Artikel" in dora and "Eigener alter Artikel" not in dora
    # Both owners share the network's to-do list; it names questions, never articles.
    assert "Signatur im Outlook" in alice and "Signatur im Outlook" in dora


def test_it_prefills_the_title_of_a_new_article(personas):
    client = personas.client(personas.alice)
    page = client.get("/wissen/neu/", {"titel": "  Signatur   im Outlook "}).content.decode()
    assert 'value="Signatur im Outlook"' in page
    long_title = "x" * 250
    page = client.get("/wissen/neu/", {"titel": long_title}).content.decode()
    assert f'value="{"x" * 200}"' in page and f'value="{"x" * 201}' not in page
    page = client.get("/wissen/neu/", {"titel": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_it_lists_in_bounded_queries(personas, django_assert_max_num_queries):
    for number in range(40):
        log(personas.network, f"Frage {number}", NOW - dt.timedelta(hours=number))
    client = personas.client(personas.alice)
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(11):
        assert client.get("/wissen/veraltet/").status_code == 200
