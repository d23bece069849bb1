"""Keyboard use: the skip link comes first and works, the login needs no mouse."""

from __future__ import annotations

import pytest

# One xdist group: with `pytest --dist loadgroup` a single worker loads the demo once.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

FOCUSED = """() => {
  const el = document.activeElement;
  return {tag: el.tagName.toLowerCase(), id: el.id, cls: el.className,
          text: (el.innerText || '').trim(), name: el.getAttribute('name')};
}"""


def _check_skip_link(tab) -> None:
    page = tab.page
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["tag"] == "a" and "skip-link" in focused["cls"], (
        f"the first tab stop is {focused}, not the skip link"
    )
    assert focused["text"] == "Zum Inhalt springen"
    # It becomes visible when focused (it is moved off screen otherwise).
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, f"skip link off screen: {box}"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main'")
    assert page.url.endswith("#main")
    # The next Tab continues inside the main content, not in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def test_the_skip_link_is_the_first_tab_stop_on_the_public_page(tab):
    tab.goto("/")
    _check_skip_link(tab)


def test_the_skip_link_is_the_first_tab_stop_after_login(tab):
    tab.log_in("verwaltung.meissen")
    _check_skip_link(tab)


def test_it_logs_in_with_the_keyboard_only(tab):
    tab.goto("/konto/anmelden/")
    page = tab.page
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED)["name"] == "username":
            break
    else:
        pytest.fail("the username field cannot be reached with Tab")
    page.keyboard.type("it.riesa")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["name"] == "password"
    page.keyboard.type(tab.demo.password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/start/")
    assert "it" in tab.sections()


def test_the_focus_is_visible(tab):
    tab.goto("/konto/anmelden/")
    page = tab.page
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "focused elements need a visible outline"
