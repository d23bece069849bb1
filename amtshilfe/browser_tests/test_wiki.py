"""The knowledge base in the browser: XSS stays inert, versions, edit conflicts, review, axe.

Every test writes its own articles, with a made-up word in the title (letters only, so that
the search's tokenizer keeps it whole), and looks only at what it wrote: the demo server is
shared by all browser tests of the session, and other tests add articles, edits and people.
Articles go into the cluster "Fachverfahren", where the coordination is topic owner (as for
every cluster) and the IT specialist "it.riesa" is not, so that his edits wait for review.
"""

from __future__ import annotations

import re
import struct
import uuid
import zlib
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from amtshilfe.browser_tests.axe import describe, run_axe
from amtshilfe.browser_tests.test_accessibility import DUPLICATE_IDS, reflow_problems

# One xdist group: with `pytest --dist loadgroup` a single worker loads the demo once.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CLUSTER = "Fachverfahren"
COORDINATOR = "koordination"  # topic owner of every cluster: publishes and reviews directly
IT_SPECIALIST = "it.riesa"  # may propose changes in every cluster, owns none
IT_SPECIALIST_NAME = "Stefan Krause"
SEARCH_WAIT_MS = 20_000  # live search: 400 ms debounce plus the search on a busy machine

CONFLICT_MESSAGE = (
    "Jemand anders hat den Artikel inzwischen geändert. Ihr Text ist unten erhalten. "
    "Bitte vergleichen Sie ihn mit der aktuellen Fassung, übernehmen Sie fremde Änderungen "
    "in Ihren Text und speichern Sie dann erneut."
)


def expect(target: Any, message: str | None = None) -> Any:
    # Imported here: without playwright the fixtures skip the tests instead of a failed import.
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target, message)


def marker() -> str:
    """A made-up word of letters only: unique, and one search term."""
    return "wt" + uuid.uuid4().hex[:10].translate(str.maketrans("0123456789", "ghijklmnop"))


def png_bytes() -> bytes:
    """A real 1×1 PNG (the upload checks the content, not the name)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x20\x60\xa0")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# --- Helpers that work through the user interface ------------------------------------------


def submit(page: Any, button: Any) -> None:
    """Click a submit button and wait until the answer (after any redirect) has loaded."""
    with page.expect_navigation():
        button.click()


def open_page(tab: Any, path: str) -> None:
    response = tab.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"


def messages(page: Any) -> Any:
    return page.locator("main .messages")


def create_article(tab: Any, *, title: str, body: str, tags: str = "", message: str = "") -> str:
    """Write a new article as a topic owner; returns its path (/wissen/<slug>/)."""
    page = tab.page
    open_page(tab, "/wissen/neu/")
    form = page.locator("main form.wiki-form")
    form.get_by_role("combobox", name="Themencluster").select_option(label=CLUSTER)
    form.get_by_role("textbox", name="Titel", exact=True).fill(title)
    form.get_by_role("textbox", name="Text", exact=True).fill(body)
    form.get_by_role("textbox", name="Schlagwörter", exact=True).fill(tags)
    form.get_by_role("textbox", name="Was haben Sie geändert?").fill(message)
    submit(page, form.get_by_role("button", name="Artikel speichern"))
    expect(messages(page)).to_contain_text("Der Artikel ist veröffentlicht.")
    path = urlsplit(page.url).path
    assert re.fullmatch(r"/wissen/[\w-]+/", path), f"not an article page: {page.url}"
    expect(page.locator("main > h1")).to_have_text(title)
    return path


def fill_editor(
    page: Any,
    *,
    title: str | None = None,
    body: str | None = None,
    tags: str | None = None,
    message: str = "",
) -> Any:
    """Fill the open edit form; returns the form."""
    form = page.locator("main form.wiki-form")
    if title is not None:
        form.get_by_role("textbox", name="Titel", exact=True).fill(title)
    if body is not None:
        form.get_by_role("textbox", name="Text", exact=True).fill(body)
    if tags is not None:
        form.get_by_role("textbox", name="Schlagwörter", exact=True).fill(tags)
    form.get_by_role("textbox", name="Was haben Sie geändert?").fill(message)
    return form


def edit_article(tab: Any, path: str, **fields: Any) -> None:
    """Edit as someone who publishes directly (a topic owner)."""
    page = tab.page
    open_page(tab, path + "bearbeiten/")
    form = fill_editor(page, **fields)
    submit(page, form.get_by_role("button", name="Änderung speichern"))
    assert urlsplit(page.url).path == path
    expect(messages(page)).to_contain_text("Ihre Änderung ist veröffentlicht.")


def article_text(page: Any) -> Any:
    return page.locator("main .wiki-content")


def history_row(page: Any, number: int) -> Any:
    """The row of version ``number`` in the history table (first cell is the number)."""
    rows = page.locator("main table tbody tr")
    return rows.filter(has=page.locator("td.num", has_text=re.compile(rf"^\s*{number}\s*$")))


# --- 1. Cross-site scripting --------------------------------------------------------------

SCRIPT = "<script>window.__xss=1;alert('xss')</script>"
IMG = "<img src=x onerror=\"window.__xss=1;alert('xss')\">"
# Tags are split at "," and ";" and lower-cased, so their payloads have neither.
TAG_SCRIPT = "<script>window.__xss=1</script>"
TAG_IMG = "<img src=x onerror=window.__xss=1>"
TAG_SVG = "<svg onload=window.__xss=1>"
ATTACHMENT_NAMES = [
    '"><img src=x onerror=window.__xss=1>.png',
    "x' onerror='window.__xss=1' y.png",
]

# Executable leftovers of a payload anywhere in the document: a script that mentions it,
# an inline event handler (the CSP forbids them, Amtshilfe uses none), a javascript: URL.
EXECUTABLE = """() => {
  const found = [];
  for (const s of document.scripts) {
    if (s.textContent.includes('__xss')) found.push('script: ' + s.textContent.slice(0, 80));
  }
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) found.push(el.tagName + ' ' + a.name + '=' + a.value);
      if (/^\\s*javascript:/i.test(a.value) && ['href', 'src', 'action', 'formaction',
          'xlink:href', 'data'].includes(a.name)) {
        found.push(el.tagName + ' ' + a.name + '=' + a.value);
      }
    }
  }
  for (const el of document.querySelectorAll('svg, iframe, object, embed')) {
    found.push('element ' + el.tagName);
  }
  return found;
}"""


def watch_dialogs(tab: Any) -> list[str]:
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(f"{tab.page.url}: {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    tab.page.on("dialog", on_dialog)
    return dialogs


def assert_inert(tab: Any, dialogs: list[str], where: str) -> None:
    """Nothing of a payload ran, or could still run, on the open page."""
    page = tab.page
    page.wait_for_load_state("load")  # failed images have fired their error events by now
    assert page.evaluate("() => typeof window.__xss") == "undefined", f"XSS ran on {where}"
    assert not dialogs, f"a dialog opened on {where}: {dialogs}"
    leftovers = page.evaluate(EXECUTABLE)
    assert not leftovers, f"executable markup on {where}: {leftovers}"
    if tab.enforces_csp:
        assert not tab.console_errors, f"console errors on {where}: {tab.console_errors}"


def test_xss_payloads_in_title_body_tags_and_attachments_stay_inert(tabs):
    word = marker()
    title = f"XSS {word} {SCRIPT}{IMG}"
    body = "\n".join(
        [
            f"Einleitung {word}: {SCRIPT}",
            "",
            IMG,
            "",
            "[Klick mich](javascript:window.__xss=1) und "
            '<a href="javascript:window.__xss=1">roh</a>',
            "",
            f"## Abschnitt {TAG_IMG}",
            "",
            "Etwas Text.",
            "",
            f"## Zweiter {TAG_SCRIPT}",
            "",
            "![Bild](javascript:window.__xss=1)",
        ]
    )
    added_line = f"Neue Zeile {TAG_SVG} {word}"
    message = f"Notiz {IMG}"

    # The CSP would block a script that got through; the second tab bypasses it, so that the
    # escaping itself is tested, not only the policy.
    enforcing, bypassing = tabs.open(), tabs.open(bypass_csp=True)
    dialogs = {id(t): watch_dialogs(t) for t in (enforcing, bypassing)}
    for tab in (enforcing, bypassing):
        tab.log_in(COORDINATOR)

    path = create_article(
        enforcing,
        title=title,
        body=body,
        tags=f"{TAG_SCRIPT}, {TAG_IMG}, {word}",
        message=message,
    )
    assert_inert(enforcing, dialogs[id(enforcing)], "the new article")
    # A second version: a new payload line, one payload tag less, one more.
    edit_article(
        enforcing,
        path,
        body=body + "\n\n" + added_line,
        tags=f"{TAG_SCRIPT}, {TAG_SVG}, {word}",
        message=message,
    )
    page = enforcing.page
    open_page(enforcing, path + "anhaenge/")
    for name in ATTACHMENT_NAMES:
        page.locator("main input[type=file]").set_input_files(
            {"name": name, "mimeType": "image/png", "buffer": png_bytes()}
        )
        submit(page, page.locator("main").get_by_role("button", name="Hochladen"))
        expect(messages(page)).to_contain_text("ist angehängt.")
    assert_inert(enforcing, dialogs[id(enforcing)], "the attachments page")
    shown_names = [
        name.strip()
        for name in page.locator("main table tbody tr td:first-child a").all_inner_texts()
    ]
    # Characters that could end an attribute or open a tag are replaced in the name …
    assert any("img src=x onerror=window.__xss=1" in n for n in shown_names), shown_names
    assert all("<" not in n and ">" not in n and '"' not in n for n in shown_names)
    # … a quote is kept and shown as it is.
    assert ATTACHMENT_NAMES[1] in shown_names, shown_names

    for tab in (enforcing, bypassing):
        page = tab.page
        seen = dialogs[id(tab)]
        mode = "with CSP" if tab.enforces_csp else "CSP bypassed"

        open_page(tab, path)
        assert_inert(tab, seen, f"the article ({mode})")
        expect(page.locator("main > h1")).to_have_text(title)
        content = article_text(page)
        expect(content).to_contain_text(SCRIPT)
        expect(content).to_contain_text(IMG)
        expect(content).to_contain_text(TAG_SVG)
        expect(content).to_contain_text("[Klick mich](javascript:window.__xss=1)")
        expect(content.locator("h2").first).to_have_text(f"Abschnitt {TAG_IMG}")
        expect(page.locator("main .wiki-toc")).to_contain_text(f"Zweiter {TAG_SCRIPT}")
        tags = [t.strip() for t in page.locator("main .wiki-meta .tag").all_inner_texts()]
        assert TAG_SCRIPT in tags and TAG_SVG in tags, tags
        gallery = page.locator("main .wiki-gallery img")
        expect(gallery).to_have_count(2)
        alts = {gallery.nth(i).get_attribute("alt") for i in range(2)}
        assert ATTACHMENT_NAMES[1] in alts, alts
        expect(page.locator("main .wiki-files")).to_contain_text(ATTACHMENT_NAMES[1])

        open_page(tab, path + "bearbeiten/")
        assert_inert(tab, seen, f"the edit page ({mode})")
        form = page.locator("main form.wiki-form")
        expect(form.get_by_role("textbox", name="Titel", exact=True)).to_have_value(title)
        written = form.get_by_role("textbox", name="Text", exact=True).input_value()
        assert written.replace("\r\n", "\n") == body + "\n\n" + added_line

        open_page(tab, path + "versionen/")
        assert_inert(tab, seen, f"the history ({mode})")
        expect(page.locator("main .wiki-kicker")).to_have_text(title)
        expect(history_row(page, 2)).to_contain_text(message)

        open_page(tab, path + "vergleich/?von=1&bis=2")
        assert_inert(tab, seen, f"the diff ({mode})")
        expect(page.locator("main table.diff tr.diff-insert")).to_contain_text([added_line])
        changes = page.locator("main .wiki-changes")
        expect(changes.locator("ins.tag")).to_have_text([TAG_SVG])
        expect(changes.locator("del.tag")).to_have_text([TAG_IMG])

        open_page(tab, f"/wissen/suche/?q={word}")
        assert_inert(tab, seen, f"the search results ({mode})")
        hit = page.locator("main .search-results .search-hit").filter(has_text=word)
        expect(hit.get_by_role("link")).to_have_text(title)

        query = f"{word} {TAG_IMG} {TAG_SCRIPT}"
        open_page(tab, "/wissen/suche/?q=" + quote(query))
        assert_inert(tab, seen, f"a search for a payload ({mode})")
        expect(page.get_by_role("searchbox", name="Wonach suchen Sie?")).to_have_value(query)
        assert query in page.title()

    # Results as you type: htmx swaps them into the page (script tags switched off).
    page = bypassing.page
    open_page(bypassing, "/wissen/suche/")
    page.get_by_role("searchbox", name="Wonach suchen Sie?").fill(word)
    hit = page.locator("#search-results .search-hit").filter(has_text=word)
    expect(hit.get_by_role("link")).to_have_text(title, timeout=SEARCH_WAIT_MS)
    assert_inert(bypassing, dialogs[id(bypassing)], "the live search results")


# --- 2. Versions: edit, history, diff, restore ----------------------------------------------


def test_an_old_version_is_restored_as_a_new_version(tab):
    word = marker()
    first = f"Stand eins {word}: Drucker über die Freigabe verbinden."
    second = f"Stand zwei {word}: Drucker über den Druckserver verbinden."
    tab.log_in(COORDINATOR)
    page = tab.page
    path = create_article(
        tab, title=f"Versionstest {word}", body=f"## Drucker\n\n{first}\n\nSchluss."
    )
    edit_article(tab, path, body=f"## Drucker\n\n{second}\n\nSchluss.", message=f"Notiz {word}")
    expect(article_text(page)).to_contain_text(second)
    expect(article_text(page)).not_to_contain_text(first)

    # The history lists both versions, the newest is current.
    page.locator("main nav.wiki-tabs").get_by_role("link", name="Versionen").click()
    page.wait_for_url(f"**{path}versionen/")
    expect(history_row(page, 2)).to_contain_text("aktuell")
    expect(history_row(page, 2)).to_contain_text(f"Notiz {word}")
    expect(history_row(page, 1)).not_to_contain_text("aktuell")

    # The diff of version 2 shows the removed and the inserted words.
    history_row(page, 2).get_by_role("link", name="Änderungen ansehen").click()
    page.wait_for_url(re.compile(re.escape(path) + r"vergleich/\?bis=2$"))
    expect(page.locator("main > h1")).to_have_text("Version 1 und Version 2 im Vergleich")
    diff = page.locator("main table.diff")
    expect(diff.locator("tr.diff-delete")).to_contain_text(["Freigabe"])
    expect(diff.locator("tr.diff-insert")).to_contain_text(["Druckserver"])
    expect(diff.locator("tr.diff-delete del")).to_contain_text(["Freigabe"])
    expect(diff.locator("tr.diff-insert ins")).to_contain_text(["Druckserver"])

    # Restoring version 1 asks first, then adds version 3 with the old text.
    page.locator("main nav.wiki-tabs").get_by_role("link", name="Versionen").click()
    page.wait_for_url(f"**{path}versionen/")
    asked: list[str] = []

    def confirm(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", confirm)
    submit(page, history_row(page, 1).get_by_role("button", name="wiederherstellen"))
    assert asked == ["Version 1 als neue Version wiederherstellen?"]
    assert urlsplit(page.url).path == path + "versionen/"
    expect(messages(page)).to_contain_text("Version 1 ist als neue Version 3 wiederhergestellt.")
    expect(history_row(page, 3)).to_contain_text("aktuell")
    expect(history_row(page, 3)).to_contain_text("Version 1 wiederhergestellt")
    expect(history_row(page, 2)).not_to_contain_text("aktuell")
    # History is never rewritten: version 2 still has its diff.
    open_page(tab, path + "vergleich/?von=2&bis=3")
    expect(page.locator("main table.diff tr.diff-insert")).to_contain_text(["Freigabe"])

    open_page(tab, path)
    expect(article_text(page)).to_contain_text(first)
    expect(article_text(page)).not_to_contain_text(second)


# --- 3. Edit conflicts ----------------------------------------------------------------------


def test_the_second_of_two_simultaneous_edits_gets_a_conflict_and_loses_nothing(tabs):
    word = marker()
    lines = [f"Zeile eins {word}.", "Zeile zwei.", "Zeile drei."]
    first_line = f"Zeile eins {word}, von der ersten Person ergänzt."
    third_line = "Zeile drei, von der zweiten Person ergänzt."
    alice, bob = tabs.open(), tabs.open()
    alice.log_in(COORDINATOR)
    path = create_article(alice, title=f"Konflikttest {word}", body="\n\n".join(lines))
    bob.log_in(COORDINATOR)

    # Both open the editor on version 1.
    for tab in (alice, bob):
        open_page(tab, path + "bearbeiten/")
    alice_form = fill_editor(alice.page, body="\n\n".join([first_line, lines[1], lines[2]]))
    bob_body = "\n\n".join([lines[0], lines[1], third_line])
    bob_form = fill_editor(bob.page, body=bob_body, message=f"Notiz {word}")

    submit(alice.page, alice_form.get_by_role("button", name="Änderung speichern"))
    expect(messages(alice.page)).to_contain_text("Ihre Änderung ist veröffentlicht.")

    page = bob.page
    submit(page, bob_form.get_by_role("button", name="Änderung speichern"))
    assert urlsplit(page.url).path == path + "bearbeiten/", "the conflict was saved anyway"
    expect(page.locator("#error-summary")).to_contain_text(CONFLICT_MESSAGE)
    expect(page.locator("#error-summary")).to_be_focused()
    conflict = page.locator("main [data-conflict]")
    expect(conflict.get_by_role("heading")).to_have_text(
        "Ihr Text im Vergleich zur aktuellen Fassung"
    )
    # The diff shows the other person's line as only in the current version, and Bob's own.
    expect(conflict.locator("table.diff tr.diff-delete")).to_contain_text(["ersten Person"])
    expect(conflict.locator("table.diff tr.diff-insert")).to_contain_text(["zweiten Person"])
    conflict.get_by_text("Aktuelle Fassung vollständig anzeigen").click()
    expect(conflict.locator("pre")).to_contain_text(first_line)
    # Bob's text and note are kept in the form.
    form = page.locator("main form.wiki-form")
    written = form.get_by_role("textbox", name="Text", exact=True).input_value()
    assert written.replace("\r\n", "\n") == bob_body
    expect(form.get_by_role("textbox", name="Was haben Sie geändert?")).to_have_value(
        f"Notiz {word}"
    )

    # Nothing was overwritten meanwhile.
    open_page(alice, path)
    expect(article_text(alice.page)).to_contain_text(first_line)
    expect(article_text(alice.page)).not_to_contain_text("zweiten Person")

    # Bob merges both changes and saves on top of Alice's version.
    merged = "\n\n".join([first_line, lines[1], third_line])
    form.get_by_role("textbox", name="Text", exact=True).fill(merged)
    submit(page, form.get_by_role("button", name="Zusammengeführten Text speichern"))
    assert urlsplit(page.url).path == path
    expect(messages(page)).to_contain_text("Ihre Änderung ist veröffentlicht.")
    expect(article_text(page)).to_contain_text(first_line)
    expect(article_text(page)).to_contain_text(third_line)

    open_page(bob, path + "versionen/")
    expect(history_row(page, 3)).to_contain_text("aktuell")
    expect(history_row(page, 3)).to_contain_text(f"Notiz {word}")
    expect(history_row(page, 2)).to_be_visible()  # Alice's version stays in the history


# --- 4. Review of proposed changes ---------------------------------------------------------


def propose_change(tab: Any, path: str, body: str, message: str) -> None:
    """As someone who is not topic owner: the change waits for review."""
    page = tab.page
    open_page(tab, path + "bearbeiten/")
    expect(page.locator("main")).to_contain_text(
        "Ihre Änderung wird erst sichtbar, wenn die Themen-Zuständigen sie geprüft und "
        "freigegeben haben."
    )
    form = fill_editor(page, body=body, message=message)
    submit(page, form.get_by_role("button", name="Änderung speichern"))
    assert urlsplit(page.url).path == path
    expect(messages(page)).to_contain_text(
        "Ihre Änderung ist gespeichert und wartet auf die Prüfung"
    )
    expect(page.locator("main [data-banner=pending]")).to_contain_text(
        "Ihre Änderung wartet auf die Prüfung durch die Themen-Zuständigen."
    )


def open_review(tab: Any, path: str) -> Any:
    """From the article's banner to the review page; returns the section of the proposal."""
    page = tab.page
    open_page(tab, path)
    banner = page.locator("main [data-banner=pending]")
    expect(banner).to_contain_text("Für diesen Artikel wartet 1 Änderung auf Prüfung.")
    banner.get_by_role("link", name="Änderungen prüfen").click()
    page.wait_for_url(f"**{path}pruefung/")
    section = page.locator("main section.wiki-review")
    expect(section).to_have_count(1)
    expect(section.get_by_role("heading")).to_have_text(
        f"Vorschlag von {IT_SPECIALIST_NAME} (Version 2)"
    )
    return section


def test_the_topic_owner_accepts_a_proposed_change(tabs):
    word = marker()
    old = f"Bisher {word}: Meldebescheinigung über das Menü Auskunft drucken."
    new = f"Neu {word}: Meldebescheinigung über die Schaltfläche Bescheinigung drucken."
    owner, author = tabs.open(), tabs.open()
    owner.log_in(COORDINATOR)
    path = create_article(owner, title=f"Prüfungstest {word}", body=old)
    author.log_in(IT_SPECIALIST)
    propose_change(author, path, new, f"Vorschlag {word}")

    # Until it is accepted, the article shows the published text.
    expect(article_text(author.page)).to_contain_text(old)
    expect(article_text(author.page)).not_to_contain_text(new)

    section = open_review(owner, path)
    expect(section).to_contain_text(f"Vorschlag {word}")
    expect(section.locator("table.diff tr.diff-delete")).to_contain_text(["Auskunft"])
    expect(section.locator("table.diff tr.diff-insert")).to_contain_text(["Schaltfläche"])
    page = owner.page
    submit(page, section.get_by_role("button", name="Freigeben und veröffentlichen"))
    assert urlsplit(page.url).path == path
    expect(messages(page)).to_contain_text("Die Änderung ist freigegeben und veröffentlicht.")
    expect(page.locator("main [data-banner=pending]")).to_have_count(0)
    expect(article_text(page)).to_contain_text(new)
    expect(article_text(page)).not_to_contain_text(old)

    open_page(author, path)
    expect(article_text(author.page)).to_contain_text(new)
    open_page(author, path + "versionen/")
    expect(history_row(author.page, 2)).to_contain_text("aktuell")
    expect(history_row(author.page, 2)).to_contain_text(IT_SPECIALIST_NAME)


def test_the_topic_owner_sends_a_proposed_change_back_with_a_comment(tabs):
    word = marker()
    old = f"Bisher {word}: Rechnungen im Finanzwesen einzeln freigeben."
    new = f"Neu {word}: Rechnungen im Finanzwesen gesammelt freigeben."
    comment = f"Bitte die Quelle nennen ({word})."
    owner, author = tabs.open(), tabs.open()
    owner.log_in(COORDINATOR)
    path = create_article(owner, title=f"Rückgabetest {word}", body=old)
    author.log_in(IT_SPECIALIST)
    propose_change(author, path, new, f"Vorschlag {word}")

    section = open_review(owner, path)
    page = owner.page
    # Sending back needs a comment: the form says so, and the change stays pending.
    submit(page, section.get_by_role("button", name="Mit Kommentar zurückgeben"))
    assert urlsplit(page.url).path == path + "pruefung/"
    section = page.locator("main section.wiki-review")
    expect(section).to_have_count(1)
    expect(section.locator("#error-summary")).to_contain_text(
        "Bitte schreiben Sie kurz, was an der Änderung noch fehlt."
    )
    section.get_by_role("textbox", name="Kommentar").fill(comment)
    submit(page, section.get_by_role("button", name="Mit Kommentar zurückgeben"))
    assert urlsplit(page.url).path == path
    expect(messages(page)).to_contain_text(
        f"Die Änderung ist mit Ihrem Kommentar an {IT_SPECIALIST_NAME} zurückgegeben."
    )
    expect(article_text(page)).to_contain_text(old)
    expect(article_text(page)).not_to_contain_text(new)

    # The author sees the comment on the article and can look at the returned change.
    open_page(author, path)
    page = author.page
    returned = page.locator("main [data-banner=returned]")
    expect(returned).to_contain_text("Ihre Änderung (Version 2) wurde von")
    expect(returned.locator("blockquote")).to_have_text(comment)
    expect(page.locator("main [data-banner=pending]")).to_have_count(0)
    expect(article_text(page)).to_contain_text(old)
    returned.get_by_role("link", name="Ihre Änderung ansehen").click()
    page.wait_for_url(re.compile(re.escape(path) + r"vergleich/\?bis=2$"))
    expect(page.locator("main table.diff tr.diff-insert")).to_contain_text(["gesammelt"])


# --- 5. Accessibility -----------------------------------------------------------------------

RICH_BODY = """Kurze Einleitung zum Thema {word}.

## Vorbereitung

- Zugang zum Fachverfahren
- **Berechtigung** für den Postkorb
- Siehe auch [[phishing-melden|Phishing melden]] und [[gibt-es-nicht-{word}]].

## Schritte

1. Fachverfahren über `RemoteApp` starten.
2. Den Postkorb öffnen.

| Feld | Inhalt |
| --- | --- |
| Kennung | {word} |

> Hinweis: Bei Fragen die [Koordination](https://example.org/) fragen.

```
Fehler 0x80004005
```
"""


def check_page(tab: Any, axe: str, name: str) -> list[str]:
    page = tab.page
    reports = []
    violations = run_axe(page, axe)
    if violations:
        reports.append(describe(name, violations))
    duplicates = page.evaluate(DUPLICATE_IDS)
    if duplicates:
        reports.append(f"{name}: duplicate ids: {duplicates}")
    return reports + reflow_problems(page, name)


def test_the_knowledge_base_screens_meet_wcag_21_aa(tabs, axe):
    word = marker()
    enforcing, bypassing = tabs.open(), tabs.open(bypass_csp=True)
    for tab in (enforcing, bypassing):
        tab.log_in(COORDINATOR)
    body = RICH_BODY.format(word=word)
    path = create_article(
        enforcing, title=f"Barrierefreiheit {word}", body=body, tags=f"postkorb, {word}"
    )
    edit_article(
        enforcing,
        path,
        body=body.replace("Den Postkorb öffnen.", "Den Postkorb öffnen und filtern."),
        tags=f"postkorb, fachverfahren, {word}",
        message="Schritt ergänzt",
    )
    page = enforcing.page
    open_page(enforcing, path + "anhaenge/")
    page.locator("main input[type=file]").set_input_files(
        {"name": f"bildschirm-{word}.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    submit(page, page.locator("main").get_by_role("button", name="Hochladen"))
    expect(messages(page)).to_contain_text("ist angehängt.")

    screens = {
        "article": path,
        "edit page": path + "bearbeiten/",
        "history": path + "versionen/",
        "diff": path + "vergleich/?von=1&bis=2",
        "search results": f"/wissen/suche/?q={word}",
    }
    reports: list[str] = []
    for name, screen in screens.items():
        for tab in (enforcing, bypassing):
            open_page(tab, screen)
        label = f"{name} {screen}"
        if name == "diff":
            expect(bypassing.page.locator("main table.diff tr.diff-insert")).to_contain_text(
                ["filtern"]
            )
        if name == "search results":
            hit = bypassing.page.locator("main .search-results .search-hit")
            expect(hit.filter(has_text=word)).not_to_have_count(0)
        reports += check_page(bypassing, axe, label)
    assert not reports, "accessibility problems in the knowledge base:\n" + "\n".join(reports)


def test_the_conflict_and_review_screens_meet_wcag_21_aa(tabs, axe):
    word = marker()
    owner, author = tabs.open(), tabs.open(bypass_csp=True)
    owner.log_in(COORDINATOR)
    path = create_article(owner, title=f"Prüfbarkeit {word}", body=f"Erste Zeile {word}.")
    author.log_in(IT_SPECIALIST)
    propose_change(author, path, f"Erste Zeile {word}, ergänzt.", "Ergänzung")

    reviewer = tabs.open(bypass_csp=True)
    reviewer.log_in(COORDINATOR)
    reports: list[str] = []
    open_page(reviewer, path + "pruefung/")
    expect(reviewer.page.locator("main section.wiki-review")).to_have_count(1)
    reports += check_page(reviewer, axe, f"review {path}pruefung/")

    # The conflict screen: the owner saves while the reviewer's editor is open.
    open_page(reviewer, path + "bearbeiten/")
    form = fill_editor(reviewer.page, body=f"Erste Zeile {word}, anders.")
    edit_article(owner, path, body=f"Erste Zeile {word}, zuerst gespeichert.")
    submit(reviewer.page, form.get_by_role("button", name="Änderung speichern"))
    expect(reviewer.page.locator("main [data-conflict]")).to_be_visible()
    reports += check_page(reviewer, axe, f"edit conflict {path}bearbeiten/")
    assert not reports, "accessibility problems in the knowledge base:\n" + "\n".join(reports)
