"""Hilfe finden and the request pages in the browser: self-help, filing, closing, rating, axe.

Every test files its own requests with a made-up word in the title (see ``test_wiki.marker``)
and looks only at those: the demo server is shared by all browser tests of the session.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from amtshilfe.browser_tests.test_wiki import check_page, expect, marker, messages, submit

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

REQUESTER = "verwaltung.meissen"
COORDINATOR = "koordination"
SEARCH_WAIT_MS = 30_000  # live search: 300 ms debounce plus the search on a busy machine
FILING_WAIT_MS = 120_000
PROBLEM = "Der Drucker im Bürgerbüro druckt nicht {word}"
DETAILS = "Seit heute früh bleiben alle Aufträge in der Warteschlange hängen."


def describe_problem(tab: Any, word: str) -> None:
    """Type the problem on /hilfe/ and wait until the live results have arrived."""
    page = tab.page
    tab.goto("/hilfe/")
    page.get_by_label("Was ist passiert?").press_sequentially(PROBLEM.format(word=word), delay=5)
    page.get_by_label("Was ist passiert?").press("Enter")
    page.get_by_label("Was ist passiert?").press_sequentially(DETAILS, delay=2)
    expect(page.locator("#help-results .help-hit").first).to_be_visible(timeout=SEARCH_WAIT_MS)
    expect(page.locator("#help-results .help-count")).to_contain_text("passende Anleitung")


def file_through_help(tab: Any, word: str) -> str:
    """File a request from /hilfe/ as a person would; returns the request's path."""
    page = tab.page
    describe_problem(tab, word)
    page.get_by_role("link", name="Anfrage stellen").click()
    form = page.locator("#request-form")
    expect(form).to_be_visible()
    expect(form.get_by_label("Betreff")).to_have_value(PROBLEM.format(word=word))
    expect(form.get_by_label("Beschreibung")).to_have_value(
        PROBLEM.format(word=word) + "\n" + DETAILS
    )
    # The first request after the server started trains the triage model (about 12 s on
    # the demo data, longer on a busy machine): wait longer than for other pages.
    with page.expect_navigation(timeout=FILING_WAIT_MS):
        form.get_by_role("button", name="Anfrage absenden").click(timeout=FILING_WAIT_MS)
    path = urlsplit(page.url).path
    assert re.fullmatch(r"/anfragen/\d+/", path), f"not a request page: {page.url}"
    expect(messages(page)).to_contain_text(re.compile(r"Ihre Anfrage #\d+ ist eingegangen\."))
    expect(page.locator("main h1")).to_contain_text(PROBLEM.format(word=word))
    return path


def test_filing_a_request_through_self_help_keeps_what_was_typed(tab):
    word = marker()
    tab.log_in(REQUESTER)
    path = file_through_help(tab, word)
    page = tab.page
    expect(page.locator("main .request-description")).to_contain_text(DETAILS)
    expect(page.locator("main .request-history")).to_contain_text(
        "Sabine Lorenz hat die Anfrage gestellt"
    )
    tab.goto(f"/anfragen/?q={word}")
    expect(page.locator("main table.request-table tbody tr")).to_have_count(1)
    expect(page.locator("main table.request-table a")).to_have_attribute("href", path)


def test_das_hat_geholfen_records_success_and_files_nothing(tab):
    word = marker()
    tab.log_in(REQUESTER)
    describe_problem(tab, word)
    page = tab.page
    first = page.locator("#help-results .help-hit").first
    submit(page, first.get_by_role("button", name=re.compile("^Das hat geholfen")))
    expect(page.locator("main h1")).to_have_text("Schön, dass es geklappt hat")
    expect(messages(page)).to_contain_text("Schön, dass es geklappt hat!")
    tab.goto(f"/anfragen/?q={word}&status=all")
    expect(page.locator("main table.request-table")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Keine Anfrage passt zu diesen Filtern.")


def test_the_requester_rates_a_closed_request_in_one_click(tabs):
    word = marker()
    requester, coordinator = tabs.open(), tabs.open()
    requester.log_in(REQUESTER)
    path = file_through_help(requester, word)

    coordinator.log_in(COORDINATOR)
    coordinator.goto(path)
    page = coordinator.page
    page.get_by_label("Abschließender Kommentar (freiwillig)").fill(
        f"Treiber neu installiert {word}."
    )
    submit(page, page.get_by_role("button", name="Als erledigt markieren"))
    expect(messages(page)).to_contain_text("Die Anfrage ist erledigt.")
    expect(page.locator("main .request-status")).to_contain_text("Erledigt")

    requester.goto(path)
    page = requester.page
    expect(page.locator("main .request-comments")).to_contain_text(
        f"Treiber neu installiert {word}."
    )
    rating = page.locator("#bewertung")
    rating.get_by_label("Möchten Sie noch etwas sagen? (freiwillig)").fill("Sehr schnell, danke!")
    submit(page, rating.get_by_role("button", name="4 von 5 Sternen"))
    expect(messages(page)).to_contain_text("Danke für Ihre Bewertung!")
    expect(page.locator("#bewertung")).to_contain_text("4 von 5 Sternen")
    expect(page.locator("#bewertung")).to_contain_text("Sehr schnell, danke!")
    expect(page.locator("#bewertung button")).to_have_count(0)
    expect(page.locator("main .request-status")).to_contain_text("Abgeschlossen")


def test_the_help_and_request_pages_meet_wcag_21_aa(tabs, axe):
    word = marker()
    requester = tabs.open()
    requester.log_in(REQUESTER)
    path = file_through_help(requester, word)

    reports: list[str] = []
    checker = tabs.open(bypass_csp=True)
    checker.log_in(REQUESTER)
    describe_problem(checker, word)
    reports += check_page(checker, axe, "help page with live results")
    checker.page.get_by_role("link", name="Anfrage stellen").click()
    expect(checker.page.locator("#request-form")).to_be_visible()
    reports += check_page(checker, axe, "help page with the request form")
    # The same page without JavaScript's help: the form with errors after a search.
    checker.goto(f"/hilfe/?q={word}&anfrage=1")
    checker.page.locator("#request-form").get_by_label("Betreff").fill("")
    submit(checker.page, checker.page.get_by_role("button", name="Anfrage absenden"))
    expect(checker.page.locator("#error-summary")).to_be_visible()
    reports += check_page(checker, axe, "help page with errors")
    for name, screen in (("request list", "/anfragen/"), ("request as requester", path)):
        checker.goto(screen)
        reports += check_page(checker, axe, f"{name} {screen}")

    it_side = tabs.open(bypass_csp=True)
    it_side.log_in(COORDINATOR)
    for name, screen in (("request list as IT", "/anfragen/?status=all"), ("request as IT", path)):
        it_side.goto(screen)
        reports += check_page(it_side, axe, f"{name} {screen}")
    expect(it_side.page.locator("#bearbeitung")).to_be_visible()
    assert not reports, "accessibility problems on the request pages:\n" + "\n".join(reports)
