"""Cells for CSV files that people open in a spreadsheet program."""

from __future__ import annotations

from typing import Any

# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """No formulas from user text (CSV injection): text starting like one gets a leading '.

    Other values (numbers, dates) are returned unchanged.
    """
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value
