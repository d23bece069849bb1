"""Steering-group decisions in the browser: write, open, vote, register; axe on every screen.

Every test writes its own proposals with a made-up word in the subject and looks only at
those: the demo server is shared by all browser tests of the session. The demo's steering
group is "steuerung.grossenhain" and "steuerung.landkreis" (``demo_data/people.yaml``); when
both have voted, a proposal is decided at once.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any
from urllib.parse import urlsplit

import pytest

from amtshilfe.browser_tests.axe import describe, run_axe
from amtshilfe.browser_tests.test_accessibility import DUPLICATE_IDS, reflow_problems

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

COORDINATOR = "koordination"
STEERING = ("steuerung.grossenhain", "steuerung.landkreis")
XSS = '<script>alert("vorlage")</script><img src=x onerror=alert(1)>'


def expect(target: Any, message: str | None = None) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target, message)


def marker() -> str:
    return "ent" + uuid.uuid4().hex[:10].translate(str.maketrans("0123456789", "ghijklmnop"))


def submit(page: Any, button: Any) -> None:
    with page.expect_navigation():
        button.click()


def open_page(tab: Any, path: str) -> None:
    response = tab.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"


def messages(page: Any) -> Any:
    return page.locator("main .messages")


def write_proposal(tab: Any, *, subject: str, public: bool = False) -> str:
    """Write a draft as the coordination; returns its path (/entscheidungen/<pk>/)."""
    page = tab.page
    open_page(tab, "/entscheidungen/neu/")
    form = page.locator("main form.decision-form")
    form.get_by_role("textbox", name="Gegenstand").fill(subject)
    form.get_by_role("textbox", name="Sachverhalt").fill(f"Hintergrund **wichtig** {XSS}")
    form.get_by_role("textbox", name="Optionen").fill("Beschaffen\nNicht beschaffen")
    form.get_by_role("textbox", name="Empfehlung", exact=True).fill("Beschaffen.")
    form.get_by_role("textbox", name="Kosten in Euro").fill("12.500,00")
    if public:
        form.get_by_role("radio", name="öffentlich").check()
    submit(page, form.get_by_role("button", name="Entwurf speichern"))
    expect(messages(page)).to_contain_text("ist als Entwurf gespeichert")
    path = urlsplit(page.url).path
    assert re.fullmatch(r"/entscheidungen/\d+/", path), page.url
    expect(page.locator("main h1")).to_contain_text(subject)
    expect(page.locator("main .decision-costs")).to_have_text("12.500,00 €")
    return path


def open_vote(tab: Any, path: str) -> None:
    page = tab.page
    open_page(tab, path + "abstimmung/")
    deadline = dt.date.today() + dt.timedelta(days=7)
    form = page.locator("main form.decision-form")
    form.get_by_label("Frist: Datum").fill(deadline.isoformat())
    form.get_by_label("Frist: Uhrzeit").fill("16:00")
    submit(page, form.get_by_role("button", name="Abstimmung eröffnen"))
    expect(messages(page)).to_contain_text("Die Abstimmung ist eröffnet.")
    expect(page.locator("main .decision-meta .badge")).to_have_text("in Abstimmung")


def vote(tab: Any, path: str, choice: str) -> None:
    page = tab.page
    open_page(tab, path)
    form = page.locator("main form.decision-vote-form")
    form.get_by_role("radio", name=choice).check()
    submit(page, form.get_by_role("button", name="Stimme abgeben"))
    expect(messages(page)).to_contain_text("Ihre Stimme ist gespeichert.")


def test_the_coordination_writes_a_proposal_and_opens_the_vote(tab):
    word = marker()
    tab.log_in(COORDINATOR)
    path = write_proposal(tab, subject=f"Lizenz {word}")
    page = tab.page
    # The Markdown is rendered, the script is shown as text and never runs.
    expect(page.locator("main .decision-text strong").first).to_have_text("wichtig")
    expect(page.locator("main .decision-text").first).to_contain_text("<script>")
    assert page.locator("main script").count() == 0
    open_vote(tab, path)
    # Frozen: editing is no longer offered.
    expect(page.locator("main").get_by_role("link", name="Entwurf bearbeiten")).to_have_count(0)
    open_page(tab, "/entscheidungen/")
    expect(page.locator("[data-section=in-progress]")).to_contain_text(f"Lizenz {word}")


def test_the_steering_group_decides_and_the_result_is_public(tabs):
    word = marker()
    coordination = tabs.open()
    coordination.log_in(COORDINATOR)
    subject = f"Öffentlich {word}"
    path = write_proposal(coordination, subject=subject, public=True)
    open_vote(coordination, path)
    for username in STEERING:
        member = tabs.open()
        member.log_in(username)
        vote(member, path, "Zustimmung")
    open_page(coordination, path)
    expect(coordination.page.locator("main .decision-result")).to_contain_text("angenommen")
    form = coordination.page.locator("main [data-section=reasons] form")
    form.get_by_role("textbox", name="Begründung der Entscheidung").fill(f"Spart Geld {word}.")
    submit(coordination.page, form.get_by_role("button", name="Begründung festhalten"))
    expect(messages(coordination.page)).to_contain_text("Die Begründung ist festgehalten.")

    visitor = tabs.open()
    open_page(visitor, "/entscheidungen/oeffentlich/")
    visitor.page.locator("main").get_by_role("link", name=subject).click()
    visitor.page.wait_for_load_state()
    main = visitor.page.locator("main")
    expect(main).to_contain_text(f"Spart Geld {word}.")
    expect(main).to_contain_text("2 Zustimmung")
    expect(main).not_to_contain_text("Hintergrund")  # only subject, result, reasons, date


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


def test_the_decision_screens_meet_wcag_21_aa(tabs, axe):
    word = marker()
    enforcing = tabs.open()
    enforcing.log_in(COORDINATOR)
    draft_path = write_proposal(enforcing, subject=f"Entwurf {word}")
    open_path = write_proposal(enforcing, subject=f"Abstimmung {word}", public=True)
    open_vote(enforcing, open_path)

    coordination = tabs.open(bypass_csp=True)
    coordination.log_in(COORDINATOR)
    member = tabs.open(bypass_csp=True)
    member.log_in(STEERING[0])
    visitor = tabs.open(bypass_csp=True)
    screens = [
        (coordination, "list and register", "/entscheidungen/"),
        (coordination, "draft", draft_path),
        (coordination, "form", "/entscheidungen/neu/"),
        (coordination, "edit form", draft_path + "bearbeiten/"),
        (coordination, "open voting", draft_path + "abstimmung/"),
        (coordination, "attachments", draft_path + "anhaenge/"),
        (coordination, "rules", "/entscheidungen/regeln/"),
        (member, "proposal with vote form", open_path),
        (visitor, "public register", "/entscheidungen/oeffentlich/"),
    ]
    reports: list[str] = []
    for tab, name, path in screens:
        open_page(tab, path)
        reports += check_page(tab, axe, f"{name} {path}")
    # A form with errors: the summary and the messages at the fields.
    page = coordination.page
    open_page(coordination, "/entscheidungen/neu/")
    with page.expect_navigation():
        page.locator("main form.decision-form").get_by_role(
            "button", name="Entwurf speichern"
        ).click()
    expect(page.locator("#error-summary")).to_be_visible()
    reports += check_page(coordination, axe, "form with errors")
    # The decided proposal, and its public page.
    vote(member, open_path, "Zustimmung")
    other = tabs.open()
    other.log_in(STEERING[1])
    vote(other, open_path, "Ablehnung")
    open_page(member, open_path)
    expect(member.page.locator("main .decision-result")).to_contain_text("abgelehnt")
    reports += check_page(member, axe, f"decided {open_path}")
    public_path = open_path.replace("/entscheidungen/", "/entscheidungen/oeffentlich/")
    open_page(visitor, public_path)
    reports += check_page(visitor, axe, f"public decision {public_path}")
    assert not reports, "accessibility problems in decisions:\n" + "\n".join(reports)
