"""Booking time in the browser: the stopwatch on a request page, "Meine Zeiten", axe.

The demo's IT specialist ``it.riesa`` belongs to the cluster "Arbeitsplatz & Drucker", so
he works on its demo requests. The stopwatch is one per person; the test discards a timer
left running (the demo server is shared by the browser tests of the session).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from amtshilfe.browser_tests.axe import describe, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

IT_SPECIALIST = "it.riesa"


def expect(target: Any, message: str | None = None) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target, message)


def request_with_time_panel(tab: Any) -> str:
    """The path of a demo request the IT specialist works on (the page has the time panel)."""
    page = tab.page
    tab.goto("/anfragen/?status=open")
    paths = page.locator("main a[href^='/anfragen/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    for path in dict.fromkeys(p for p in paths if re.fullmatch(r"/anfragen/\d+/", p)):
        tab.goto(path)
        if page.locator("#zeit").count():
            return str(path)
    raise AssertionError("no request with a time panel for " + IT_SPECIALIST)


def discard_running_timer(tab: Any) -> None:
    tab.goto("/zeit/")
    discard = tab.page.get_by_role("button", name="Verwerfen")
    if discard.count():
        discard.click()
        expect(tab.page.locator("[data-time-live]")).to_contain_text("verworfen")


def test_the_stopwatch_books_time_on_a_request(tab):
    page = tab.page
    tab.log_in(IT_SPECIALIST)
    discard_running_timer(tab)
    path = request_with_time_panel(tab)
    panel = page.locator("#zeit")
    panel.get_by_role("button", name="Stoppuhr starten").click()
    live = panel.locator("[data-time-live]")
    expect(live).to_have_text("Stoppuhr gestartet.")
    stop = panel.get_by_role("button", name="Anhalten und buchen")
    expect(stop).to_be_focused()
    expect(panel.locator(".time-elapsed")).to_have_text(re.compile(r"0:00:0[2-9]"), timeout=10_000)
    stop.click()
    expect(live).to_have_text("Stoppuhr angehalten: 0:01 h gebucht.")
    expect(panel.get_by_role("button", name="Stoppuhr starten")).to_be_focused()
    today = page.evaluate(
        "() => new Date().toLocaleDateString('de-DE', {day: '2-digit', month: '2-digit', year: 'numeric'})"
    )
    expect(panel.locator(".time-own-entries li").first).to_contain_text(f"{today}: 0:01 h")
    # The entry is on "Meine Zeiten" too, and survives a reload of the request page.
    tab.goto(path)
    expect(page.locator("#zeit .time-own-entries li").first).to_contain_text(f"{today}: 0:01 h")
    tab.goto("/zeit/")
    expect(page.locator("main table.time-entries")).to_contain_text(today)


def test_the_time_pages_meet_wcag_21_aa(tabs, axe):
    tab = tabs.open(bypass_csp=True)
    tab.log_in(IT_SPECIALIST)
    discard_running_timer(tab)
    path = request_with_time_panel(tab)
    page = tab.page
    for name, url in (("Meine Zeiten", "/zeit/"), ("Anfrage mit Zeit", path)):
        tab.goto(url)
        violations = run_axe(page, axe)
        assert not violations, describe(name, violations)
    # With a running stopwatch and the booking form open.
    page.locator("#zeit").get_by_role("button", name="Stoppuhr starten").click()
    expect(page.locator("#zeit [data-time-live]")).to_have_text("Stoppuhr gestartet.")
    page.locator("#zeit summary").click()
    violations = run_axe(page, axe)
    assert not violations, describe("Anfrage mit laufender Stoppuhr", violations)
    tab.goto("/zeit/")
    violations = run_axe(page, axe)
    assert not violations, describe("Meine Zeiten mit laufender Stoppuhr", violations)
    page.get_by_role("button", name="Verwerfen").click()
    expect(page.locator("[data-time-live]")).to_contain_text("verworfen")
