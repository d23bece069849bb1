"""axe-core in the browser: find the script, inject it, run the WCAG 2.1 A/AA rules.

axe-core comes from npm (``.ci/run`` installs it; it is not part of the repository and never
served by Amtshilfe). The page's strict CSP (``script-src 'self'``) forbids injecting it, so
axe runs in a browser context opened with ``bypass_csp=True``; CSP itself is checked in
ordinary contexts by the other tests.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

REPO_DIR = Path(__file__).resolve().parents[2]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Where `.ci/run` and developers put the npm package (both ignored by git).
CANDIDATES = [
    REPO_DIR / "var" / "ci-node" / "node_modules" / "axe-core" / "axe.min.js",
    REPO_DIR / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js",
    REPO_DIR / "node_modules" / "axe-core" / "axe.min.js",
]


def axe_path() -> Path | None:
    """``AMTSHILFE_AXE_PATH`` (the file or the package folder), else a known install place."""
    configured = os.environ.get("AMTSHILFE_AXE_PATH")
    if configured:
        path = Path(configured)
        if path.is_dir():
            path = path / "axe.min.js"
        return path if path.is_file() else None
    return next((path for path in CANDIDATES if path.is_file()), None)


@cache
def axe_source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def run_axe(page: Any, source: str) -> list[dict[str, Any]]:
    """The violations of the page as axe reports them (empty list = none)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    result: dict[str, Any] = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
        })""",
        WCAG_TAGS,
    )
    return list(result["violations"])


def describe(page_name: str, violations: list[dict[str, Any]]) -> str:
    """A readable report: rule, impact, help, and every offending element with its reason."""
    lines = []
    for violation in violations:
        lines.append(
            f"{page_name}: [{violation['impact']}] {violation['id']} – "
            f"{violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    {target}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"        {summary}")
    return "\n".join(lines)
