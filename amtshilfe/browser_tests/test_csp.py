"""The Content Security Policy is sent, enforced, and the tests would notice a violation.

Every tab of the browser tests already fails its test when a page comes without the strict
policy or logs a CSP violation (see conftest.py); these tests prove that this watch works.
"""

from __future__ import annotations

import pytest

from amtshilfe.browser_tests.axe import run_axe

# One xdist group: with `pytest --dist loadgroup` a single worker loads the demo once.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_it_sends_a_strict_policy(tab):
    response = tab.goto("/")
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in response.all_headers()["content-security-policy"].split(";")
        if directive.strip()
    }
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


def test_it_blocks_inline_scripts_and_the_tabs_notice(tab):
    from playwright.sync_api import Error as PlaywrightError

    tab.goto("/")
    page = tab.page
    with pytest.raises(PlaywrightError):
        page.add_script_tag(content="window.injected = true;")
    assert page.evaluate("() => window.injected === undefined")
    page.wait_for_function("() => true")  # let the console message arrive
    assert any("Content Security Policy" in e or "CSP violation" in e for e in tab.console_errors)
    tab.console_errors.clear()  # expected here; any other test would fail on it


def test_axe_reports_violations(browser, axe):
    """A self-test: a page with obvious faults must not pass, or the audits prove nothing."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(
            '<html><body><img src="data:,"><input type="text">'
            '<p style="color:#bbb;background:#fff">blass</p></body></html>'
        )
        rules = {violation["id"] for violation in run_axe(page, axe)}
    finally:
        context.close()
    assert {"html-has-lang", "image-alt", "label", "color-contrast"} <= rules
