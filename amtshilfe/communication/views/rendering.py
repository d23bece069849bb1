"""User-written Markdown as HTML, and event times in words (Europe/Berlin)."""

from __future__ import annotations

from amtshilfe.lib.markdown import render


def markdown_html(text: str) -> str:
    """Sanitised HTML: no script, event handler or ``javascript:`` URL survives (nh3)."""
    if not text:
        return ""
    return render(text).html
