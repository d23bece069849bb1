"""A readable, line-based diff of two texts with the changed words inside a line marked.

The result is plain data (no HTML): templates render it with autoescaping, so nothing from
an article can become markup. Steps:

1. ``difflib.SequenceMatcher`` on the lines gives grouped opcodes with three lines of context;
   the gaps between groups become "n unchanged lines" rows.
2. A ``replace`` block pairs old and new lines in order; a pair that is similar enough gets a
   word-level diff (changed words marked), the rest are whole-line deletions and insertions.
3. Very long lines skip the word-level step (difflib is quadratic).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

CONTEXT_LINES = 3
SIMILAR_ENOUGH = 0.4
WORD_DIFF_MAX_CHARS = 4000
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)

RowKind = Literal["equal", "delete", "insert", "skip"]


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool = False


@dataclass
class Row:
    kind: RowKind
    old_number: int | None = None
    new_number: int | None = None
    segments: list[Segment] = field(default_factory=list)
    skipped: int = 0  # for kind == "skip": how many unchanged lines are left out
    paired: bool = False  # one side of a changed line (words marked), not a whole-line change

    @property
    def whole_line(self) -> bool:
        """True when the entire line is new or gone."""
        return not self.paired


@dataclass
class Diff:
    rows: list[Row]
    added: int
    removed: int

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed)


def _tokens(line: str) -> list[str]:
    return _TOKEN.findall(line)


def _word_diff(old: str, new: str) -> tuple[list[Segment], list[Segment]] | None:
    """Segments of ``old`` and ``new`` with changed words marked, or None if too different."""
    if len(old) > WORD_DIFF_MAX_CHARS or len(new) > WORD_DIFF_MAX_CHARS:
        return None
    a, b = _tokens(old), _tokens(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < SIMILAR_ENOUGH:
        return None
    old_segments: list[Segment] = []
    new_segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            text = "".join(a[i1:i2])
            old_segments.append(Segment(text))
            new_segments.append(Segment(text))
            continue
        if i2 > i1:
            old_segments.append(Segment("".join(a[i1:i2]), changed=True))
        if j2 > j1:
            new_segments.append(Segment("".join(b[j1:j2]), changed=True))
    return _merge(old_segments), _merge(new_segments)


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for segment in segments:
        if merged and merged[-1].changed == segment.changed:
            merged[-1] = Segment(merged[-1].text + segment.text, segment.changed)
        else:
            merged.append(segment)
    return merged


def _replace_rows(old: list[str], new: list[str], i1: int, j1: int) -> list[Row]:
    deleted: list[Row] = []
    inserted: list[Row] = []
    for offset in range(max(len(old), len(new))):
        old_line = old[offset] if offset < len(old) else None
        new_line = new[offset] if offset < len(new) else None
        words = (
            _word_diff(old_line, new_line)
            if old_line is not None and new_line is not None
            else None
        )
        if old_line is not None:
            segments = words[0] if words else [Segment(old_line)]
            deleted.append(
                Row("delete", old_number=i1 + offset + 1, segments=segments, paired=bool(words))
            )
        if new_line is not None:
            segments = words[1] if words else [Segment(new_line)]
            inserted.append(
                Row("insert", new_number=j1 + offset + 1, segments=segments, paired=bool(words))
            )
    return deleted + inserted


def diff_texts(old: str, new: str, *, context: int = CONTEXT_LINES) -> Diff:
    """Compare two texts line by line (see the module docstring)."""
    a, b = old.splitlines(), new.splitlines()
    if a == b:
        return Diff(rows=[], added=0, removed=0)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    rows: list[Row] = []
    added = removed = 0
    previous_end = 0
    for group in matcher.get_grouped_opcodes(context):
        first_old = group[0][1]
        if first_old > previous_end:
            rows.append(Row("skip", skipped=first_old - previous_end))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(
                    Row(
                        "equal",
                        old_number=i1 + k + 1,
                        new_number=j1 + k + 1,
                        segments=[Segment(a[i1 + k])],
                    )
                    for k in range(i2 - i1)
                )
            elif tag == "delete":
                rows.extend(
                    Row("delete", old_number=i + 1, segments=[Segment(a[i])]) for i in range(i1, i2)
                )
            elif tag == "insert":
                rows.extend(
                    Row("insert", new_number=j + 1, segments=[Segment(b[j])]) for j in range(j1, j2)
                )
            else:
                rows.extend(_replace_rows(a[i1:i2], b[j1:j2], i1, j1))
            removed += i2 - i1 if tag in ("delete", "replace") else 0
            added += j2 - j1 if tag in ("insert", "replace") else 0
        previous_end = group[-1][2]
    if rows and previous_end < len(a):
        rows.append(Row("skip", skipped=len(a) - previous_end))
    return Diff(rows=rows, added=added, removed=removed)
