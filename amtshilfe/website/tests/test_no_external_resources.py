"""No page loads anything from another host (DSGVO; LG München I, 3 O 17493/20).

Every script, style, font, image and form target is served by Amtshilfe itself. Two checks:

1. Every page a persona can reach is rendered (a crawl from the start pages following the
   page's own links, plus forms shown with validation errors) and its HTML is parsed:
   ``src``, ``srcset``, ``href`` of ``<link>``, ``action``, ``formaction``, ``poster``,
   ``data``, ``url(...)`` and ``@import`` in ``<style>`` or ``style=`` must stay on this
   host. Hyperlinks (``<a href>``) are navigation a person chooses, not resources, so a
   contact address (``mailto:``) or a link in a text may point elsewhere.
2. Every file under the ``templates`` and ``static`` folders of the package is scanned for
   such references to ``http(s)://`` or protocol-relative ``//`` hosts.

The crawl runs with the test personas and with the demo network of the demo loader.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import Resolver404, resolve

from amtshilfe.accounts.models import User
from amtshilfe.demo.loader import load_demo_network

PACKAGE_DIR = Path(settings.PACKAGE_DIR)

# Attributes that make the browser fetch something, per tag ("*" = any tag).
RESOURCE_ATTRIBUTES = {
    "*": {"src", "srcset", "poster", "formaction", "background", "xlink:href"},
    "link": {"href"},
    "form": {"action"},
    "object": {"data"},
    "use": {"href"},
    "image": {"href"},
    "meta": set(),  # <meta http-equiv="refresh" content="0; url=..."> is checked separately
}
NAVIGATION_SCHEMES = {"mailto", "tel"}
LOCAL_HOSTS = {"testserver", "localhost", "127.0.0.1", urlsplit(settings.SITE_URL).netloc}

# Not crawled: they change state on GET, are not HTML, or are not ours.
SKIPPED_PREFIXES = ("/konto/abmelden/", "/sprache/", "/api/", "/django-admin/", "/static/")
MAX_PAGES_PER_PERSONA = 250
# Pages of one view share their template: a few of each kind cover it (and keep the crawl fast
# when the demo has hundreds of articles).
MAX_PAGES_PER_VIEW = 3

CSS_URL = re.compile(r"""url\(\s*(['"]?)(?P<url>[^'")\s]*)\1\s*\)""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?(?P<url>[^'")\s;]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    where: str
    what: str
    url: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what} -> {self.url}"


def is_external(url: str) -> bool:
    """True when loading ``url`` would contact another host than Amtshilfe's own."""
    url = url.strip()
    if not url or url.startswith(("#", "data:", "blob:")):
        return False
    parts = urlsplit(url)
    if parts.scheme in NAVIGATION_SCHEMES:
        return False
    if parts.scheme and parts.scheme not in {"http", "https"}:
        return True  # javascript:, ftp:, file: ... have no place in a resource attribute
    return bool(parts.netloc) and parts.netloc not in LOCAL_HOSTS


def css_references(css: str) -> Iterator[tuple[str, str]]:
    for match in CSS_URL.finditer(css):
        yield "url()", match.group("url")
    for match in CSS_IMPORT.finditer(css):
        yield "@import", match.group("url")


class PageScanner(HTMLParser):
    """Collects the page's resource references and the local links to crawl on."""

    def __init__(self, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.external: list[Reference] = []
        self.links: list[str] = []
        self.resources: list[str] = []
        self._in_style = False

    def _check(self, what: str, url: str) -> None:
        if is_external(url):
            self.external.append(Reference(self.where, what, url))
        elif url.startswith("/"):
            self.resources.append(url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = RESOURCE_ATTRIBUTES["*"] | RESOURCE_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if value is None:
                continue
            if name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self._check(f"<{tag} srcset>", candidate.split()[0])
            elif name in wanted:
                self._check(f"<{tag} {name}>", value)
            elif name == "style":
                for what, url in css_references(value):
                    self._check(f"<{tag} style> {what}", url)
            elif tag == "meta" and name == "content" and "url=" in value.lower():
                self._check("<meta refresh>", value.lower().split("url=", 1)[1].strip("'\" "))
        if tag in {"a", "area"}:
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        if tag == "style":
            self._in_style = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            for what, url in css_references(data):
                self._check(f"<style> {what}", url)


def scan_html(where: str, html: str) -> PageScanner:
    scanner = PageScanner(where)
    scanner.feed(html)
    scanner.close()
    return scanner


def static_file_references(url: str) -> list[Reference]:
    """A stylesheet the page loads may not pull in anything from elsewhere either."""
    path = url.split("?", 1)[0].removeprefix(settings.STATIC_URL)
    if not path.endswith(".css"):
        return []
    found = finders.find(path)
    assert found, f"{url} is referenced by a page but no static file finder knows it"
    css = Path(str(found)).read_text(encoding="utf-8")
    return [Reference(url, what, ref) for what, ref in css_references(css) if is_external(ref)]


def view_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


def crawl(client: Client, seeds: Iterable[str]) -> tuple[list[str], list[Reference]]:
    """Visit every local page reachable from ``seeds``; return the pages and external refs."""
    queue: deque[str] = deque(seeds)
    seen: set[str] = set(queue)
    per_view: Counter[str] = Counter()
    visited: list[str] = []
    external: list[Reference] = []
    stylesheets: set[str] = set()
    while queue and len(visited) < MAX_PAGES_PER_PERSONA:
        url = queue.popleft()
        response = client.get(url)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        # Error pages (403, 404) are pages too; only pages shown with 200 are crawled on.
        scanner = scan_html(url, response.content.decode(response.charset or "utf-8"))
        external += scanner.external
        stylesheets.update(r for r in scanner.resources if r.startswith(settings.STATIC_URL))
        if response.status_code != 200:
            continue
        visited.append(url)
        for href in scanner.links:
            target, _fragment = urldefrag(urljoin(url, href))
            parts = urlsplit(target)
            if parts.netloc or parts.scheme or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(SKIPPED_PREFIXES) or target in seen:
                continue
            seen.add(target)
            kind = view_name(parts.path)
            if per_view[kind] >= MAX_PAGES_PER_VIEW:
                continue
            per_view[kind] += 1
            queue.append(target)
    for sheet in sorted(stylesheets):
        external += static_file_references(sheet)
    return visited, external


def check_pages(html_by_name: dict[str, str]) -> list[Reference]:
    external: list[Reference] = []
    for name, html in html_by_name.items():
        external += scan_html(name, html).external
    return external


SEEDS = [
    "/",
    "/start/",
    "/konto/",
    "/konto/passwort/",
    "/cluster/",
    "/cluster/mein-profil/",
    "/netzwerk/",
    "/netzwerk/personen/",
    "/netzwerk/protokoll/",
    "/netzwerk/kommunen/neu/",
    "/netzwerk/personen/neu/",
    "/cluster/neu/",
    "/website/",
    "/website/beitritte/",
    "/website/kontakte/",
    "/diese-seite-gibt-es-nicht/",
]
ANONYMOUS_SEEDS = [
    "/",
    "/mitglieder/",
    "/themen/",
    "/oeffentlich/wissen/",
    "/oeffentlich/wissen/?q=Drucker",
    "/kennzahlen/",
    "/mitmachen/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/konto/anmelden/",
    "/konto/passwort-vergessen/",
    "/start/",
    "/diese-seite-gibt-es-nicht/",
]


def crawl_as(user: User | None) -> tuple[list[str], list[Reference]]:
    client = Client()
    if user is None:
        return crawl(client, ANONYMOUS_SEEDS)
    client.force_login(user)
    return crawl(client, SEEDS)


def forms_with_errors(
    coordinator: User, it_person: User | None, duplicate_name: str
) -> dict[str, str]:
    """Pages that only exist after a POST: forms re-rendered with validation errors."""
    pages: dict[str, str] = {}
    anonymous = Client()
    pages["login with wrong password"] = anonymous.post(
        "/konto/anmelden/", {"username": "niemand", "password": "falsch"}
    ).content.decode()
    client = Client()
    client.force_login(coordinator)
    pages["municipality duplicate"] = client.post(
        "/netzwerk/kommunen/neu/", {"name": duplicate_name, "kind": "gemeinde"}
    ).content.decode()
    pages["person empty"] = client.post("/netzwerk/personen/neu/", {}).content.decode()
    pages["cluster empty"] = client.post("/cluster/neu/", {}).content.decode()
    pages["join form empty"] = anonymous.post("/mitmachen/", {}).content.decode()
    pages["site page empty"] = client.post("/website/seiten/impressum/", {}).content.decode()
    pages["site page preview"] = client.post(
        "/website/seiten/impressum/",
        {"title": "Impressum", "body": "![Bild](https://img.example.org/x.png)", "vorschau": "1"},
    ).content.decode()
    if it_person is not None:
        it_client = Client()
        it_client.force_login(it_person)
        pages["profile invalid"] = it_client.post(
            "/cluster/mein-profil/", {"pledged_hours_per_month": "-3"}
        ).content.decode()
    return pages


def assert_none(external: list[Reference]) -> None:
    assert not external, "external resources referenced:\n" + "\n".join(map(str, external))


# --- 1. Rendered pages -----------------------------------------------------------------------


def test_it_renders_every_persona_page_without_external_resources(personas):
    everyone = [
        None,
        personas.alice,
        personas.bob,
        personas.charlie,
        personas.dora,
        personas.coordinator,
        personas.steering,
        personas.auditor,
        personas.olga,
    ]
    external: list[Reference] = []
    visited: dict[str, list[str]] = {}
    for user in everyone:
        pages, found = crawl_as(user)
        visited[user.username if user else "anonymous"] = pages
        external += found
    # The crawl must really have reached the screens it is meant to cover.
    coordinator_views = {view_name(urlsplit(url).path) for url in visited["coordinator"]}
    for expected in (
        "dashboard:start",
        "tenancy:overview",
        "tenancy:person_list",
        "tenancy:audit_log",
        "tenancy:municipality_create",
        "tenancy:municipality_detail",
        "tenancy:person_create",
        "tenancy:person_detail",
        "experts:cluster_list",
        "experts:cluster_detail",
        "accounts:profile",
    ):
        assert expected in coordinator_views, f"the crawl did not reach {expected}"
    assert "/cluster/mein-profil/" in visited["alice"]
    assert "/konto/anmelden/" in visited["anonymous"]
    anonymous_views = {view_name(urlsplit(url).path) for url in visited["anonymous"]}
    for expected in (
        "website:home",
        "website:members",
        "website:member_detail",
        "website:topics",
        "website:knowledge",
        "website:indicators",
        "website:join",
        "website:imprint",
        "website:privacy",
        "website:accessibility",
    ):
        assert expected in anonymous_views, f"the anonymous crawl did not reach {expected}"
    for expected in ("website:manage", "website:page_edit", "website:join_requests"):
        assert expected in coordinator_views, f"the crawl did not reach {expected}"
    external += check_pages(
        forms_with_errors(personas.coordinator, personas.alice, personas.a.name)
    )
    assert_none(external)


def test_it_renders_the_demo_network_without_external_resources(db):
    load_demo_network()
    usernames = [
        "koordination",
        "it.riesa",
        "it.radebeul",
        "verwaltung.meissen",
        "verwaltung.coswig",
        "steuerung.grossenhain",
        "datenschutz",
    ]
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    assert "koordination" in users, "the demo data has no coordinator 'koordination'"
    external: list[Reference] = []
    pages, found = crawl_as(None)
    external += found
    for username in usernames:
        if username in users:
            pages, found = crawl_as(users[username])
            assert "/start/" in pages
            external += found
    municipality = users["koordination"].memberships.select_related("municipality").first()
    duplicate = municipality.municipality.name if municipality else "Riesa"
    external += check_pages(
        forms_with_errors(users["koordination"], users.get("it.riesa"), duplicate)
    )
    assert_none(external)


# --- 2. Source files -------------------------------------------------------------------------

HOST_REF = r"""(?:https?:)?//[^\s"'<>)]+"""
TEMPLATE_RESOURCE = re.compile(
    r"""<(?P<tag>[a-zA-Z][\w:-]*)\b[^>]*?\b(?P<attr>src|srcset|poster|formaction|action|data|background|href)"""
    r"""\s*=\s*["']?\s*(?P<url>""" + HOST_REF + ")",
    re.IGNORECASE,
)
JS_URL = re.compile(r"""["'`](?P<url>""" + HOST_REF + ")")
# XML namespace names are identifiers, never fetched.
NAMESPACE_URLS = ("http://www.w3.org/",)


def _strip_js_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    return re.sub(r"(?m)^\s*//.*$", "", text)


def source_files(kind: str) -> Iterator[Path]:
    for folder in sorted(PACKAGE_DIR.rglob(kind)):
        if folder.is_dir():
            yield from (p for p in sorted(folder.rglob("*")) if p.is_file())


def scan_source_file(path: Path) -> list[Reference]:
    where = str(path.relative_to(PACKAGE_DIR.parent))
    if path.suffix in {
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".ico",
        ".webp",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".eot",
        ".gz",
        ".br",
        ".pdf",
    }:
        return []
    text = path.read_text(encoding="utf-8", errors="replace")
    found: list[Reference] = []
    if path.suffix in {".css", ".html", ".svg"}:
        found += [
            Reference(where, what, url) for what, url in css_references(text) if is_external(url)
        ]
    if path.suffix in {".html", ".svg", ".xml"}:
        for match in TEMPLATE_RESOURCE.finditer(text):
            tag, attr = match.group("tag").lower(), match.group("attr").lower()
            if attr == "href" and tag in {"a", "area"}:
                continue  # a hyperlink, not a resource
            url = match.group("url")
            if is_external(url) and not url.startswith(NAMESPACE_URLS):
                found.append(Reference(where, f"<{tag} {attr}>", url))
    if path.suffix in {".js", ".mjs"}:
        for match in JS_URL.finditer(_strip_js_comments(text)):
            url = match.group("url")
            if is_external(url) and not url.startswith(NAMESPACE_URLS):
                found.append(Reference(where, "URL in script", url))
    return found


def test_it_finds_no_external_references_in_templates_and_static_files():
    files = [*source_files("templates"), *source_files("static")]
    assert any(p.name == "base.html" for p in files)
    assert any(p.suffix == ".css" for p in files)
    external: list[Reference] = []
    for path in files:
        external += scan_source_file(path)
    assert_none(external)


@pytest.mark.parametrize(
    "html",
    [
        '<script src="https://cdn.example.org/x.js"></script>',
        '<link rel="stylesheet" href="//fonts.example.org/css">',
        '<img srcset="/a.png 1x, https://img.example.org/b.png 2x" alt="">',
        "<div style=\"background: url('https://img.example.org/b.png')\"></div>",
        "<style>@import 'https://fonts.example.org/font.css';</style>",
        '<form action="https://forms.example.org/"></form>',
    ],
)
def test_it_recognises_external_references(html):
    assert scan_html("sample", html).external


@pytest.mark.parametrize(
    "html",
    [
        '<script src="/static/amtshilfe/js/base.js"></script>',
        '<a href="https://www.example.org/">Website des Landkreises</a>',
        '<a href="mailto:netzwerk@example.org">netzwerk@example.org</a>',
        '<img src="data:image/png;base64,AAAA" alt="">',
        '<link rel="canonical" href="http://testserver/">',
    ],
)
def test_it_accepts_local_resources_and_hyperlinks(html):
    assert not scan_html("sample", html).external
