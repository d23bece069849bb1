"""News, events and the directory in the browser: register for an event; axe on every screen.

Every test creates its own event with a made-up word in the title and looks only at that:
the demo server is shared by all browser tests of the session. Demo people: "koordination"
(coordination), "verwaltung.meissen" and "verwaltung.coswig" (administration staff).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any
from urllib.parse import urlsplit

import pytest

from amtshilfe.browser_tests.axe import describe, run_axe
from amtshilfe.browser_tests.test_accessibility import DUPLICATE_IDS, reflow_problems

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

COORDINATOR = "koordination"
FIRST, SECOND = "verwaltung.meissen", "verwaltung.coswig"
XSS = '<script>alert("termin")</script><img src=x onerror=alert(1)>'


def expect(target: Any, message: str | None = None) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target, message)


def marker() -> str:
    return "kom" + uuid.uuid4().hex[:10].translate(str.maketrans("0123456789", "ghijklmnop"))


def submit(page: Any, button: Any) -> None:
    with page.expect_navigation():
        button.click()


def open_page(tab: Any, path: str) -> None:
    response = tab.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"


def messages(page: Any) -> Any:
    return page.locator("main .messages")


def create_event(tab: Any, *, title: str, capacity: int | None = None) -> str:
    """Create an internal event for the whole network as the coordination; returns its path."""
    page = tab.page
    open_page(tab, "/termine/neu/")
    form = page.locator("main form.communication-form")
    day = dt.date.today() + dt.timedelta(days=9)
    form.get_by_role("textbox", name="Titel").fill(title)
    form.get_by_role("textbox", name="Beschreibung").fill(f"Mit **Praxisteil** {XSS}")
    form.get_by_label("Beginn").fill(f"{day.isoformat()}T09:30")
    form.get_by_label("Ende").fill(f"{day.isoformat()}T12:00")
    form.get_by_role("textbox", name="Ort").fill(f"Rathaus Riesa {XSS}")
    if capacity is not None:
        form.get_by_label("Plätze").fill(str(capacity))
    submit(page, form.get_by_role("button", name="Speichern"))
    expect(messages(page)).to_contain_text("Der Termin ist angelegt.")
    path = urlsplit(page.url).path
    assert re.fullmatch(r"/termine/\d+/", path), page.url
    return path


def registration(page: Any) -> Any:
    return page.locator("#registration")


def test_members_register_wait_and_move_up(tabs):
    word = marker()
    coordination = tabs.open()
    coordination.log_in(COORDINATOR)
    path = create_event(coordination, title=f"Treffen {word}", capacity=1)
    page = coordination.page
    expect(page.locator("main h1")).to_have_text(f"Treffen {word}")
    expect(page.locator("main .rich-text strong")).to_have_text("Praxisteil")
    expect(page.locator("main .rich-text")).to_contain_text("<script>")
    assert page.locator("main script").count() == 0

    first = tabs.open()
    first.log_in(FIRST)
    open_page(first, path)
    submit(first.page, registration(first.page).get_by_role("button", name="Anmelden"))
    expect(registration(first.page)).to_contain_text("Sie sind angemeldet.")

    second = tabs.open()
    second.log_in(SECOND)
    open_page(second, path)
    expect(registration(second.page)).to_contain_text("Noch 0 Plätze frei von 1.")
    submit(
        second.page,
        registration(second.page).get_by_role("button", name="Auf die Warteliste setzen"),
    )
    expect(registration(second.page)).to_contain_text("Sie stehen auf der Warteliste.")

    submit(first.page, registration(first.page).get_by_role("button", name="Abmelden"))
    expect(messages(first.page)).to_contain_text("Sie sind abgemeldet.")
    open_page(second, path)
    expect(registration(second.page)).to_contain_text("Sie sind angemeldet.")

    open_page(coordination, path)
    participants = page.locator("main .event-participants")
    expect(participants).to_contain_text("Michael Schubert")
    expect(participants).not_to_contain_text("Sabine Lorenz")
    # The confirmation reached the in-app notifications.
    open_page(second, "/benachrichtigungen/")
    expect(second.page.locator("main")).to_contain_text(f"Platz frei: Treffen {word}")


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


def first_link(tab: Any, selector: str) -> str:
    href = tab.page.locator(selector).first.get_attribute("href")
    assert href, f"no link {selector} on {tab.page.url}"
    return str(href)


def test_the_communication_screens_meet_wcag_21_aa(tabs, axe):
    word = marker()
    enforcing = tabs.open()
    enforcing.log_in(COORDINATOR)
    event_path = create_event(enforcing, title=f"Schulung {word}", capacity=5)

    visitor = tabs.open(bypass_csp=True)
    open_page(visitor, "/aktuelles/")
    public_news = first_link(visitor, "main .news-list .news-item-title a")
    open_page(visitor, "/termine/")
    public_event = first_link(visitor, "main .event-list .event-title a")
    member = tabs.open(bypass_csp=True)
    member.log_in(FIRST)
    open_page(member, "/aktuelles/")
    member_news = first_link(member, "main .news-list .news-item-title a")
    coordination = tabs.open(bypass_csp=True)
    coordination.log_in(COORDINATOR)
    screens = [
        (visitor, "news (anonymous)", "/aktuelles/"),
        (visitor, "news item (anonymous)", public_news),
        (visitor, "events (anonymous)", "/termine/"),
        (visitor, "event (anonymous)", public_event),
        (member, "news (member)", "/aktuelles/"),
        (member, "news item (member)", member_news),
        (member, "news history", member_news + "versionen/"),
        (member, "events (member)", "/termine/"),
        (member, "event (member)", event_path),
        (member, "public event (member)", public_event),
        (member, "directory", "/verzeichnis/"),
        (member, "own directory entry", "/verzeichnis/mein-eintrag/"),
        (coordination, "news form", "/aktuelles/neu/"),
        (coordination, "event form", "/termine/neu/"),
        (coordination, "event with participants", event_path),
        (coordination, "event edit form", event_path + "bearbeiten/"),
    ]
    reports: list[str] = []
    for tab, name, path in screens:
        open_page(tab, path)
        reports += check_page(tab, axe, f"{name} {path}")
    page = coordination.page
    open_page(coordination, "/aktuelles/neu/")
    with page.expect_navigation():
        page.locator("main form.communication-form").get_by_role("button", name="Speichern").click()
    expect(page.locator("#error-summary")).to_be_visible()
    reports += check_page(coordination, axe, "news form with errors")
    assert not reports, "accessibility problems in communication:\n" + "\n".join(reports)


def test_public_pages_load_nothing_from_another_host(tabs):
    visitor = tabs.open()
    host = urlsplit(visitor.demo.base_url).netloc
    requested: list[str] = []
    visitor.page.on("request", lambda request: requested.append(request.url))
    open_page(visitor, "/aktuelles/")
    news_path = first_link(visitor, "main .news-list .news-item-title a")
    open_page(visitor, news_path)
    open_page(visitor, "/termine/")
    event_path = first_link(visitor, "main .event-list .event-title a")
    open_page(visitor, event_path)
    foreign = [url for url in requested if urlsplit(url).netloc != host]
    assert requested and not foreign, foreign
    # Internal items are not offered to anonymous visitors.
    expect(visitor.page.locator("main")).not_to_contain_text("intern:")
    open_page(visitor, "/verzeichnis/")  # redirected to the login
    assert urlsplit(visitor.page.url).path == "/konto/anmelden/"
