"""Markdown for articles and pages: CommonMark + tables, sanitised, with heading anchors.

Internal links are written ``[[slug]]`` or ``[[slug|Text]]``; the caller resolves them.
Whatever the input, no script, event handler or ``javascript:`` URL survives: the HTML
produced by markdown-it is cleaned by nh3 with an allow-list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import nh3
from markdown_it import MarkdownIt

WIKI_LINK = re.compile(r"\[\[([a-z0-9][a-z0-9-]*)(?:\|([^\]\n]+))?\]\]")
WIKI_SCHEME = "wiki-link:"

ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
    "kbd",
    "mark",
    "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title"},
    "h1": {"id"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "code": {"class"},
    "span": {"class"},
}


@dataclass
class Heading:
    level: int
    text: str
    anchor: str


@dataclass
class Rendered:
    html: str
    headings: list[Heading] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    broken_links: list[str] = field(default_factory=list)


# Heading ids carry a prefix, so that a heading "Main" or "Content" can never take the id of
# an element of the page around the article (``id="main"``, skip links, forms).
ANCHOR_PREFIX = "abschnitt-"


def slugify_heading(text: str) -> str:
    """'Wann Sie eine Anfrage stellen sollten' -> 'abschnitt-wann-sie-eine-anfrage-stellen-sollten'."""
    text = text.lower().replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80]
    return f"{ANCHOR_PREFIX}{slug}" if slug else "abschnitt"


def heading_anchor(anchor: str) -> str:
    """An anchor stored before heading ids had their prefix, in today's form."""
    if not anchor or anchor == "abschnitt" or anchor.startswith(ANCHOR_PREFIX):
        return anchor
    return f"{ANCHOR_PREFIX}{anchor}"


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
        ["table", "strikethrough"]
    )


_md = _parser()


def render(source: str, resolve_link: Callable[[str], str | None] | None = None) -> Rendered:
    """Render ``source``; ``resolve_link(slug)`` returns the URL of an article or None."""
    links: list[str] = []
    broken: list[str] = []

    def replace(match: re.Match[str]) -> str:
        slug, label = match.group(1), (match.group(2) or match.group(1)).strip()
        links.append(slug)
        url = resolve_link(slug) if resolve_link else None
        if url is None:
            broken.append(slug)
            return f"[{label}]({WIKI_SCHEME}{slug})"
        return f"[{label}]({url})"

    tokens = _md.parse(WIKI_LINK.sub(replace, source))
    headings: list[Heading] = []
    used: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            text = tokens[index + 1].content.strip()
            anchor = base = slugify_heading(text)
            counter = 2
            while anchor in used:
                anchor, counter = f"{base}-{counter}", counter + 1
            used.add(anchor)
            token.attrSet("id", anchor)
            headings.append(Heading(level=int(token.tag[1]), text=text, anchor=anchor))
        if token.type == "inline" and token.children:
            for child in token.children:
                href = child.attrGet("href") if child.type == "link_open" else None
                if isinstance(href, str) and href.startswith(WIKI_SCHEME):
                    child.attrSet("href", "#")
                    child.attrSet("class", "broken-link")
                    child.attrSet("title", "Artikel nicht gefunden")
    html = _md.renderer.render(tokens, _md.options, {})
    return Rendered(html=sanitize(html), headings=headings, links=links, broken_links=broken)


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


@dataclass
class Section:
    anchor: str
    heading: str
    text: str


_INLINE_MARKUP = re.compile(r"(\*\*|~~|^>\s?|^\s*(?:[-*+]|\d+[.)])\s+)", re.MULTILINE)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
# "__" is markup only as a pair around text, at word boundaries ("__wichtig__ ist"); inside
# a word ("a__b") or as a Python-style name ("__init__") it is part of the text.
_UNDERSCORE_STRONG = re.compile(r"(?<![\w_])__(?![\s_])(.+?)(?<![\s_])__(?![\w_])")
_DUNDER = re.compile(r"[a-z][a-z0-9_]*")


def _strong_underscores(match: re.Match[str]) -> str:
    inner = match.group(1)
    return match.group(0) if _DUNDER.fullmatch(inner) else inner


def plain_text(source: str) -> str:
    text = WIKI_LINK.sub(lambda m: m.group(2) or m.group(1), source)
    text = _MD_LINK.sub(r"\1", text)
    # Code spans keep their text as written (identifiers, paths, "**" in a command).
    spans: list[str] = []

    def keep(match: re.Match[str]) -> str:
        spans.append(match.group(2))
        return f"\x00{len(spans) - 1}\x00"

    text = _CODE_SPAN.sub(keep, text)
    text = _INLINE_MARKUP.sub("", text)
    text = _UNDERSCORE_STRONG.sub(_strong_underscores, text).replace("`", "")
    text = re.sub("\x00(\\d+)\x00", lambda m: spans[int(m.group(1))], text)
    return re.sub(r"[ \t]+", " ", text).strip()


def split_sections(source: str) -> list[Section]:
    """Split at headings (any level) into sections with the anchors `render` gives them."""
    sections: list[Section] = []
    heading, anchor = "", ""
    lines: list[str] = []
    used: set[str] = set()
    in_code = False

    def flush() -> None:
        text = plain_text("\n".join(lines))
        if text or heading:
            sections.append(Section(anchor=anchor, heading=heading, text=text))

    for line in source.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
        match = None if in_code else re.match(r"^(#{1,6})\s+(.+?)\s*#*\s*$", line)
        if match:
            flush()
            heading = match.group(2).strip()
            anchor = base = slugify_heading(heading)
            counter = 2
            while anchor in used:
                anchor, counter = f"{base}-{counter}", counter + 1
            used.add(anchor)
            lines = []
        else:
            lines.append(line)
    flush()
    return sections
