"""The answer without a language model: the concrete steps of the best passage(s).

Passages in the index are plain text (list markers removed); the answer needs the steps as
written, so the article's Markdown is split again at headings with exactly the anchors the
article page gives them (``lib.markdown.slugify_heading`` with the same numbering), and the
section behind the search hit's anchor is taken from there.

Algorithm for one answer:

1. The best passage of the top article (where the search hit opens) is the core.
2. If that section has no steps (an introduction, "Typische Meldungen") and the article has
   a section with an ordered list ("So gehen Sie vor"), that section follows it: people
   asked how to solve something.
3. A bullet list of error messages is narrowed to the bullets that share words with the
   question (the one message they saw), when some do.
4. Cleaned: wiki links become their label, images, HTML and headings inside a section go;
   ordered and bullet lists stay; long sections are cut at a list item or paragraph border.
5. A short German lead sentence names the article; the citations link each used section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from amtshilfe.lib.markdown import WIKI_LINK, slugify_heading
from amtshilfe.wiki.search.analysis import content_words, stem

MAX_SECTION_CHARS = 1400
MAX_ANSWER_CHARS = 2400
CONTEXT_CHARS = 450  # an introduction shown before the steps
ORDERED_ITEM = re.compile(r"^\s{0,3}\d+[.)]\s+")
BULLET_ITEM = re.compile(r"^\s{0,3}[-*+]\s+")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# Sections that are never the answer itself (they say when to file a request).
HANDOVER_HEADINGS = ("wann sie eine anfrage", "anfrage stellen")


@dataclass
class RawSection:
    anchor: str
    heading: str
    markdown: str

    @property
    def has_steps(self) -> bool:
        return any(ORDERED_ITEM.match(line) for line in self.markdown.splitlines())

    @property
    def is_handover(self) -> bool:
        heading = self.heading.lower()
        return any(marker in heading for marker in HANDOVER_HEADINGS)


def raw_sections(body: str) -> list[RawSection]:
    """Sections of ``body`` as Markdown, with the anchors ``lib.markdown`` gives headings."""
    sections: list[RawSection] = []
    heading, anchor = "", ""
    lines: list[str] = []
    used: set[str] = set()
    in_code = False

    def flush() -> None:
        text = "\n".join(lines).strip()
        if text or heading:
            sections.append(RawSection(anchor=anchor, heading=heading, markdown=text))

    for line in body.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
        match = None if in_code else HEADING.match(line)
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


def clean(markdown: str) -> str:
    """Section Markdown fit for an answer: no wiki links, images or HTML; lists kept."""
    text = WIKI_LINK.sub(lambda m: (m.group(2) or m.group(1)).strip(), markdown)
    text = IMAGE.sub("", text)
    text = HTML_TAG.sub("", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _blocks(markdown: str) -> list[str]:
    """List items and paragraphs (a list item keeps its continuation lines)."""
    blocks: list[str] = []
    for line in markdown.splitlines():
        if ORDERED_ITEM.match(line) or BULLET_ITEM.match(line) or not blocks:
            blocks.append(line)
        elif not line.strip():
            blocks.append("")
        elif blocks[-1] == "":
            blocks[-1] = line
        else:
            blocks[-1] += "\n" + line
    return [block for block in blocks if block.strip()]


def shorten(markdown: str, limit: int = MAX_SECTION_CHARS) -> str:
    """Cut at a block border before ``limit`` characters (never inside a step)."""
    if len(markdown) <= limit:
        return markdown
    kept: list[str] = []
    length = 0
    for block in _blocks(markdown):
        if kept and length + len(block) > limit:
            break
        kept.append(block)
        length += len(block) + 1
    return _join(kept) + "\n\n…"


def _join(blocks: list[str]) -> str:
    """Blocks back to Markdown: list items one per line, paragraphs separated."""
    out = ""
    previous_item = False
    for block in blocks:
        item = bool(ORDERED_ITEM.match(block) or BULLET_ITEM.match(block))
        if out:
            out += "\n" if item and previous_item else "\n\n"
        out += block
        previous_item = item
    return out


def _stems(text: str) -> set[str]:
    return {stem(word) for word in content_words(text) if len(word) >= 3}


def narrow_bullets(markdown: str, question: str) -> str:
    """Of a pure bullet list, the bullets sharing the most words with the question."""
    blocks = _blocks(markdown)
    if len(blocks) < 3 or not all(BULLET_ITEM.match(block) for block in blocks):
        return markdown
    wanted = _stems(question)
    scored = [(len(wanted & _stems(block)), i) for i, block in enumerate(blocks)]
    best = max(score for score, _ in scored)
    if best < 2:
        return markdown
    return _join([blocks[i] for score, i in scored if score == best])


def find_section(sections: list[RawSection], anchor: str) -> RawSection | None:
    for section in sections:
        if section.anchor == anchor:
            return section
    return None


def answer_sections(sections: list[RawSection], anchor: str) -> list[RawSection]:
    """The sections to show for a hit at ``anchor`` (steps 1-2 of the module docstring)."""
    core = find_section(sections, anchor)
    if core is None or core.is_handover or not core.markdown:
        core = next((s for s in sections if s.has_steps), None) or next(
            (s for s in sections if s.markdown and not s.is_handover), None
        )
    if core is None:
        return []
    chosen = [core]
    if not core.has_steps:
        steps = next((s for s in sections if s.has_steps and s is not core), None)
        if steps is not None:
            chosen.append(steps)
    return chosen


def section_markdown(section: RawSection, question: str, *, context: bool = False) -> str:
    """One section for the answer; ``context``: it only leads to the steps, keep it short."""
    body = clean(section.markdown)
    if not section.has_steps:
        body = narrow_bullets(body, question)
    body = shorten(body, CONTEXT_CHARS if context else MAX_SECTION_CHARS)
    if section.heading:
        return f"**{section.heading}**\n\n{body}"
    return body


def lead_sentence(title: str, *, several: bool = False) -> str:
    if several:
        return f"Dazu passen mehrere Anleitungen aus dem Wissen des Netzwerks, zuerst „{title}“:"
    return f"Dazu passt die Anleitung „{title}“ aus dem Wissen des Netzwerks:"
