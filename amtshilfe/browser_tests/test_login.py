"""Each demo role logs in through the real form and lands on the start page made for it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

# One xdist group: with `pytest --dist loadgroup` a single worker loads the demo once.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@dataclass(frozen=True)
class Role:
    username: str
    sections: set[str]  # data-section attributes the start page must show
    absent: set[str] = field(default_factory=set)  # ... and must not show
    headings: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    network_nav: bool = False  # the "Netzwerk" entry in the main navigation


ROLES = [
    Role(
        "verwaltung.meissen",
        {"staff", "municipality-requests"},
        {"it", "network", "audit"},
        ("Hilfe finden", "Anfragen aus Meißen"),
    ),
    Role(
        "verwaltung.coswig",
        {"staff", "municipality-requests"},
        {"it", "network", "audit"},
        ("Hilfe finden", "Anfragen aus Coswig"),
    ),
    Role("it.riesa", {"it"}, {"network", "audit"}, ("Meine Themencluster",)),
    Role("it.radebeul", {"it"}, {"network", "audit"}, ("Meine Themencluster",)),
    Role(
        "koordination",
        {"network", "audit"},
        set(),
        ("Das Netzwerk", "Letzte Änderungen"),
        ("Kommunen verwalten", "Personen", "Protokoll"),
        network_nav=True,
    ),
    Role(
        "steuerung.grossenhain",
        {"network"},
        {"audit"},
        ("Das Netzwerk",),
        ("Kommunen verwalten", "Personen"),
        network_nav=True,
    ),
    Role(
        "datenschutz",
        {"network", "audit"},
        set(),
        ("Das Netzwerk", "Letzte Änderungen"),
        ("Kommunen verwalten", "Protokoll"),
        network_nav=True,
    ),
]


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.username)
def test_it_shows_each_role_its_start_page(tab, role):
    tab.log_in(role.username)
    page = tab.page
    assert page.url.endswith("/start/")
    sections = tab.sections()
    assert role.sections <= sections, f"{role.username} sees {sections}"
    assert not role.absent & sections, f"{role.username} sees {sections}"
    main = page.locator("main")
    for heading in role.headings:
        assert main.get_by_role("heading", name=re.compile(re.escape(heading))).count() >= 1, (
            f"no heading {heading!r} for {role.username}"
        )
    for link in role.links:
        assert main.get_by_role("link", name=link, exact=True).count() >= 1, (
            f"no link {link!r} for {role.username}"
        )
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    assert (
        navigation.get_by_role("link", name="Start", exact=True).get_attribute("aria-current")
        == "page"
    )
    assert (
        navigation.get_by_role("link", name="Netzwerk", exact=True).count() == 1
    ) == role.network_nav


def test_it_leads_staff_to_the_topic_owners_of_their_municipality(tab):
    tab.log_in("verwaltung.meissen")
    staff = tab.page.locator("[data-section=staff]")
    assert staff.get_by_role("link").count() >= 1, "no topic cluster listed under 'Hilfe finden'"
    staff.get_by_role("link").first.click()
    tab.page.wait_for_url(re.compile(r"/cluster/[\w-]+/$"))
    assert tab.page.get_by_role("heading", name="Themen-Zuständige und Mitglieder").is_visible()


def test_it_refuses_a_wrong_password(tab):
    tab.goto("/konto/anmelden/")
    page = tab.page
    page.get_by_label("Benutzername").fill("gibt.es.nicht")
    page.get_by_label("Passwort").first.fill("falsches-passwort")
    page.locator("main").get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    assert page.url.endswith("/konto/anmelden/")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert "Benutzername oder Passwort stimmen nicht" in summary.inner_text()
    # base.js moves the focus to the summary so that screen readers announce it.
    assert page.evaluate("document.activeElement.id") == "error-summary"


def test_it_logs_out(tab):
    tab.log_in("it.riesa")
    tab.log_out()
    page = tab.page
    assert page.url == tab.demo.url("/")
    assert page.locator("header").get_by_role("link", name="Anmelden").is_visible()
    tab.goto("/start/")
    assert "/konto/anmelden/" in page.url, "the start page must ask for a login again"
