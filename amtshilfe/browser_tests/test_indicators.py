"""Indicators in the browser: dashboard and process page (axe, reflow), period form, CSV.

The coordinator of the demo network opens ``/auswertung/`` and ``/auswertung/ablauf/``;
axe-core runs once as the pages load and once with every "Zahlen als Tabelle" opened, so the
tables behind the charts are checked too. Then, with the strict CSP enforced, the period is
changed through the form (no JavaScript needed) and one figure is downloaded as CSV.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from amtshilfe.browser_tests.axe import describe, run_axe
from amtshilfe.browser_tests.test_accessibility import DUPLICATE_IDS, reflow_problems

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

COORDINATOR = "koordination"
OPEN_TABLES = "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"


def expect(target: Any, message: str | None = None) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target, message)


def check_page(tab: Any, axe: str, name: str) -> list[str]:
    page = tab.page
    reports = []
    violations = run_axe(page, axe)
    if violations:
        reports.append(describe(name, violations))
    page.evaluate(OPEN_TABLES)
    violations = run_axe(page, axe)
    if violations:
        reports.append(describe(f"{name} (tables open)", violations))
    duplicates = page.evaluate(DUPLICATE_IDS)
    if duplicates:
        reports.append(f"{name}: duplicate ids: {duplicates}")
    return reports + reflow_problems(page, name)


def submit_period(page: Any) -> None:
    with page.expect_navigation():
        page.locator("main form.period-form").get_by_role("button", name="Anzeigen").click()


def test_the_indicator_pages_meet_wcag_21_aa(tabs: Any, axe: str) -> None:
    coordination = tabs.open(bypass_csp=True)
    coordination.log_in(COORDINATOR)
    reports: list[str] = []
    screens = [
        ("dashboard", "/auswertung/"),
        ("dashboard, 12 months", "/auswertung/?zeitraum=12m"),
        ("process analysis", "/auswertung/ablauf/"),
        ("bad period", "/auswertung/?zeitraum=frei&von=2026-03-10&bis=2026-03-01"),
    ]
    for name, path in screens:
        assert coordination.goto(path).status == 200, path
        expect(coordination.page.locator("main h1")).to_be_visible()
        reports += check_page(coordination, axe, f"{name} {path}")
    assert not reports, "accessibility problems in the indicators:\n" + "\n".join(reports)


def test_a_coordinator_changes_the_period_and_downloads_a_csv(tab: Any) -> None:
    tab.log_in(COORDINATOR)
    page = tab.page
    assert tab.goto("/auswertung/").status == 200
    expect(page.locator("main h1")).to_have_text("Kennzahlen")
    expect(page.locator("main svg.indicator-chart").first).to_be_visible()
    expect(page.locator("main .period-shown")).to_contain_text("letzte 3 Monate")
    # A chart's numbers as a table, one click away.
    first = page.locator("main details.indicator-table").first
    first.locator("summary").click()
    expect(first.locator("table")).to_be_visible()
    # Another period through the plain GET form.
    page.get_by_label("Zeitraum wählen").select_option("12m")
    submit_period(page)
    expect(page).to_have_url(re.compile(r"zeitraum=12m"))
    expect(page.locator("main .period-shown")).to_contain_text("letzte 12 Monate")
    # A free period the wrong way round: the German message, the default period meanwhile.
    page.get_by_label("Zeitraum wählen").select_option("frei")
    page.get_by_label("Von").fill("2026-03-10")
    page.get_by_label("Bis").fill("2026-03-01")
    submit_period(page)
    expect(page.get_by_role("alert")).to_contain_text(
        "Das Ende des Zeitraums (1. März 2026) liegt vor seinem Anfang (10. März 2026)."
    )
    expect(page.locator("main .period-shown")).to_contain_text("letzte 3 Monate")
    # A valid free period, then one figure's CSV for exactly that period.
    page.get_by_label("Von").fill("2026-03-01")
    page.get_by_label("Bis").fill("2026-03-31")
    submit_period(page)
    expect(page.get_by_role("alert")).to_have_count(0)
    link = page.locator("main .indicator-export a").first
    key = (link.get_attribute("href") or "").split("/auswertung/")[1].split(".csv")[0]
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"{key}-2026-03-01-2026-03-31.csv"
    body = Path(download.path()).read_bytes()
    assert body.startswith("\ufeff".encode())
    header = body.decode("utf-8-sig").splitlines()[0]
    headings = page.locator(f"#kennzahl-{key} table thead th")
    expected = headings.all_text_contents() if headings.count() else ["Angabe", "Wert"]
    assert header.split(";") == expected
    # The process page: its own section and the way back.
    assert tab.goto("/auswertung/ablauf/").status == 200
    expect(page.locator("main h1")).to_have_text("Ablauf der Anfragen")
    expect(page.locator("main [data-section='process']")).to_be_visible()
    assert tab.sections() == {"process"}
