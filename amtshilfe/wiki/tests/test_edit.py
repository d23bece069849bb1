"""Editing: owners publish, others propose; a conflicting save keeps the text and can merge."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from amtshilfe.wiki.models import Article, Revision
from amtshilfe.wiki.tests.articles import make_article, make_municipality_article


def edit_data(article, **overrides):
    data = {
        "title": article.title,
        "body": article.body,
        "tags": ", ".join(article.tags),
        "message": "",
        "base_version": article.version,
    }
    data.update(overrides)
    return data


def test_it_publishes_an_owners_edit(personas):
    article = make_article(personas)
    client = personas.client(personas.alice)
    form = client.get(f"/wissen/{article.slug}/bearbeiten/").content.decode()
    assert f'name="base_version" value="{article.version}"' in form
    response = client.post(
        f"/wissen/{article.slug}/bearbeiten/",
        edit_data(article, body="Neuer Text", message="gekürzt"),
    )
    assert response["Location"] == f"/wissen/{article.slug}/"
    article.refresh_from_db()
    assert article.body == "Neuer Text"
    assert article.current_revision.message == "gekürzt"
    assert article.current_revision.author == personas.alice


def test_it_turns_a_non_owners_edit_into_a_pending_revision(
    personas, django_capture_on_commit_callbacks
):
    article = make_article(personas)
    with django_capture_on_commit_callbacks(execute=True):
        response = personas.client(personas.dora).post(
            f"/wissen/{article.slug}/bearbeiten/", edit_data(article, body="Doras Text")
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body != "Doras Text"
    revision = article.revisions.get(state=Revision.State.PENDING)
    assert revision.body == "Doras Text" and revision.author == personas.dora
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "/wissen/drucker-einrichten/pruefung/" in mail.outbox[0].body


def test_it_refuses_a_conflicting_save_and_keeps_the_text(personas):
    article = make_article(personas, body="Zeile eins\nZeile zwei\n")
    alice = personas.client(personas.alice)
    coordinator = personas.client(personas.coordinator)
    opened = article.version
    # The coordinator saves first, from the same version alice opened.
    coordinator.post(
        f"/wissen/{article.slug}/bearbeiten/",
        edit_data(article, body="Zeile eins\nZeile zwei geändert\n", base_version=opened),
    )
    response = alice.post(
        f"/wissen/{article.slug}/bearbeiten/",
        edit_data(article, body="Zeile eins von Alice\nZeile zwei\n", base_version=opened),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Jemand anders hat den Artikel inzwischen geändert" in page
    assert "Zeile eins von Alice" in page  # her text is kept in the form
    assert '<table class="diff">' in page and "<ins" in page and "<del" in page
    article.refresh_from_db()
    assert article.body == "Zeile eins\nZeile zwei geändert\n"
    assert f'name="base_version" value="{article.version}"' in page
    # She merges both changes and saves again with the new base version: it goes through.
    response = alice.post(
        f"/wissen/{article.slug}/bearbeiten/",
        edit_data(
            article,
            body="Zeile eins von Alice\nZeile zwei geändert\n",
            base_version=article.version,
        ),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "Zeile eins von Alice\nZeile zwei geändert\n"
    assert article.revisions.count() == 3


def test_it_hides_from_other_municipality(personas):
    article = make_municipality_article(personas)
    for user in (personas.dora, personas.olga):
        client = personas.client(user)
        assert client.get(f"/wissen/{article.slug}/bearbeiten/").status_code == 404
        response = client.post(f"/wissen/{article.slug}/bearbeiten/", edit_data(article, body="x"))
        assert response.status_code == 404
    article.refresh_from_db()
    assert article.body != "x"


def test_it_requires_rw_access(personas):
    article = make_article(personas)
    for user in (personas.bob, personas.steering, personas.auditor):
        client = personas.client(user)
        assert client.get(f"/wissen/{article.slug}/bearbeiten/").status_code == 403
        response = client.post(f"/wissen/{article.slug}/bearbeiten/", edit_data(article, body="x"))
        assert response.status_code == 403
    assert not Revision.objects.filter(body="x").exists()
    # dora (IT, not an owner) may propose, but her change is not published.
    personas.client(personas.dora).post(
        f"/wissen/{article.slug}/bearbeiten/", edit_data(article, body="x")
    )
    assert Article.objects.get(pk=article.pk).body != "x"
    assert Revision.objects.get(body="x").state == Revision.State.PENDING


def test_it_sends_anonymous_visitors_to_login(personas):
    article = make_article(personas)
    response = Client().get(f"/wissen/{article.slug}/bearbeiten/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
