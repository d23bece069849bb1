"""Onboarding in the browser: start a plan, the newcomer ticks items off; axe on every screen.

The demo server is shared by all browser tests of the session, so this test starts its own
plan: the coordination starts an onboarding of ``it.riesa`` (Stefan Krause) in the cluster
"telefonie-video", which he does not belong to yet (``demo_data/people.yaml``).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from amtshilfe.browser_tests.axe import describe, run_axe
from amtshilfe.browser_tests.test_accessibility import DUPLICATE_IDS, reflow_problems

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

COORDINATOR = "koordination"
NEWCOMER = "it.riesa"
NEWCOMER_NAME = "Stefan Krause"
CLUSTER = "telefonie-video"


def expect(target: Any, message: str | None = None) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target, message)


def open_page(tab: Any, path: str) -> None:
    response = tab.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"


def submit(page: Any, button: Any) -> None:
    with page.expect_navigation():
        button.click()


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


def start_plan(tab: Any) -> str:
    """Start the onboarding through the form; returns the plan's path."""
    page = tab.page
    open_page(tab, f"/einarbeitung/cluster/{CLUSTER}/starten/")
    form = page.locator("main form")
    form.get_by_label("Neue Person").select_option(label=NEWCOMER_NAME)
    mentor = form.get_by_label("Mentor/in aus dem Cluster")
    mentor.select_option(index=1)
    submit(page, form.get_by_role("button", name="Einarbeitung starten"))
    expect(page.locator("main .messages")).to_contain_text("Die Einarbeitung hat begonnen")
    path = urlsplit(page.url).path
    assert re.fullmatch(r"/einarbeitung/plan/\d+/", path), page.url
    return path


def test_the_newcomer_ticks_items_and_the_screens_meet_wcag_21_aa(tabs, axe):
    coordination = tabs.open()
    coordination.log_in(COORDINATOR)
    plan_path = start_plan(coordination)

    newcomer = tabs.open()
    newcomer.log_in(NEWCOMER)
    page = newcomer.page
    open_page(newcomer, "/einarbeitung/willkommen/")
    card = page.locator("main article.onboarding-plan-card", has_text="Telefonie")
    expect(card.locator("progress")).to_have_attribute("value", "0")
    first = card.locator(".onboarding-next li").first
    title = first.locator("span").first.inner_text()
    submit(page, first.get_by_role("button", name=re.compile("^Erledigt")))
    expect(page.locator("main .messages")).to_contain_text(f"„{title}“ ist erledigt.")
    expect(card.locator("progress")).to_have_attribute("value", "1")

    # On the plan page, with a note: htmx swaps the checklist in place (no reload), the
    # progress text in the live region follows and the focus stays on the ticked item.
    open_page(newcomer, plan_path)
    item = page.locator("main .onboarding-item:not(.is-done)").first
    item_id = item.get_attribute("id")
    item.get_by_label("Notiz (optional)").fill("Mit dem Mentor besprochen")
    page.evaluate("window.__not_reloaded = true")
    item.get_by_role("button", name=re.compile("^Erledigt")).click()
    expect(page.locator("#plan-progress")).to_contain_text("2 von")
    expect(page.locator(f"#{item_id}")).to_have_class(re.compile("is-done"))
    expect(page.locator(f"#{item_id}")).to_contain_text("Mit dem Mentor besprochen")
    expect(page.locator(f"#{item_id} h3")).to_be_focused()
    expect(page.locator("#plan-status")).to_contain_text("ist erledigt")
    assert page.evaluate("window.__not_reloaded === true"), "the page was reloaded"

    checks = [tabs.open(bypass_csp=True), tabs.open(bypass_csp=True)]
    checks[0].log_in(COORDINATOR)
    checks[1].log_in(NEWCOMER)
    screens = [
        (checks[1], "welcome page", "/einarbeitung/willkommen/"),
        (checks[1], "plan page (newcomer)", plan_path),
        (checks[0], "plan page (coordination)", plan_path),
        (checks[0], "template editor", f"/einarbeitung/cluster/{CLUSTER}/vorlage/"),
        (checks[0], "start form", f"/einarbeitung/cluster/{CLUSTER}/starten/"),
        (checks[0], "overview", "/einarbeitung/"),
        (checks[1], "mentees", "/einarbeitung/meine-mentees/"),
    ]
    reports: list[str] = []
    for tab, name, path in screens:
        open_page(tab, path)
        reports += check_page(tab, axe, f"{name} {path}")
    # The template editor with a form error.
    editor = checks[0].page
    open_page(checks[0], f"/einarbeitung/cluster/{CLUSTER}/vorlage/")
    add = editor.locator("main form", has=editor.get_by_role("button", name="Punkt hinzufügen"))
    add.locator("#item_kind").select_option("person")
    add.locator("#item_title").fill("Jemanden treffen")
    with editor.expect_navigation():
        add.get_by_role("button", name="Punkt hinzufügen").click()
    expect(editor.locator("main")).to_contain_text("Bitte wählen Sie eine Person.")
    reports += check_page(checks[0], axe, "template editor with errors")
    assert not reports, "accessibility problems in onboarding:\n" + "\n".join(reports)
