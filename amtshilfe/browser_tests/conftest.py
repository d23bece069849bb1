"""Fixtures of the browser tests: the demo server, Chromium, and tabs that watch the console.

- ``demo`` (session): the demo network served by ``amtshilfe serve`` (see ``server.py``).
- ``browser`` (module): Debian's Chromium through Playwright. Module scope on purpose: while
  Playwright's sync API is running, an asyncio loop runs in the thread, and Django refuses
  ORM calls from ordinary tests that xdist may schedule after ours in the same worker.
- ``tabs``: opens tabs (each its own browser context, i.e. its own cookies); every tab
  collects console errors, page errors and CSP violations, and every visited page must carry
  a Content-Security-Policy header. At teardown a tab with CSP enforced must have logged
  nothing. Tabs for axe are opened with ``bypass_csp=True`` (see ``axe.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from amtshilfe.browser_tests.axe import axe_path, axe_source
from amtshilfe.browser_tests.server import DemoServer, ServerError, demo_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 15_000

# Reports each CSP violation to the console, in case the browser's own message changes.
CSP_REPORTER = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error('CSP violation: ' + event.violatedDirective + ' blocked ' +
                (event.blockedURI || 'inline') + ' in ' + event.sourceFile + ':' +
                event.lineNumber);
});
"""


def unavailable(reason: str) -> None:
    """Skip, or fail where the browser tests must run (CI sets AMTSHILFE_BROWSER_TESTS_REQUIRED)."""
    if os.environ.get("AMTSHILFE_BROWSER_TESTS_REQUIRED", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"browser tests required but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("the Python package playwright is not installed (pip install -e '.[test]')")
    return CHROMIUM


@pytest.fixture(scope="session")
def axe(chromium: Path) -> str:
    path = axe_path()
    if path is None:
        unavailable(
            "axe-core is missing: set AMTSHILFE_AXE_PATH to axe.min.js, or run "
            "`npm install --prefix var/ci-node axe-core@4` (.ci/run does)"
        )
    assert path is not None
    return axe_source(path)


def _demo_commands_exist() -> bool:
    import importlib.util

    return all(
        importlib.util.find_spec(name) is not None
        for name in (
            "amtshilfe.demo.management.commands.demo",
            "amtshilfe.core.management.commands.serve",
        )
    )


@pytest.fixture(scope="session")
def demo(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    if not _demo_commands_exist():
        unavailable("the commands `amtshilfe demo` and `amtshilfe serve` do not exist yet")
    with ExitStack() as stack:
        try:
            server = stack.enter_context(demo_server(tmp_path_factory.mktemp("browser-data")))
        except ServerError as error:
            pytest.fail(str(error), pytrace=False)
        yield server


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Tab:
    """One page in a browser context of its own, with what it has seen."""

    page: Any
    demo: DemoServer
    enforces_csp: bool
    console_errors: list[str] = field(default_factory=list)
    pages_without_csp: list[str] = field(default_factory=list)
    error_pages: set[str] = field(default_factory=set)

    def goto(self, path: str, *, error_page: bool = False) -> Any:
        """Open ``path``; ``error_page``: a 4xx answer is expected, not a console error."""
        if error_page:
            self.error_pages.add(urljoin(self.demo.base_url, path))
        response = self.page.goto(path)
        assert response is not None, f"no response for {path}"
        return response

    def log_in(self, username: str, password: str | None = None) -> None:
        """Through the real login form, as a person would."""
        page = self.page
        self.goto("/konto/anmelden/")
        page.get_by_label("Benutzername").fill(username)
        page.get_by_label("Passwort", exact=False).first.fill(password or self.demo.password)
        page.locator("main").get_by_role("button", name="Anmelden").click()
        page.wait_for_url("**/start/")

    def log_out(self) -> None:
        self.page.locator("header").get_by_role("button", name="Abmelden").click()
        self.page.wait_for_load_state()

    def sections(self) -> set[str]:
        return set(
            self.page.locator("main [data-section]").evaluate_all(
                "nodes => nodes.map(n => n.dataset.section)"
            )
        )


class Tabs:
    def __init__(self, browser: Any, demo: DemoServer) -> None:
        self.browser = browser
        self.demo = demo
        self.opened: list[tuple[Any, Tab]] = []

    def open(self, *, bypass_csp: bool = False) -> Tab:
        context = self.browser.new_context(
            base_url=self.demo.base_url, locale="de-DE", bypass_csp=bypass_csp
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(CSP_REPORTER)
        tab = Tab(page=context.new_page(), demo=self.demo, enforces_csp=not bypass_csp)

        def on_console(message: Any) -> None:
            # Failed loads are reported with their address by on_response/on_failure instead.
            if message.type == "error" and not message.text.startswith("Failed to load resource"):
                tab.console_errors.append(f"{tab.page.url}: {message.text}")

        def on_response(response: Any) -> None:
            if response.request.resource_type == "document":
                policy = response.all_headers().get("content-security-policy", "")
                if "script-src 'self'" not in policy:
                    tab.pages_without_csp.append(f"{response.url}: {policy or '(none)'}")
            if response.status >= 400 and not self._expected_failure(tab, response.url):
                tab.console_errors.append(
                    f"{tab.page.url}: {response.url} answered {response.status}"
                )

        def on_failure(request: Any) -> None:
            if not self._expected_failure(tab, request.url):
                tab.console_errors.append(
                    f"{tab.page.url}: loading {request.url} failed: {request.failure}"
                )

        tab.page.on("console", on_console)
        tab.page.on(
            "pageerror",
            lambda error: tab.console_errors.append(f"{tab.page.url}: uncaught {error}"),
        )
        tab.page.on("response", on_response)
        tab.page.on("requestfailed", on_failure)
        self.opened.append((context, tab))
        return tab

    @staticmethod
    def _expected_failure(tab: Tab, url: str) -> bool:
        # Chromium asks for /favicon.ico by itself; Amtshilfe has no icon (yet), so 404.
        return url in tab.error_pages or urlsplit(url).path == "/favicon.ico"

    def close(self) -> list[str]:
        problems: list[str] = []
        for context, tab in self.opened:
            problems += [f"page without strict CSP header: {p}" for p in tab.pages_without_csp]
            if tab.enforces_csp:
                problems += [f"console: {e}" for e in tab.console_errors]
            context.close()
        self.opened.clear()
        return problems


@pytest.fixture
def tabs(browser: Any, demo: DemoServer) -> Iterator[Tabs]:
    opened = Tabs(browser, demo)
    yield opened
    problems = opened.close()
    assert not problems, "\n".join(problems) + f"\n(server log: {demo.log_path})"


@pytest.fixture
def tab(tabs: Tabs) -> Tab:
    return tabs.open()
