"""A computed figure as pages and exports show it: table cells, key numbers, notes, CSV rows.

One place decides how a value looks, so the dashboard, the process page, the public website
and the CSV export agree: a suppressed value (``None``) is "–" on pages and an empty cell in
CSV, followed by the note why; never the number.

CSV convention (German spreadsheet programs): UTF-8 with BOM, ``;`` between cells, decimal
comma without thousands separator (``1234,5``), at most four decimals, text through
``lib.spreadsheet.safe_cell`` (no formulas from user text).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from amtshilfe.indicators.charts import value_display
from amtshilfe.indicators.compute import Computed
from amtshilfe.indicators.figures import Figure, min_group_size
from amtshilfe.lib.spreadsheet import safe_cell


@dataclass(frozen=True)
class Cell:
    text: str
    number: bool = False
    suppressed: bool = False


@dataclass(frozen=True)
class ShownKeyNumber:
    label: str
    display: str
    suppressed: bool


@dataclass
class Shown:
    """What the template of one figure needs."""

    key: str
    section: str
    figure: Figure
    svg: SafeString
    failed: bool
    header: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    key_numbers: list[ShownKeyNumber] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"kennzahl-{self.key}"

    @property
    def exportable(self) -> bool:
        return not self.failed and (bool(self.rows) or bool(self.key_numbers))


def suppression_note() -> str:
    return _("– = weniger als %(k)s Fälle, aus Datenschutzgründen nicht angezeigt") % {
        "k": min_group_size()
    }


def cell(value: object) -> Cell:
    if value is None:
        return Cell("–", number=True, suppressed=True)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return Cell(str(value))
    return Cell(value_display(value), number=True)


def has_suppressed(figure: Figure) -> bool:
    _header, rows = figure.table()
    return bool(figure.suppressed) or any(value is None for row in rows for value in row)


def shown(item: Computed) -> Shown:
    figure = item.figure
    result = Shown(item.key, item.section, figure, item.svg, item.failed)
    if item.failed:
        result.notes = [_("Diese Kennzahl konnte gerade nicht berechnet werden.")]
        return result
    if figure.has_table:
        header, rows = figure.table()
        result.header = [str(h) for h in header]
        result.rows = [[cell(value) for value in row] for row in rows]
    result.key_numbers = [
        ShownKeyNumber(
            label=str(number.label),
            # Never trust a display string next to a suppressed value.
            display="–" if number.value is None else str(number.display),
            suppressed=number.value is None,
        )
        for number in figure.key_numbers
    ]
    result.notes = [str(note) for note in figure.notes]
    # The figure's own note on "–" is more precise than the general one.
    if has_suppressed(figure) and not any(note.startswith("–") for note in result.notes):
        result.notes.append(suppression_note())
    return result


def shown_all(items: list[Computed]) -> list[Shown]:
    return [shown(item) for item in items]


# --- CSV ----------------------------------------------------------------------------------


def csv_value(value: object) -> object:
    """One CSV cell: empty for suppressed, decimal comma for numbers, safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return safe_cell(str(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.4f}".rstrip("0").rstrip(".")
        return ("0" if text == "-0" else text).replace(".", ",")
    return safe_cell(str(value))


def csv_rows(figure: Figure) -> list[list[object]]:
    """The figure's table as CSV rows (key numbers when it has no table), then the note."""
    if figure.has_table:
        header, rows = figure.table()
    else:
        header = [_("Angabe"), _("Wert")]
        rows = [[number.label, number.value] for number in figure.key_numbers]
    lines: list[list[object]] = [[csv_value(str(h)) for h in header]]
    lines += [[csv_value(value) for value in row] for row in rows]
    if has_suppressed(figure):
        lines.append(
            [
                _("leer = weniger als %(k)s Fälle, aus Datenschutzgründen nicht angegeben")
                % {"k": min_group_size()}
            ]
        )
    return lines
