"""The AI assistant in the browser: chat page, follow-up, citations, feedback, widget, axe.

The answers' wording is the engine's business: these tests look at structure (an exchange,
a citation link into the knowledge base, the feedback) and at keyboard, focus and WCAG.
Every test starts its own conversations; the demo server is shared by the session.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from amtshilfe.browser_tests.test_wiki import check_page, expect, submit

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ASKER = "verwaltung.meissen"
ANSWER_WAIT_MS = 60_000  # the first question loads the search index on a busy machine
QUESTION = (
    "Ich schicke etwas zum Ausdrucken, aber es kommt nichts raus und in der Liste steht der "
    "Auftrag mit Fehler. Wie bekomme ich das wieder weg?"
)
FOLLOW_UP = "und wenn das nicht hilft?"
XSS = '<img src=x onerror="document.title=1">'


def ask(chat: Any, question: str, *, expected: int) -> Any:
    """Type and send a question in ``chat``; returns the new exchange once it has arrived."""
    field = chat.get_by_label("Ihre Frage", exact=True)
    field.fill(question)
    chat.get_by_role("button", name="Frage senden").click()
    exchanges = chat.locator(".assistant-exchange")
    expect(exchanges).to_have_count(expected, timeout=ANSWER_WAIT_MS)
    return exchanges.nth(expected - 1)


def test_asking_on_the_chat_page_shows_sources_and_takes_feedback(tab):
    tab.log_in(ASKER)
    page = tab.page
    tab.goto("/assistent/")
    chat = page.locator("main #assistent")
    # EU AI Act Art. 50: said up front, before anything is asked.
    expect(chat.locator(".assistant-notice")).to_contain_text("KI-Assistenten")
    exchange = ask(chat, QUESTION + " " + XSS, expected=1)
    # Appended without a reload (the address becomes the conversation's); the question field
    # is empty again and keeps the focus.
    expect(page).to_have_url(re.compile(r"/assistent/gespraeche/[0-9a-f-]+/$"))
    field = chat.get_by_label("Ihre Frage", exact=True)
    expect(field).to_be_focused()
    expect(field).to_have_value("")
    expect(chat.locator("[data-assistant-log]")).to_have_attribute("aria-busy", "false")
    # The question is shown as text; its markup never runs.
    expect(exchange.locator(".assistant-question")).to_contain_text("<img src=x")
    assert page.title() != "1"
    citation = exchange.locator(".assistant-citations a").first
    expect(citation).to_be_visible()
    href = citation.get_attribute("href") or ""
    assert re.match(r"^/wissen/[\w-]+/(#[\w-]+)?$", href), href

    # A follow-up continues the same conversation.
    ask(chat, FOLLOW_UP, expected=2)
    expect(chat.locator("[data-assistant-new]")).to_be_visible()

    # "Hat das geholfen?" – the thanks replaces the buttons and takes the focus.
    feedback = exchange.locator(".assistant-feedback")
    feedback.get_by_text("Kommentar hinzufügen (freiwillig)").click()
    feedback.get_by_label("Ihr Kommentar zur Antwort").fill("Genau das war es.")
    feedback.get_by_role("button", name="Ja, das hat geholfen").click()
    done = exchange.locator("[data-assistant-feedback-done]")
    expect(done).to_contain_text("Danke für Ihre Rückmeldung")
    expect(done).to_be_focused()

    # The conversation is kept under "Meine Gespräche" with both exchanges and the feedback.
    tab.goto("/assistent/gespraeche/")
    page.locator("main .assistant-conversations a").first.click()
    page.wait_for_url(re.compile(r"/assistent/gespraeche/[0-9a-f-]+/$"))
    expect(page.locator("main .assistant-exchange")).to_have_count(2)
    expect(page.locator("main [data-assistant-feedback-done]")).to_have_count(1)

    # The citation leads to the passage in the article.
    page.locator("main .assistant-citations a").first.click()
    page.wait_for_url(re.compile(r"/wissen/[\w-]+/"))
    expect(page.locator("main h1")).to_be_visible()


def test_the_chat_works_without_javascript(browser, demo):
    context = browser.new_context(base_url=demo.base_url, locale="de-DE", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/konto/anmelden/")
        page.get_by_label("Benutzername").fill(ASKER)
        page.get_by_label("Passwort", exact=False).first.fill(demo.password)
        submit(page, page.locator("main").get_by_role("button", name="Anmelden"))
        page.goto("/assistent/")
        chat = page.locator("main #assistent")
        chat.get_by_label("Ihre Frage", exact=True).fill(QUESTION)
        with page.expect_navigation(timeout=ANSWER_WAIT_MS):
            chat.get_by_role("button", name="Frage senden").click()
        assert re.search(r"/assistent/gespraeche/[0-9a-f-]+/$", urlsplit(page.url).path)
        expect(page.locator("main .assistant-exchange")).to_have_count(1)
        chat = page.locator("main #assistent")
        chat.get_by_label("Ihre Frage", exact=True).fill(FOLLOW_UP)
        with page.expect_navigation(timeout=ANSWER_WAIT_MS):
            chat.get_by_role("button", name="Frage senden").click()
        expect(page.locator("main .assistant-exchange")).to_have_count(2)
        submit(
            page,
            page.locator("main").get_by_role("button", name="Nein, das hat nicht geholfen").first,
        )
        expect(page.locator("main .messages")).to_contain_text("Danke für Ihre Rückmeldung.")
        # Deleting asks first, on a page of its own.
        page.goto("/assistent/gespraeche/")
        page.locator("main .assistant-conversation-actions a").first.click()
        submit(page, page.get_by_role("button", name="Ja, Gespräch löschen"))
        expect(page.locator("main .messages")).to_contain_text("Das Gespräch ist gelöscht.")
    finally:
        context.close()


def test_the_widget_opens_with_the_keyboard(tab):
    tab.log_in(ASKER)
    page = tab.page
    tab.goto("/start/")
    widget = page.locator("aside.assistant-widget")
    summary = widget.locator("details[data-assistant-widget] > summary")
    expect(summary).to_have_text("KI-Assistent fragen")
    field = widget.get_by_label("Ihre Frage", exact=True)
    expect(field).to_be_hidden()
    summary.focus()
    page.keyboard.press("Enter")
    expect(field).to_be_visible()
    expect(field).to_be_focused()
    expect(widget.locator(".assistant-notice")).to_contain_text("KI-Assistenten")
    page.keyboard.type(QUESTION)
    page.keyboard.press("Control+Enter")  # sends the question
    expect(widget.locator(".assistant-exchange")).to_have_count(1, timeout=ANSWER_WAIT_MS)
    expect(field).to_be_focused()
    assert urlsplit(page.url).path == "/start/"
    # The conversation can be continued on its own page.
    link = widget.get_by_role("link", name="Gespräch auf eigener Seite fortsetzen")
    expect(link).to_have_attribute("href", re.compile(r"^/assistent/gespraeche/[0-9a-f-]+/$"))
    # Escape closes the panel and gives the focus back to the button.
    page.keyboard.press("Escape")
    expect(field).to_be_hidden()
    expect(summary).to_be_focused()
    # No widget on the public pages and where the chat is already on the page.
    for path in ("/", "/assistent/", "/hilfe/"):
        tab.goto(path)
        expect(page.locator("aside.assistant-widget")).to_have_count(0)
    expect(page.locator("main #assistent-hilfe")).to_be_visible()


def test_the_assistant_meets_wcag_21_aa(tabs, axe):
    checker = tabs.open(bypass_csp=True)
    checker.log_in(ASKER)
    page = checker.page
    reports: list[str] = []

    checker.goto("/assistent/")
    reports += check_page(checker, axe, "chat page, empty")
    chat = page.locator("main #assistent")
    chat.get_by_role("button", name="Frage senden").click()  # nothing typed: error shown
    expect(chat.locator(".error")).to_contain_text("Bitte stellen Sie eine Frage.")
    reports += check_page(checker, axe, "chat page with an error")
    exchange = ask(chat, QUESTION, expected=1)
    ask(chat, "Wie beantrage ich Urlaub für die Kommunalwahl im Kanalkataster?", expected=2)
    reports += check_page(checker, axe, "chat page with answers")
    exchange.locator(".assistant-feedback").get_by_role(
        "button", name="Nein, das hat nicht geholfen"
    ).click()
    expect(exchange.locator("[data-assistant-feedback-done]")).to_be_visible()
    reports += check_page(checker, axe, "chat page after feedback")

    checker.goto("/assistent/gespraeche/")
    reports += check_page(checker, axe, "my conversations")
    conversation = page.locator("main .assistant-conversations h2 a").first.get_attribute("href")
    assert conversation
    checker.goto(conversation)
    reports += check_page(checker, axe, "one conversation")
    checker.goto(conversation + "loeschen/")
    reports += check_page(checker, axe, "delete confirmation")
    checker.goto("/assistent/gespraeche/alle-loeschen/")
    reports += check_page(checker, axe, "delete all confirmation")
    conversation_id = conversation.rstrip("/").rsplit("/", 1)[-1]
    checker.goto(f"/assistent/anfrage/?gespraech={conversation_id}")
    expect(page.locator("main").get_by_label("Betreff")).not_to_have_value("")
    reports += check_page(checker, axe, "hand-over form")
    page.locator("main").get_by_label("Betreff").fill("")
    submit(page, page.get_by_role("button", name="Anfrage absenden"))
    expect(page.locator("#error-summary")).to_be_visible()
    reports += check_page(checker, axe, "hand-over form with errors")

    checker.goto("/hilfe/")
    reports += check_page(checker, axe, "help page with the chat")

    checker.goto("/start/")
    widget = page.locator("aside.assistant-widget")
    widget.locator("details[data-assistant-widget] > summary").click()
    expect(widget.get_by_label("Ihre Frage", exact=True)).to_be_visible()
    reports += check_page(checker, axe, "start page with the widget open")
    ask(widget, QUESTION, expected=1)
    reports += check_page(checker, axe, "start page with an answer in the widget")
    assert not reports, "accessibility problems of the assistant:\n" + "\n".join(reports)
