"""WCAG 2.1 A/AA with axe-core on every screen of every demo role, and CSP on each of them.

Besides axe-core's rules, each screen is checked for duplicate ids (axe 4.x no longer reports
them, WCAG 2.1's 4.1.1 still counts) and for reflow at 320 CSS pixels (WCAG 1.4.10), which
axe-core cannot test.

Each page is opened twice: in an ordinary tab, where the strict CSP applies and the console
must stay free of errors (checked by the ``tabs`` fixture), and in a tab that bypasses the
CSP so that axe-core can be injected. All violations of a role are collected and reported
together, with the offending elements.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from amtshilfe.browser_tests.axe import describe, run_axe

# One xdist group: with `pytest --dist loadgroup` a single worker loads the demo once.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

Action = Callable[..., None]


@dataclass(frozen=True)
class Screen:
    name: str
    path: str
    action: Action | None = None  # what to do on the page before checking it
    status: int = 200


def submit_login_with_wrong_password(tab) -> None:
    tab.page.get_by_label("Benutzername").fill("gibt.es.nicht")
    tab.page.get_by_label("Passwort").first.fill("falsch")
    tab.page.locator("main").get_by_role("button", name="Anmelden").click()
    tab.page.locator("#error-summary").wait_for()


def submit_empty_form(button: str) -> Action:
    def submit(tab) -> None:
        tab.page.locator("main").get_by_role("button", name=button, exact=True).click()
        tab.page.locator("#error-summary").wait_for()

    return submit


def submit_invalid_profile(tab) -> None:
    tab.page.get_by_label("Zugesagte Stunden pro Monat").fill("-5")
    tab.page.locator("main").get_by_role("button", name="Profil speichern").click()
    tab.page.locator("#error-summary").wait_for()


def first_link(tab, path: str, selector: str) -> str:
    tab.goto(path)
    href = tab.page.locator(selector).first.get_attribute("href")
    assert href, f"no link {selector} on {path}"
    return href


PUBLIC = [
    Screen("landing page", "/"),
    Screen("login", "/konto/anmelden/"),
    Screen("login with errors", "/konto/anmelden/", submit_login_with_wrong_password),
    Screen("password reset", "/konto/passwort-vergessen/"),
    Screen("not found", "/diese-seite-gibt-es-nicht/", status=404),
]
EVERY_MEMBER = [
    Screen("start page", "/start/"),
    Screen("account", "/konto/"),
    Screen("password change", "/konto/passwort/"),
    Screen("topic clusters", "/cluster/"),
]
IT = [
    Screen("expert profile", "/cluster/mein-profil/"),
    Screen("expert profile with errors", "/cluster/mein-profil/", submit_invalid_profile),
]


def knowledge_screens(tab, *, coordinator: bool) -> list[Screen]:
    """The knowledge base: index, a search with results, an article (and, for the
    coordination, the editing screens of that article)."""
    tab.goto("/wissen/")
    hrefs = tab.page.locator("main a[href^='/wissen/']").evaluate_all(
        "links => links.map((a) => a.getAttribute('href'))"
    )
    articles = [
        href
        for href in hrefs
        if re.fullmatch(r"/wissen/[\w-]+/", href)
        and href not in {"/wissen/neu/", "/wissen/veraltet/", "/wissen/suche/"}
    ]
    assert articles, "no article linked from /wissen/"
    article = articles[0]
    screens = [
        Screen("knowledge base", "/wissen/"),
        Screen("search results", "/wissen/suche/?q=Drucker+druckt+nicht"),
        Screen("article", article),
        Screen("article versions", article + "versionen/"),
    ]
    if coordinator:
        screens += [
            Screen("new article", "/wissen/neu/"),
            Screen("edit article", article + "bearbeiten/"),
            Screen("outdated articles", "/wissen/veraltet/"),
        ]
    return screens


def network_screens(tab, *, coordinator: bool, audit: bool) -> list[Screen]:
    municipality = first_link(tab, "/netzwerk/", "main table tbody a")
    person = first_link(tab, "/netzwerk/personen/", "main table tbody a")
    cluster = first_link(tab, "/cluster/", "main .cards h2 a")
    screens = [
        Screen("network overview", "/netzwerk/"),
        Screen("municipality", municipality),
        Screen("people", "/netzwerk/personen/"),
        Screen("person", person),
        Screen("topic cluster", cluster),
    ]
    if audit:
        screens.append(Screen("audit log", "/netzwerk/protokoll/"))
    if coordinator:
        screens += [
            Screen("new municipality", "/netzwerk/kommunen/neu/"),
            Screen(
                "new municipality with errors",
                "/netzwerk/kommunen/neu/",
                submit_empty_form("Aufnehmen"),
            ),
            Screen("edit municipality", municipality + "bearbeiten/"),
            Screen("municipality leaving", municipality + "austritt/"),
            Screen("new person", "/netzwerk/personen/neu/"),
            Screen(
                "new person with errors", "/netzwerk/personen/neu/", submit_empty_form("Anlegen")
            ),
            Screen("edit person", person + "bearbeiten/"),
            Screen("new topic cluster", "/cluster/neu/"),
            Screen("new topic cluster with errors", "/cluster/neu/", submit_empty_form("Anlegen")),
            Screen("edit topic cluster", cluster + "bearbeiten/"),
        ]
    return screens


ROLES = {
    # username: (IT specialist?, network role: None / coordinator / steering / auditor)
    "verwaltung.meissen": (False, None),
    "verwaltung.coswig": (False, None),
    "it.riesa": (True, None),
    "it.radebeul": (True, None),
    "koordination": (False, "coordinator"),
    "steuerung.grossenhain": (False, "steering"),
    "datenschutz": (False, "auditor"),
}


def check_screens(tabs, axe: str, screens: list[Screen], username: str | None) -> list[str]:
    enforcing, bypassing = tabs.open(), tabs.open(bypass_csp=True)
    if username:
        enforcing.log_in(username)
        bypassing.log_in(username)
    reports: list[str] = []
    for screen in screens:
        for tab in (enforcing, bypassing):
            response = tab.goto(screen.path, error_page=screen.status >= 400)
            assert response.status == screen.status, (
                f"{screen.name} ({screen.path}) answered {response.status} for {username}"
            )
            if screen.action:
                screen.action(tab)
        page_name = f"{screen.name} {screen.path}"
        violations = run_axe(bypassing.page, axe)
        if violations:
            reports.append(describe(page_name, violations))
        duplicates = bypassing.page.evaluate(DUPLICATE_IDS)
        if duplicates:
            reports.append(
                f"{page_name}: duplicate ids (labels and ARIA references break, "
                f"WCAG 4.1.1/1.3.1): {duplicates}"
            )
        reports += reflow_problems(bypassing.page, page_name)
    return reports


DUPLICATE_IDS = """() => {
  const seen = {};
  document.querySelectorAll('[id]').forEach((el) => { seen[el.id] = (seen[el.id] || 0) + 1; });
  return Object.keys(seen).filter((id) => seen[id] > 1);
}"""
# WCAG 1.4.10 Reflow: at 320 CSS pixels (1280 px at 400 % zoom) nothing scrolls sideways but
# data tables inside their own scroll container (.table-wrap), and no text sticks out of its box.
REFLOW = """() => {
  const root = document.documentElement;
  const sticking = [...document.querySelectorAll('h1, h2, h3, h4, p, li, dt, dd, label, a')]
    .filter((el) => !el.closest('.table-wrap') && el.clientWidth > 0
                    && el.scrollWidth > el.clientWidth + 1
                    && getComputedStyle(el).overflowX === 'visible')
    .map((el) => el.tagName.toLowerCase() + ' "' + el.innerText.trim().slice(0, 50) + '"');
  return {sideways: root.scrollWidth - root.clientWidth, sticking: sticking};
}"""
NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 720}


def reflow_problems(page, page_name: str) -> list[str]:
    page.set_viewport_size(NARROW)
    try:
        result = page.evaluate(REFLOW)
    finally:
        page.set_viewport_size(WIDE)
    problems = []
    if result["sideways"] > 0:
        problems.append(
            f"{page_name}: at 320 px the page scrolls {result['sideways']} px "
            "sideways (WCAG 1.4.10)"
        )
    if result["sticking"]:
        problems.append(
            f"{page_name}: at 320 px text sticks out of its box (WCAG 1.4.10): "
            + ", ".join(result["sticking"])
        )
    return problems


def test_public_pages_meet_wcag_21_aa(tabs, axe):
    reports = check_screens(tabs, axe, PUBLIC, None)
    assert not reports, "accessibility problems (anonymous):\n" + "\n".join(reports)


@pytest.mark.parametrize("username", list(ROLES))
def test_every_screen_of_the_role_meets_wcag_21_aa(tabs, axe, username):
    is_it, network_role = ROLES[username]
    screens = list(EVERY_MEMBER)
    if is_it:
        screens += IT
    discover = tabs.open()
    discover.log_in(username)
    screens += knowledge_screens(discover, coordinator=network_role == "coordinator")
    if network_role:
        screens += network_screens(
            discover,
            coordinator=network_role == "coordinator",
            audit=network_role in {"coordinator", "auditor"},
        )
    reports = check_screens(tabs, axe, screens, username)
    assert not reports, f"accessibility problems ({username}):\n" + "\n".join(reports)
