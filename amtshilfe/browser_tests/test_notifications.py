"""Notifications in the browser: the header count, marking read with htmx, axe on both pages.

The test makes its own notification through the API (with tokens made on the account
pages): administration staff in Meißen file a request under a made-up title, the
coordination answers with a comment, and the requester – who watches their own request –
finds the notification in /benachrichtigungen/. Other tests share the demo server, so the
test only looks at the notification it caused.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from amtshilfe.browser_tests.test_wiki import check_page, expect, open_page, submit

# One xdist group: with `pytest --dist loadgroup` a single worker loads the demo once.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

STAFF = "verwaltung.meissen"
COORDINATOR = "koordination"
LIST = "/benachrichtigungen/"
PREFERENCES = "/benachrichtigungen/einstellungen/"
# The first request a server process files trains the triage model (ADR 0009): on a busy
# machine that took 90 s, far beyond the tabs' default timeout.
FIRST_TRIAGE_MS = 300_000


def marker() -> str:
    return "nt" + uuid.uuid4().hex[:10]


def make_token(tab: Any) -> str:
    """An API token made on the account page, as a person would."""
    page = tab.page
    open_page(tab, "/konto/")
    page.get_by_label("Bezeichnung").fill(f"Browsertest {marker()}")
    submit(page, page.locator("main").get_by_role("button", name="Token erzeugen"))
    token = page.locator("main .message-success code").inner_text().strip()
    assert token.startswith("ah_"), token
    return token


def call_api(tab: Any, token: str, path: str, data: dict[str, Any]) -> dict[str, Any]:
    response = tab.page.request.post(
        tab.demo.url(path),
        data=data,
        headers={"Authorization": f"Bearer {token}"},
        timeout=FIRST_TRIAGE_MS,
    )
    assert response.status == 201, f"{path}: {response.status} {response.text()}"
    result: dict[str, Any] = response.json()
    return result


def notify_staff(tabs: Any, title: str) -> Any:
    """Staff file a request, the coordination comments on it; returns the staff's tab."""
    staff = tabs.open()
    staff.log_in(STAFF)
    filed = call_api(
        staff,
        make_token(staff),
        "/api/v1/requests",
        {"title": title, "description": "Der Drucker im Bürgerbüro zeigt Fehler 49."},
    )
    coordination = tabs.open()
    coordination.log_in(COORDINATOR)
    call_api(
        coordination,
        make_token(coordination),
        f"/api/v1/requests/{filed['id']}/comments",
        {"body": "Wir schauen uns das heute an."},
    )
    return staff


def bell(page: Any) -> Any:
    return page.locator("header #notification-bell")


def unread_count(page: Any) -> int:
    text = bell(page).inner_text()
    found = re.search(r"\((\d+)\)", text)
    return int(found.group(1)) if found else 0


def test_the_requester_marks_a_new_notification_read_in_place(tabs):
    title = f"Drucker {marker()}"
    tab = notify_staff(tabs, title)
    page = tab.page
    open_page(tab, LIST)
    before = unread_count(page)
    assert before >= 1
    item = page.locator("main li.notification").filter(has_text=title)
    expect(item).to_have_count(1)
    expect(item).to_have_class(re.compile(r"notification-unread"))
    expect(item.get_by_role("link")).to_have_attribute("href", re.compile(r"^/anfragen/\d+/$"))

    item.get_by_role("button", name=re.compile("Als gelesen markieren")).click()
    expect(item).not_to_have_class(re.compile(r"notification-unread"))
    expect(page.locator("#notifications-status")).to_contain_text("ist als gelesen markiert.")
    expect(item).to_be_focused()
    assert unread_count(page) == before - 1
    assert page.url.endswith(LIST)  # swapped in place, no reload


def test_the_notification_screens_meet_wcag_21_aa(tabs, axe):
    title = f"Scanner {marker()}"
    enforcing = notify_staff(tabs, title)
    bypassing = tabs.open(bypass_csp=True)
    bypassing.log_in(STAFF)
    reports: list[str] = []
    for tab in (enforcing, bypassing):
        open_page(tab, LIST)
    expect(bypassing.page.locator("main li.notification").filter(has_text=title)).to_have_count(1)
    reports += check_page(bypassing, axe, f"notification list {LIST}")

    for tab in (enforcing, bypassing):
        open_page(tab, PREFERENCES)
    reports += check_page(bypassing, axe, f"preferences {PREFERENCES}")
    page = bypassing.page
    page.get_by_label("Erwähnung").uncheck()
    page.get_by_label("Tägliche Zusammenfassung statt einzelner E-Mails").check()
    submit(page, page.locator("main").get_by_role("button", name="Einstellungen speichern"))
    expect(page.locator("main .messages")).to_contain_text("Ihre Einstellungen sind gespeichert.")
    expect(page.get_by_label("Erwähnung")).not_to_be_checked()
    reports += check_page(bypassing, axe, f"preferences saved {PREFERENCES}")
    page.get_by_label("Erwähnung").check()  # back to the defaults for the other tests
    page.get_by_label("Tägliche Zusammenfassung statt einzelner E-Mails").uncheck()
    submit(page, page.locator("main").get_by_role("button", name="Einstellungen speichern"))
    assert not reports, "accessibility problems in the notifications:\n" + "\n".join(reports)
