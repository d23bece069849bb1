"""Review: topic owners compare pending changes, accept them or send them back."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from amtshilfe.core.models import AuditEvent
from amtshilfe.wiki.models import Revision
from amtshilfe.wiki.services import edit_article
from amtshilfe.wiki.tests.articles import make_article, make_municipality_article


def propose(personas, article, body="Doras Text", user=None):
    article.refresh_from_db()
    return edit_article(
        actor=user or personas.dora,
        article=article,
        title=article.title,
        body=body,
        tags=article.tags,
        base_version=article.version,
        message="Vorschlag",
    )


def test_it_lists_pending_changes_with_a_diff(personas):
    article = make_article(personas, body="Alt\n")
    propose(personas, article, body="Neu\n")
    html = personas.client(personas.alice).get(f"/wissen/{article.slug}/pruefung/").content.decode()
    assert "Vorschlag von Dora Test (Version 2)" in html
    assert '<table class="diff">' in html
    assert "Freigeben und veröffentlichen" in html and "Mit Kommentar zurückgeben" in html


def test_it_publishes_an_accepted_change_and_tells_the_author(
    personas, django_capture_on_commit_callbacks
):
    article = make_article(personas, body="Alt\n")
    revision = propose(personas, article, body="Neu\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = personas.client(personas.alice).post(
            f"/wissen/{article.slug}/pruefung/",
            {"revision": revision.pk, "decision": "accept", "comment": ""},
        )
    assert response["Location"] == f"/wissen/{article.slug}/"
    article.refresh_from_db()
    revision.refresh_from_db()
    assert article.body == "Neu\n" and revision.state == Revision.State.PUBLISHED
    assert revision.reviewed_by == personas.alice
    assert [m.to for m in mail.outbox] == [["dora@example.org"]]
    assert "veröffentlicht" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="article.change_accepted").exists()


def test_it_requires_a_comment_to_send_a_change_back(personas, django_capture_on_commit_callbacks):
    article = make_article(personas, body="Alt\n")
    revision = propose(personas, article)
    client = personas.client(personas.alice)
    response = client.post(
        f"/wissen/{article.slug}/pruefung/",
        {"revision": revision.pk, "decision": "reject", "comment": "  "},
    )
    assert response.status_code == 200
    assert "Bitte schreiben Sie kurz, was an der Änderung noch fehlt." in response.content.decode()
    revision.refresh_from_db()
    assert revision.state == Revision.State.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/wissen/{article.slug}/pruefung/",
            {"revision": revision.pk, "decision": "reject", "comment": "Quelle fehlt"},
        )
    revision.refresh_from_db()
    assert revision.state == Revision.State.REJECTED and revision.review_comment == "Quelle fehlt"
    assert [m.to for m in mail.outbox] == [["dora@example.org"]]
    assert "Quelle fehlt" in mail.outbox[0].body
    # dora sees why on the article page.
    page = personas.client(personas.dora).get(f"/wissen/{article.slug}/").content.decode()
    assert 'data-banner="returned"' in page and "Quelle fehlt" in page


def test_it_refuses_to_accept_a_change_made_on_an_old_version(personas):
    article = make_article(personas, body="Alt\n")
    first = propose(personas, article, body="Dora\n")
    article.refresh_from_db()
    edit_article(
        actor=personas.alice,
        article=article,
        title=article.title,
        body="Alice\n",
        tags=[],
        base_version=article.version,
    )
    response = personas.client(personas.alice).post(
        f"/wissen/{article.slug}/pruefung/",
        {"revision": first.pk, "decision": "accept", "comment": ""},
        follow=True,
    )
    assert "kann nicht unverändert übernommen werden" in response.content.decode()
    article.refresh_from_db()
    assert article.body == "Alice\n"


def test_it_hides_from_other_municipality(personas):
    article = make_municipality_article(personas)
    revision = propose(personas, article, user=personas.alice)  # alice is owner: published
    for user in (personas.charlie, personas.olga):
        client = personas.client(user)
        assert client.get(f"/wissen/{article.slug}/pruefung/").status_code == 404
        response = client.post(
            f"/wissen/{article.slug}/pruefung/",
            {"revision": revision.pk, "decision": "accept"},
        )
        assert response.status_code == 404


def test_it_requires_rw_access(personas):
    article = make_article(personas)
    revision = propose(personas, article)
    for user in (personas.dora, personas.bob, personas.steering):
        client = personas.client(user)
        assert client.get(f"/wissen/{article.slug}/pruefung/").status_code == 403
        response = client.post(
            f"/wissen/{article.slug}/pruefung/",
            {"revision": revision.pk, "decision": "accept", "comment": ""},
        )
        assert response.status_code == 403
    revision.refresh_from_db()
    assert revision.state == Revision.State.PENDING
    # The coordination reviews every cluster.
    assert (
        personas.client(personas.coordinator).get(f"/wissen/{article.slug}/pruefung/").status_code
        == 200
    )


def test_it_sends_anonymous_visitors_to_login(personas):
    article = make_article(personas)
    response = Client().get(f"/wissen/{article.slug}/pruefung/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_it_tells_when_a_change_was_already_reviewed(personas):
    article = make_article(personas)
    revision = propose(personas, article)
    client = personas.client(personas.alice)
    data = {"revision": revision.pk, "decision": "accept", "comment": ""}
    client.post(f"/wissen/{article.slug}/pruefung/", data)
    response = client.post(f"/wissen/{article.slug}/pruefung/", data, follow=True)
    assert "Diese Änderung wurde bereits geprüft." in response.content.decode()
    assert (
        client.post(
            f"/wissen/{article.slug}/pruefung/", {"revision": "x", "decision": "accept"}
        ).status_code
        == 404
    )
