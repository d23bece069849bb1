"""The coordinator runs the network in the browser: municipalities and topic owners."""

from __future__ import annotations

import re
import uuid

import pytest

# One xdist group: with `pytest --dist loadgroup` a single worker loads the demo once.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_it_admits_a_municipality(tab):
    tab.log_in("koordination")
    page = tab.page
    page.locator("main").get_by_role("link", name="Kommunen verwalten").click()
    page.wait_for_url("**/netzwerk/")
    page.locator("main").get_by_role("link", name="Kommune aufnehmen").click()
    page.wait_for_url("**/netzwerk/kommunen/neu/")

    name = f"Testdorf {uuid.uuid4().hex[:6]}"
    page.get_by_role("textbox", name="Name", exact=True).fill(name)
    page.get_by_role("combobox", name="Art", exact=True).select_option(index=0)
    page.get_by_role("spinbutton", name="Einwohnerzahl", exact=True).fill("1234")
    page.get_by_role("button", name="Aufnehmen").click()

    page.wait_for_url(re.compile(r"/netzwerk/kommunen/testdorf-[0-9a-f]+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == name
    assert f"{name} ist jetzt Mitglied des Netzwerks." in page.locator(".messages").inner_text()
    tab.goto("/netzwerk/")
    assert page.locator("main table").get_by_role("link", name=name).is_visible()


def test_it_refuses_a_municipality_that_is_already_a_member(tab):
    tab.log_in("koordination")
    page = tab.page
    tab.goto("/netzwerk/")
    existing = page.locator("main table tbody a").first.inner_text().strip()

    tab.goto("/netzwerk/kommunen/neu/")
    page.get_by_role("textbox", name="Name", exact=True).fill(existing)
    page.get_by_role("button", name="Aufnehmen").click()
    page.wait_for_load_state()

    assert page.url.endswith("/netzwerk/kommunen/neu/")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert f"bereits eine Kommune mit dem Namen „{existing}“" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    # The summary links to the field, and the field shows its own message.
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_name"
    assert page.locator("#id_name_error").is_visible()


def _full_name(tab, username: str) -> str:
    tab.goto(f"/netzwerk/personen/?q={username}")
    rows = tab.page.locator("main table tbody tr").filter(has_text=username)
    assert rows.count() == 1, f"{username} not found in the person list"
    return rows.first.get_by_role("link").inner_text().strip()


def _cluster_without(tab, person: str) -> str:
    """The name of a topic cluster that ``person`` does not belong to yet (the page is open)."""
    page = tab.page
    tab.goto("/cluster/")
    links = page.locator("main .cards h2 a")
    targets = [
        (links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href"))
        for i in range(links.count())
    ]
    for name, href in targets:
        tab.goto(href)
        if page.locator("#id_person option", has_text=person).count():
            return name
    pytest.fail(f"{person} is already in every topic cluster")


def test_it_makes_a_person_topic_owner(tab):
    tab.log_in("koordination")
    page = tab.page
    person = _full_name(tab, "it.radebeul")
    cluster = _cluster_without(tab, person)

    form = page.locator("form", has=page.get_by_role("button", name="Hinzufügen"))
    form.get_by_role("combobox", name="Person").select_option(label=person)
    form.get_by_role("combobox", name="Rolle im Cluster").select_option(value="owner")
    form.get_by_role("button", name="Hinzufügen").click()
    page.wait_for_load_state()

    message = page.locator(".messages").inner_text()
    assert f"{person} ist jetzt Themen-Zuständige/r in „{cluster}“." in message
    assert page.get_by_label(f"Rolle von {person}").input_value() == "owner"

    tab.goto("/cluster/")
    card = page.locator("main .cards li").filter(
        has=page.get_by_role("link", name=cluster, exact=True)
    )
    assert person in card.inner_text()


def _cluster_member(tab) -> str:
    """Open a cluster page with a plain member (not owner) in it; return the member's name."""
    page = tab.page
    tab.goto("/cluster/")
    links = page.locator("main .cards h2 a")
    for href in [links.nth(i).get_attribute("href") for i in range(links.count())]:
        tab.goto(href)
        for select in page.locator("main table select[name=role]").all():
            if select.input_value() == "member":
                label = page.locator(f"label[for='{select.get_attribute('id')}']").inner_text()
                return label.removeprefix("Rolle von ").strip()
    pytest.fail("no topic cluster has a plain member")


def test_it_turns_a_cluster_member_into_a_topic_owner_and_back(tab):
    tab.log_in("koordination")
    page = tab.page
    person = _cluster_member(tab)
    for role in ("owner", "member"):
        select = page.get_by_label(f"Rolle von {person}")
        select.select_option(value=role)
        select.locator("xpath=ancestor::form").get_by_role("button", name="Ändern").click()
        page.wait_for_load_state()
        assert f"{person} ist jetzt" in page.locator(".messages").inner_text()
        assert page.get_by_label(f"Rolle von {person}").input_value() == role
