"""The Kanban board in the browser: drag and drop, moving by keyboard, persistence, axe.

Every test files its own request through the form of "Hilfe finden" (as the administration
of Meißen) with a made-up word in the title and then works only with that card, as the
coordination: the demo server is shared by all browser tests of the
session. The board is opened filtered to Meißen and with all cards (``alle=1``), so that the
new card is on the page however full the demo's columns are.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from amtshilfe.browser_tests.test_wiki import check_page, expect, marker

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

REQUESTER = "verwaltung.meissen"
COORDINATOR = "koordination"
BOARD = "/kanban/?kommune=meissen&alle=1"
MOVE_WAIT_MS = 15_000
FILING_WAIT_MS = 120_000  # the first triage of a server process trains the classifier


def file_request(tabs: Any) -> tuple[str, str]:
    """A fresh request of Meißen; returns the marker word and the request's path."""
    word = marker()
    requester = tabs.open()
    requester.log_in(REQUESTER)
    page = requester.page
    title = f"Kartentest {word}: Scanner meldet Papierstau"
    page.goto("/hilfe/?anfrage=1", timeout=FILING_WAIT_MS)  # the form, without a search
    form = page.locator("#request-form")
    form.get_by_label("Betreff").fill(title)
    form.get_by_label("Beschreibung").fill("Seit heute früh meldet der Scanner im Bürgerbüro Stau.")
    with page.expect_navigation(timeout=FILING_WAIT_MS):
        form.get_by_role("button", name="Anfrage absenden").click(timeout=FILING_WAIT_MS)
    path = urlsplit(page.url).path
    problems = page.locator("#error-summary").all_text_contents()
    assert re.fullmatch(r"/anfragen/\d+/", path), f"not a request page: {page.url} {problems}"
    return word, path


def card(page: Any, word: str) -> Any:
    return page.locator("#kanban-board li.kanban-card", has_text=word)


def column_named(page: Any, name: str) -> Any:
    return page.locator("#kanban-board section.kanban-column").filter(
        has=page.get_by_role("heading", name=name, exact=True)
    )


def column_of(page: Any, word: str) -> str:
    """The heading of the column the card is in."""
    return str(
        card(page, word).evaluate("c => c.closest('section').querySelector('h2').textContent")
    ).strip()


def open_board(tab: Any) -> None:
    response = tab.goto(BOARD)
    assert response.status == 200, f"{BOARD} answered {response.status}"


def test_a_card_moves_by_drag_and_drop_and_stays_there(tabs):
    word, _path = file_request(tabs)
    tab = tabs.open()
    tab.log_in(COORDINATOR)
    open_board(tab)
    page = tab.page
    expect(card(page, word)).to_have_count(1)
    assert column_of(page, word) in {"Eingang", "Triage"}

    target = column_named(page, "In Arbeit").locator("ol.kanban-cards")
    card(page, word).drag_to(target)
    status = page.locator("#kanban-status")
    expect(status).to_contain_text(
        re.compile(r"Karte #\d+ nach „In Arbeit“ verschoben, Position \d+\."),
        timeout=MOVE_WAIT_MS,
    )
    expect(column_named(page, "In Arbeit").locator("li.kanban-card", has_text=word)).to_have_count(
        1
    )
    # The move is stored: after a reload the card is still there.
    open_board(tab)
    assert column_of(page, word) == "In Arbeit"


def test_a_card_moves_by_keyboard_only_and_keeps_the_focus(tabs):
    word, _path = file_request(tabs)
    tab = tabs.open()
    tab.log_in(COORDINATOR)
    open_board(tab)
    page = tab.page
    start = column_of(page, word)
    headings = page.locator("#kanban-board section.kanban-column h2").all_text_contents()
    following = headings[headings.index(start) + 1]

    # Tab from the card's title link to its "→" button, as a keyboard user would.
    card(page, word).get_by_role("link").focus()
    for _step in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.dataset.dir") == "right":
            break
    else:
        pytest.fail("the → button of the card cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#kanban-status")).to_contain_text(
        re.compile(rf"Karte #\d+ nach „{re.escape(following)}“ verschoben"),
        timeout=MOVE_WAIT_MS,
    )
    expect(column_named(page, following).locator("li.kanban-card", has_text=word)).to_have_count(1)
    # The focus stayed on the moved card, so the next key press moves it on.
    focused_card = page.evaluate(
        "() => document.activeElement.closest('li.kanban-card')?.textContent || ''"
    )
    assert word in focused_card
    page.keyboard.press("Space")
    after = headings[headings.index(following) + 1]
    expect(page.locator("#kanban-status")).to_contain_text(
        re.compile(rf"nach „{re.escape(after)}“ verschoben"), timeout=MOVE_WAIT_MS
    )
    open_board(tab)
    assert column_of(page, word) == after


def test_the_board_and_the_column_settings_meet_wcag_21_aa(tabs, axe):
    word, _path = file_request(tabs)
    checker = tabs.open(bypass_csp=True)
    checker.log_in(COORDINATOR)
    reports: list[str] = []
    open_board(checker)
    expect(card(checker.page, word)).to_have_count(1)
    reports += check_page(checker, axe, "board")
    # After a move the live region speaks and the board was swapped in place.
    card(checker.page, word).locator('button[data-dir="right"]').click()
    expect(checker.page.locator("#kanban-status")).to_contain_text("verschoben")
    reports += check_page(checker, axe, "board after a move")
    for name, path in (
        ("my work", "/kanban/meine-arbeit/"),
        ("column settings", "/kanban/spalten/"),
    ):
        response = checker.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        reports += check_page(checker, axe, name)
    # The settings with an error: a WIP limit of 0.
    form = checker.page.locator("form.kanban-config-form").first
    form.get_by_label("WIP-Limit").fill("0")
    with checker.page.expect_navigation():
        form.get_by_role("button", name=re.compile("Speichern")).click()
    expect(checker.page.locator("#error-summary")).to_be_visible()
    reports += check_page(checker, axe, "column settings with an error")
    assert not reports, "\n".join(reports)
