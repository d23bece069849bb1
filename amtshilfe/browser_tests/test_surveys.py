"""Surveys in the browser: answer by one-click link and in the app, rate by link; axe.

Each test makes its own survey (title with a made-up word) through the services in an
``amtshilfe shell`` against the demo server's database. Raw link tokens are never stored,
so the set-up gives one invitation a fresh token and prints it – what the e-mail would carry.
"""

from __future__ import annotations

import os
import re
import subprocess
import uuid
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from amtshilfe.browser_tests.axe import describe, run_axe
from amtshilfe.browser_tests.server import DemoServer, _command, _environment
from amtshilfe.browser_tests.test_accessibility import DUPLICATE_IDS, reflow_problems

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

COORDINATOR = "koordination"
BY_LINK = "verwaltung.coswig"
IN_APP = "verwaltung.meissen"

MAKE_SURVEY = """
import datetime as dt
from django.utils import timezone
from amtshilfe.accounts.models import User
from amtshilfe.surveys.models import SurveyInvitation
from amtshilfe.surveys.services import add_question, create_survey, open_survey
from amtshilfe.surveys.tokens import new_token
from amtshilfe.tenancy.models import Network
network = Network.objects.get(slug="landkreis-meissen")
coordinator = User.objects.get(username="koordination")
survey = create_survey(actor=coordinator, network=network, title="Umfrage {word}",
    intro="Bitte <b>ehrlich</b> antworten.", audience="staff",
    closes_at=timezone.localdate() + dt.timedelta(days=7))
add_question(actor=coordinator, survey=survey, kind="scale", text="Wie zufrieden sind Sie?",
    required=True, low_label="gar nicht", high_label="sehr")
add_question(actor=coordinator, survey=survey, kind="multiple", text="Was nutzen Sie?",
    options=["Wissen", "Anfragen", "Assistent"])
add_question(actor=coordinator, survey=survey, kind="text", text="Was haben Sie gelernt?")
open_survey(actor=coordinator, survey=survey, send_mails=False)
raw, digest = new_token()
SurveyInvitation.objects.filter(survey=survey, user__username="{by_link}").update(token_hash=digest)
print(survey.pk, raw)
"""

RATING_LINK = """
from amtshilfe.surveys.models import RatingInvitation
from amtshilfe.surveys.services.ratings import _problem
from amtshilfe.surveys.tokens import new_token
# A usable one: other browser tests on the same demo server rate, reopen and close requests.
invitation = next(
    i for i in RatingInvitation.objects.filter(used_at__isnull=True).order_by("-id")
    if not _problem(i)
)
raw, digest = new_token()
RatingInvitation.objects.filter(pk=invitation.pk).update(token_hash=digest)
print(invitation.request.number, raw)
"""


def expect(target: Any, message: str | None = None) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target, message)


def marker() -> str:
    return "umf" + uuid.uuid4().hex[:10].translate(str.maketrans("0123456789", "ghijklmnop"))


def in_demo(demo: DemoServer, code: str) -> list[str]:
    """Run ``code`` in ``amtshilfe shell`` against the demo server's data; last line, split."""
    outer = os.environ.get("DATABASE_URL")
    database_url = None
    if outer:  # the server's own database (see server.own_postgres_database)
        parts = urlsplit(outer)
        database_url = urlunsplit(parts._replace(path=f"/amtshilfe_browser_{os.getpid()}"))
    result = subprocess.run(  # noqa: S603 (our own command line)
        _command("shell", "-c", code),
        env=_environment(demo.data_dir, database_url),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1].split()


def submit(page: Any, name: str) -> None:
    with page.expect_navigation():
        page.locator("main form.survey-form").get_by_role("button", name=name).click()


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


def test_a_person_answers_by_link_and_another_in_the_app(tabs: Any, demo: DemoServer) -> None:
    word = marker()
    pk, raw = in_demo(demo, MAKE_SURVEY.replace("{word}", word).replace("{by_link}", BY_LINK))
    # 1. By link, without logging in: GET shows the form, the POST saves once.
    visitor = tabs.open()
    page = visitor.page
    link = f"/umfragen/link/{raw}/"
    assert visitor.goto(link).status == 200
    expect(page.locator("main h1")).to_have_text(f"Umfrage {word}")
    expect(page.locator("main .survey-intro")).to_contain_text("Bitte <b>ehrlich</b> antworten.")
    visitor.error_pages.add(demo.url(link))  # the form with errors answers 400
    submit(page, "Antworten absenden")  # nothing chosen: errors, linked to the question
    expect(page.locator("#error-summary")).to_be_visible()
    page.locator("#error-summary a").first.click()
    expect(page).to_have_url(re.compile(r"#frage_\d+_0$"))
    main = page.locator("main form.survey-form")
    main.get_by_role("group", name="Wie zufrieden sind Sie?").get_by_label("4").check()
    main.get_by_role("group", name="Was nutzen Sie?").get_by_label("Wissen").check()
    main.get_by_label("Was haben Sie gelernt?").fill(f"Viel <script>alert('{word}')</script>")
    submit(page, "Antworten absenden")
    expect(page.locator("main h1")).to_have_text("Danke!")
    visitor.goto(link, error_page=True)
    expect(page.locator("main [data-problem]")).to_contain_text("bereits beantwortet")
    # 2. In the app: "Offene Umfragen", the survey, the same form.
    member = tabs.open()
    member.log_in(IN_APP)
    member.goto("/umfragen/")
    with member.page.expect_navigation():
        member.page.locator("main").get_by_role("link", name=f"Umfrage {word}").click()
    form = member.page.locator("main form.survey-form")
    form.get_by_role("group", name="Wie zufrieden sind Sie?").get_by_label("5 – sehr").check()
    submit(member.page, "Antworten absenden")
    expect(member.page.locator("main .messages")).to_contain_text("anonym gespeichert")
    expect(member.page.locator("main")).not_to_contain_text(f"Umfrage {word}")
    assert pk.isdigit()


def test_a_requester_rates_by_link(tab: Any, demo: DemoServer) -> None:
    number, raw = in_demo(demo, RATING_LINK)
    page = tab.page
    assert tab.goto(f"/umfragen/bewertung/{raw}/?wert=4").status == 200
    expect(page.locator("main .lead")).to_contain_text(f"Anfrage {number}")
    expect(page.get_by_label("4 – zufrieden")).to_be_checked()  # pre-selected, not saved
    page.get_by_label("5 – sehr zufrieden").check()
    page.get_by_label("Kommentar (freiwillig)").fill("Danke für die schnelle Hilfe!")
    submit(page, "Bewertung senden")
    expect(page.locator("main h1")).to_have_text("Danke!")
    tab.goto(f"/umfragen/bewertung/{raw}/", error_page=True)
    expect(page.locator("main [data-problem]")).to_contain_text("bereits bewertet")


def test_the_survey_screens_meet_wcag_21_aa(tabs: Any, axe: str, demo: DemoServer) -> None:
    word = marker()
    pk, raw = in_demo(demo, MAKE_SURVEY.replace("{word}", word).replace("{by_link}", BY_LINK))
    _number, rating_raw = in_demo(demo, RATING_LINK)
    visitor = tabs.open(bypass_csp=True)
    coordination = tabs.open(bypass_csp=True)
    coordination.log_in(COORDINATOR)
    member = tabs.open(bypass_csp=True)
    member.log_in(IN_APP)
    reports: list[str] = []
    coordination.goto("/umfragen/verwaltung/")
    quarterly = coordination.page.locator("main table tr", has_text="Quartalsumfrage")
    results = quarterly.get_by_role("link", name="Ergebnisse").first
    results_path = urlsplit(results.get_attribute("href") or "").path
    screens = [
        (visitor, "answer by link", f"/umfragen/link/{raw}/"),
        (visitor, "rate by link", f"/umfragen/bewertung/{rating_raw}/?wert=3"),
        (member, "open surveys", "/umfragen/"),
        (member, "answer in the app", f"/umfragen/{pk}/"),
        (coordination, "survey list", "/umfragen/verwaltung/"),
        (coordination, "survey", f"/umfragen/verwaltung/{pk}/"),
        (coordination, "new survey", "/umfragen/verwaltung/neu/"),
        (coordination, "results", results_path),
        (coordination, "processing register", "/umfragen/verarbeitungsverzeichnis/"),
    ]
    for tab, name, path in screens:
        assert tab.goto(path).status == 200, path
        reports += check_page(tab, axe, f"{name} {path}")
    coordination.goto(results_path)
    expect(coordination.page.locator("main svg.survey-chart").first).to_be_visible()
    member.goto(f"/umfragen/{pk}/")
    submit(member.page, "Antworten absenden")
    expect(member.page.locator("#error-summary")).to_be_visible()
    reports += check_page(member, axe, "answer form with errors")
    visitor.goto("/umfragen/link/" + "x" * 43 + "/", error_page=True)
    reports += check_page(visitor, axe, "unknown link")
    assert not reports, "accessibility problems in surveys:\n" + "\n".join(reports)
