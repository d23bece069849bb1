"""Script in a title, text, tag or file name never reaches the browser as markup."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amtshilfe.wiki.models import Revision
from amtshilfe.wiki.services import create_article, edit_article
from amtshilfe.wiki.tests.articles import use_tmp_media

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[x](javascript:alert(3))",
    '" onmouseover="alert(4)',
]


class ActiveContent(HTMLParser):
    """Collects everything in a page that could run script."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _value in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("injected <img>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                ("javascript:", "data:text/html")
            ):
                self.found.append(f"<{tag} {name}={value}>")


def assert_inert(html: str) -> None:
    parser = ActiveContent()
    parser.feed(html)
    assert parser.found == []
    # A quote in a text node is harmless (nh3 leaves it as it is); in an attribute the
    # parser above would have seen an "on…" attribute.
    for raw in ("<script>alert", "<img src=x onerror", "<svg onload"):
        assert raw not in html


@pytest.fixture
def hostile(personas, settings, tmp_path):
    use_tmp_media(settings, tmp_path)
    body = "\n\n".join(f"## {p}\n\n{p} [[{p}]] [{p}](/x)" for p in PAYLOADS)
    article = create_article(
        actor=None,
        network=personas.network,
        cluster=personas.cluster,
        title=" ".join(PAYLOADS),
        body=body,
        tags=PAYLOADS,
        slug="boese",
    )
    client = personas.client(personas.alice)
    for payload in PAYLOADS:
        response = client.post(
            f"/wissen/{article.slug}/anhaenge/",
            {"file": SimpleUploadedFile(f"{payload}.txt", b"harmlos")},
        )
        assert response.status_code == 302
    edit_article(
        actor=personas.dora,
        article=article,
        title=article.title + " <b>neu</b>",
        body=body + "\n\n<script>alert(5)</script>",
        tags=[*PAYLOADS, "<svg onload=alert(6)>"],
        base_version=article.version,
        message=PAYLOADS[1],
    )
    return article


def test_it_renders_payloads_inert_on_every_page(personas, hostile):
    slug = hostile.slug
    pending = Revision.objects.get(article=hostile, state=Revision.State.PENDING)
    urls = [
        "/wissen/",
        f"/wissen/{slug}/",
        f"/wissen/{slug}/bearbeiten/",
        f"/wissen/{slug}/versionen/",
        f"/wissen/{slug}/vergleich/?von=1&bis={pending.number}",
        f"/wissen/{slug}/pruefung/",
        f"/wissen/{slug}/einstellungen/",
        f"/wissen/{slug}/anhaenge/",
        "/wissen/veraltet/",
        "/wissen/cluster/drucker/defekte-links/",
        "/start/",
    ]
    client = personas.client(personas.alice)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())


def test_it_keeps_payloads_inert_in_an_edit_conflict(personas, hostile):
    client = personas.client(personas.alice)
    response = client.post(
        f"/wissen/{hostile.slug}/bearbeiten/",
        {
            "title": PAYLOADS[0],
            "body": "\n".join(PAYLOADS),
            "tags": PAYLOADS[3],
            "message": PAYLOADS[1],
            "base_version": hostile.version - 1 if hostile.version else 99,
        },
    )
    html = response.content.decode()
    assert "Jemand anders hat den Artikel inzwischen geändert" in html
    assert_inert(html)


def test_it_sends_attachment_names_safely(personas, hostile):
    attachment = hostile.attachments.first()
    response = personas.client(personas.bob).get(f"/wissen/{hostile.slug}/anhang/{attachment.pk}/")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "<" not in disposition and "\n" not in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
