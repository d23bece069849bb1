"""Settlement in the browser: the coordination closes last month (preview → review →
closed); axe-core on every settlement screen.

The demo has the month before last closed and last month in preview, under a scheme with
14 days for objections. To close last month within the test, the coordination first sets
the same model from last month on with 0 days for objections (a real use of the scheme
screen). Only last month of the shared demo server is touched.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urljoin

import pytest

from amtshilfe.browser_tests.test_decisions import check_page, expect, messages, open_page, submit

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

COORDINATOR = "koordination"


def last_month() -> str:
    first = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    return f"{first.year}-{first.month:02d}"


def set_scheme_from(tab: Any, label: str) -> None:
    page = tab.page
    open_page(tab, "/abrechnung/modell/")
    form = page.locator("main form.settlement-form")
    form.get_by_role("textbox", name="Gilt ab Monat").fill(label)
    form.get_by_role("spinbutton", name="Einspruchsfrist (Tage)").fill("0")
    submit(page, form.get_by_role("button", name="Modell speichern"))
    expect(messages(page)).to_contain_text("Das Vergütungsmodell ist gespeichert.")


def test_the_coordination_closes_a_period(tabs, axe):
    """The flow runs in a tab that enforces the CSP; axe runs in a second tab of the same
    person that bypasses it (axe is injected as an inline script)."""
    label = last_month()
    tab = tabs.open()
    tab.log_in(COORDINATOR)
    checker = tabs.open(bypass_csp=True)
    checker.log_in(COORDINATOR)
    page = tab.page
    reports: list[str] = []

    def check(path: str, name: str) -> None:
        nonlocal reports
        open_page(checker, path)
        reports += check_page(checker, axe, name)

    check("/abrechnung/", "periods")
    check("/abrechnung/modell/", "scheme")
    set_scheme_from(tab, label)

    period_path = f"/abrechnung/{label}/"
    open_page(tab, period_path)
    expect(page.locator("main [data-status]")).to_have_attribute("data-status", "preview")
    expect(page.locator("main table.settlement-table").first).to_be_visible()
    check(period_path, "preview")
    statement_path = page.locator("main table.settlement-table tbody th a").first.get_attribute(
        "href"
    )
    submit(page, page.locator("main").get_by_role("button", name="Zur Prüfung freigeben"))
    expect(messages(page)).to_contain_text("zur Prüfung freigegeben")
    expect(page.locator("main [data-status]")).to_have_attribute("data-status", "in_review")
    check(period_path, "in review")

    open_page(tab, statement_path)
    expect(page.locator("main h1")).to_contain_text(label)
    check(statement_path, "statement")

    open_page(tab, period_path)
    page.locator("main").get_by_role("link", name="Zeitraum abschließen").click()
    page.wait_for_load_state()
    check(period_path + "abschliessen/", "close confirmation")
    # Without the confirmation the form comes back with 400 and the error at the field.
    tab.error_pages.add(urljoin(tab.demo.base_url, period_path + "abschliessen/"))
    submit(page, page.locator("main").get_by_role("button", name="Endgültig abschließen"))
    expect(page.locator("main .field-error").first).to_be_visible()
    page.locator("main").get_by_label("Ich habe die Abrechnungen geprüft", exact=False).check()
    submit(page, page.locator("main").get_by_role("button", name="Endgültig abschließen"))
    expect(messages(page)).to_contain_text("Der Zeitraum ist abgeschlossen.")
    expect(page.locator("main [data-status]")).to_have_attribute("data-status", "closed")
    expect(page.locator("main .settlement-hash")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    check(period_path, "closed")
    check(statement_path, "closed statement")
    assert not reports, "accessibility problems in settlement:\n" + "\n".join(reports)
