""" "War dieser Artikel hilfreich?" – one answer per person; owners see the tally."""

from __future__ import annotations

from django.test import Client

from amtshilfe.wiki.models import Feedback
from amtshilfe.wiki.tests.articles import make_article, make_municipality_article


def test_it_keeps_one_answer_per_person(personas):
    article = make_article(personas)
    client = personas.client(personas.bob)
    response = client.post(f"/wissen/{article.slug}/rueckmeldung/", {"helpful": "nein"})
    assert response["Location"] == f"/wissen/{article.slug}/#feedback_section"
    client.post(
        f"/wissen/{article.slug}/rueckmeldung/", {"helpful": "ja", "comment": "Jetzt klappt es"}
    )
    feedback = Feedback.objects.get()
    assert (feedback.user, feedback.helpful, feedback.comment) == (
        personas.bob,
        True,
        "Jetzt klappt es",
    )


def test_it_shows_the_tally_and_comments_to_owners_only(personas):
    article = make_article(personas)
    personas.client(personas.bob).post(
        f"/wissen/{article.slug}/rueckmeldung/", {"helpful": "ja", "comment": "Super erklärt"}
    )
    personas.client(personas.charlie).post(
        f"/wissen/{article.slug}/rueckmeldung/", {"helpful": "nein"}
    )
    owner_page = personas.client(personas.alice).get(f"/wissen/{article.slug}/").content.decode()
    assert "<strong>1</strong> hilfreich" in owner_page
    assert "<strong>1</strong> nicht hilfreich" in owner_page
    assert "Super erklärt" in owner_page
    for user in (personas.bob, personas.dora):
        page = personas.client(user).get(f"/wissen/{article.slug}/").content.decode()
        assert "nur für Themen-Zuständige" not in page
    assert "Sie haben diesen Artikel als hilfreich bewertet" in (
        personas.client(personas.bob).get(f"/wissen/{article.slug}/").content.decode()
    )


def test_it_asks_for_yes_or_no(personas):
    article = make_article(personas)
    response = personas.client(personas.bob).post(
        f"/wissen/{article.slug}/rueckmeldung/", {"comment": "?"}, follow=True
    )
    assert "Bitte wählen Sie „Ja“ oder „Nein“." in response.content.decode()
    assert not Feedback.objects.exists()


def test_it_hides_from_other_municipality(personas):
    article = make_municipality_article(personas)
    for user in (personas.charlie, personas.olga):
        response = personas.client(user).post(
            f"/wissen/{article.slug}/rueckmeldung/", {"helpful": "ja"}
        )
        assert response.status_code == 404
    assert not Feedback.objects.exists()


def test_it_requires_rw_access(personas):
    # Every reader may answer (staff are the people it is for); nothing else is written.
    article = make_article(personas)
    assert (
        personas.client(personas.bob)
        .post(f"/wissen/{article.slug}/rueckmeldung/", {"helpful": "ja"})
        .status_code
        == 302
    )
    assert (
        personas.client(personas.bob).get(f"/wissen/{article.slug}/rueckmeldung/").status_code
        == 405
    )


def test_it_sends_anonymous_visitors_to_login(personas):
    article = make_article(personas)
    response = Client().post(f"/wissen/{article.slug}/rueckmeldung/", {"helpful": "ja"})
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
    assert not Feedback.objects.exists()
