"""The public website in the browser: axe on every public page and the coordination's screens,
a join request from the form to the decision, printing, and pages without JavaScript.

The demo server is shared by all browser tests of the session: this test files its own join
request with a made-up municipality name and looks only at that one.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from amtshilfe.browser_tests.axe import describe, run_axe
from amtshilfe.browser_tests.test_accessibility import DUPLICATE_IDS, reflow_problems
from amtshilfe.website.spam import MIN_FILL_SECONDS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

COORDINATOR = "koordination"
PUBLIC_PAGES = [
    ("home", "/"),
    ("members", "/mitglieder/"),
    ("member", "/mitglieder/riesa/"),
    ("topics", "/themen/"),
    ("knowledge base", "/oeffentlich/wissen/"),
    ("search results", "/oeffentlich/wissen/?q=Drucker"),
    ("indicators", "/kennzahlen/"),
    ("join form", "/mitmachen/"),
    ("imprint", "/impressum/"),
    ("privacy", "/datenschutz/"),
    ("accessibility statement", "/barrierefreiheit/"),
]


def expect(target: Any, message: str | None = None) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target, message)


def open_page(tab: Any, path: str) -> None:
    response = tab.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"


def check_page(tab: Any, axe: str, name: str) -> list[str]:
    page = tab.page
    reports = []
    violations = run_axe(page, axe)
    if violations:
        reports.append(describe(name, violations))
    duplicates = page.evaluate(DUPLICATE_IDS)
    if duplicates:
        reports.append(f"{name}: duplicate ids: {duplicates}")
    if page.locator("h1").count() != 1:
        reports.append(f"{name}: {page.locator('h1').count()} h1 elements")
    return reports + reflow_problems(page, name)


def first_article_path(tab: Any) -> str:
    open_page(tab, "/oeffentlich/wissen/")
    href = tab.page.locator("main .article-list a").first.get_attribute("href")
    assert href and href.startswith("/oeffentlich/wissen/"), href
    return href


def test_the_public_pages_meet_wcag_21_aa(tabs, axe):
    enforcing = tabs.open()  # every page under the strict CSP: no violation in the console
    visitor = tabs.open(bypass_csp=True)  # axe is injected as an inline script
    reports: list[str] = []
    for name, path in [*PUBLIC_PAGES, ("article", first_article_path(enforcing))]:
        open_page(enforcing, path)
        open_page(visitor, path)
        reports += check_page(visitor, axe, f"{name} {path}")
    # The join form with errors: summary and messages at the fields.
    open_page(visitor, "/mitmachen/")
    page = visitor.page
    with page.expect_navigation():
        page.locator("main form.join-form").get_by_role(
            "button", name="Beitrittsanfrage senden"
        ).click()
    expect(page.locator("#error-summary")).to_be_visible()
    reports += check_page(visitor, axe, "join form with errors")
    assert not reports, "accessibility problems on the website:\n" + "\n".join(reports)


def test_a_join_request_goes_from_the_form_to_the_decision(tabs, axe):
    name = "Testdorf " + uuid.uuid4().hex[:8]
    visitor = tabs.open()
    open_page(visitor, "/mitmachen/")
    page = visitor.page
    form = page.locator("main form.join-form")
    form.get_by_label("Name der Kommune").fill(name)
    form.get_by_label("Einwohnerzahl").fill("1234")
    form.get_by_label("Ansprechperson").fill("Tina Test")
    form.get_by_label("E-Mail-Adresse").fill("it@testdorf.example")
    form.get_by_role("checkbox", name="Arbeitsplatz & Drucker").check()
    form.get_by_label("Ich willige ein", exact=False).check()
    page.wait_for_timeout((MIN_FILL_SECONDS + 0.5) * 1000)  # a person takes a moment
    with page.expect_navigation():
        form.get_by_role("button", name="Beitrittsanfrage senden").click()
    expect(page.locator("main h1")).to_have_text("Vielen Dank für Ihre Anfrage")

    coordination = tabs.open(bypass_csp=True)
    coordination.log_in(COORDINATOR)
    reports: list[str] = []
    for screen, path in [
        ("manage", "/website/"),
        ("join requests", "/website/beitritte/"),
        ("contacts", "/website/kontakte/"),
        ("page editor", "/website/seiten/barrierefreiheit/"),
        ("page history", "/website/seiten/impressum/versionen/"),
    ]:
        open_page(coordination, path)
        reports += check_page(coordination, axe, f"{screen} {path}")
    open_page(coordination, "/website/beitritte/?status=pending")
    coordination.page.locator("main").get_by_role("link", name=name).click()
    coordination.page.wait_for_load_state()
    reports += check_page(coordination, axe, "join request detail")
    detail = coordination.page.locator("main")
    expect(detail).to_contain_text("Arbeitsplatz & Drucker")
    detail.get_by_label("Nachricht an die Kommune").fill("Leider nur Kommunen im Landkreis.")
    with coordination.page.expect_navigation():
        detail.get_by_role("button", name="Ablehnen").click()
    expect(coordination.page.locator("main .messages")).to_contain_text("abgelehnt")
    expect(detail).to_contain_text("Leider nur Kommunen im Landkreis.")
    assert not reports, "accessibility problems on the website screens:\n" + "\n".join(reports)


def test_the_public_pages_print_without_navigation(tabs):
    visitor = tabs.open()
    open_page(visitor, "/kennzahlen/")
    page = visitor.page
    expect(page.locator(".site-sections")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-sections")).to_be_hidden()
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main table").first).to_be_visible()


def test_the_public_pages_work_without_javascript(browser, demo):
    context = browser.new_context(base_url=demo.base_url, locale="de-DE", java_script_enabled=False)
    try:
        page = context.new_page()
        assert page.goto("/").status == 200
        page.locator("main").get_by_role("link", name="Wissen", exact=True).first.click()
        page.wait_for_load_state()
        page.get_by_label("Suchbegriff").fill("Drucker")
        with page.expect_navigation():
            page.locator("main form[role=search]").get_by_role("button", name="Suchen").click()
        expect(page.locator("main h2").first).to_contain_text("Drucker")
    finally:
        context.close()
