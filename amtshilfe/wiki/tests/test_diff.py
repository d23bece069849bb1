"""Comparing any two versions: line-based, changed words marked, everything escaped."""

from __future__ import annotations

from django.test import Client

from amtshilfe.wiki.diff import diff_texts
from amtshilfe.wiki.services import edit_article
from amtshilfe.wiki.tests.articles import make_article, make_municipality_article


def save(personas, article, body, user=None):
    article.refresh_from_db()
    return edit_article(
        actor=user or personas.alice,
        article=article,
        title=article.title,
        body=body,
        tags=article.tags,
        base_version=article.version,
    )


def test_it_compares_any_two_revisions(personas):
    article = make_article(personas, body="Drucker an\nToner rein\nfertig\n")
    save(personas, article, "Drucker an\nToner vorsichtig rein\nfertig\n")
    save(personas, article, "Drucker aus\nToner vorsichtig rein\n")
    client = personas.client(personas.bob)
    html = client.get(f"/wissen/{article.slug}/vergleich/?von=1&bis=3").content.decode()
    assert "Version 1 und Version 3 im Vergleich" in html
    assert (
        '<del class="diff-line"><span class="visually-hidden">entfernt: </span>fertig</del>' in html
    )
    assert '<ins class="diff-word"><span class="visually-hidden">[eingefügt: </span>aus' in html
    assert '<del class="diff-word"><span class="visually-hidden">[entfernt: </span>an' in html
    html = client.get(f"/wissen/{article.slug}/vergleich/?von=2&bis=3").content.decode()
    assert "Version 2 und Version 3 im Vergleich" in html
    # Without parameters: the current version against the one before.
    html = client.get(f"/wissen/{article.slug}/vergleich/").content.decode()
    assert "Version 2 und Version 3 im Vergleich" in html


def test_it_answers_404_for_unknown_or_hidden_versions(personas):
    article = make_article(personas)
    save(personas, article, "Vorschlag", user=personas.dora)  # pending: version 2
    client = personas.client(personas.bob)
    assert client.get(f"/wissen/{article.slug}/vergleich/?von=1&bis=9").status_code == 404
    assert client.get(f"/wissen/{article.slug}/vergleich/?von=x&bis=1").status_code == 404
    assert client.get(f"/wissen/{article.slug}/vergleich/?von=1&bis=2").status_code == 404
    dora = personas.client(personas.dora)
    assert dora.get(f"/wissen/{article.slug}/vergleich/?von=1&bis=2").status_code == 200


def test_it_escapes_the_compared_text(personas):
    article = make_article(personas, body="harmlos\n")
    save(personas, article, 'harmlos <script>alert(1)</script>\n<img src=x onerror="alert(2)">\n')
    html = personas.client(personas.bob).get(f"/wissen/{article.slug}/vergleich/").content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_it_marks_changed_words_within_a_line():
    diff = diff_texts("a\nDer Drucker druckt nicht.\nb\n", "a\nDer Drucker druckt wieder.\nb\n")
    changed = [row for row in diff.rows if row.kind in ("delete", "insert")]
    assert [(row.kind, row.paired) for row in changed] == [("delete", True), ("insert", True)]
    assert [s.text for s in changed[0].segments if s.changed] == ["nicht"]
    assert [s.text for s in changed[1].segments if s.changed] == ["wieder"]
    assert (diff.added, diff.removed) == (1, 1)


def test_it_leaves_out_long_unchanged_stretches():
    old = "\n".join(f"Zeile {n}" for n in range(50))
    new = old.replace("Zeile 25", "Zeile fünfundzwanzig")
    diff = diff_texts(old, new)
    kinds = [row.kind for row in diff.rows]
    assert kinds[0] == "skip" and kinds[-1] == "skip"
    assert diff.rows[0].skipped == 22 and diff.rows[-1].skipped == 21
    assert not diff_texts("gleich", "gleich").has_changes


def test_it_hides_from_other_municipality(personas):
    article = make_municipality_article(personas)
    for user in (personas.charlie, personas.olga):
        response = personas.client(user).get(f"/wissen/{article.slug}/vergleich/?von=1&bis=1")
        assert response.status_code == 404


def test_it_requires_rw_access(personas):
    # Comparing is reading: every reader may; proposals are shown to editors only (above).
    article = make_article(personas)
    assert (
        personas.client(personas.bob)
        .get(f"/wissen/{article.slug}/vergleich/?von=1&bis=1")
        .status_code
        == 200
    )


def test_it_sends_anonymous_visitors_to_login(personas):
    article = make_article(personas)
    response = Client().get(f"/wissen/{article.slug}/vergleich/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
