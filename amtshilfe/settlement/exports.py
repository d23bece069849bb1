"""CSV (UTF-8 with BOM, ``;``) and PDF exports of statements and of a whole period.

Both take the statement bodies (as stored or as previewed) – never time entries – so an
export can show nothing a statement does not (no person, ADR 0012). PDFs use fpdf2 with
its built-in Helvetica (Latin-1): characters outside Latin-1 become "?".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from fpdf import FPDF

from amtshilfe.lib.spreadsheet import safe_cell
from amtshilfe.settlement.german import euro, hours

Row = list[Any]


def _statement_rows(body: dict[str, Any]) -> list[Row]:
    given, received, amounts = body["given"], body["received"], body["amounts"]
    rows: list[Row] = [
        [_("Abrechnung"), body["municipality"]["name"], body["period"]],
        [],
        [_("Abschnitt"), _("Gegenüber / Thema / Anfrage"), _("Minuten"), _("Betrag (Cent)")],
    ]
    for line in given["by_municipality"]:
        rows.append(
            [_("geleistet für"), line["municipality"], line["minutes"], line["amount_cents"]]
        )
    for line in given["by_cluster"]:
        rows.append([_("geleistet nach Thema"), line["cluster"], line["minutes"], ""])
    for line in received["by_municipality"]:
        rows.append(
            [_("empfangen von"), line["municipality"], line["minutes"], line["amount_cents"]]
        )
    for line in received["by_cluster"]:
        rows.append([_("empfangen nach Thema"), line["cluster"], line["minutes"], ""])
    for line in received["by_request"]:
        rows.append(
            [_("empfangen für Anfrage"), f"#{line['number']} {line['title']}", line["minutes"], ""]
        )
    rows += [
        [_("Saldo Minuten"), "", body["net_minutes"], ""],
        [_("Zeitkonto Minuten"), "", body["account"]["minutes"], ""],
        [_("Vergütung erhalten"), "", "", amounts["earned_cents"]],
        [_("Vergütung zu zahlen"), "", "", -amounts["owed_cents"]],
        [_("gemeinsame Arbeit"), "", "", amounts["common_work_credit_cents"]],
        [_("Budget"), "", "", amounts["budget_credit_cents"]],
        [_("Umlagebeitrag"), "", "", -amounts["contribution_cents"]],
        [_("Rundungsausgleich"), "", "", amounts["rounding_cents"]],
        [_("Saldo"), "", "", body["balance_cents"]],
    ]
    return rows


def _csv(rows: Iterable[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def statement_csv(body: dict[str, Any]) -> bytes:
    return _csv(_statement_rows(body))


def period_csv(
    label: str,
    status: str,
    content_hash: str,
    bodies: list[dict[str, Any]],
    transfers: list[dict[str, Any]],
) -> bytes:
    rows: list[Row] = [
        [_("Abrechnungszeitraum"), label, status, content_hash],
        [],
        [
            _("Kommune"),
            _("Minuten geleistet"),
            _("Minuten empfangen"),
            _("Saldo Minuten"),
            _("Umlagebeitrag (Cent)"),
            _("Saldo (Cent)"),
        ],
    ]
    for body in bodies:
        rows.append(
            [
                body["municipality"]["name"],
                body["given"]["minutes"] + body["given"]["common_minutes"],
                body["received"]["minutes"],
                body["net_minutes"],
                body["amounts"]["contribution_cents"],
                body["balance_cents"],
            ]
        )
    rows += [[], [_("Überweisung von"), _("an"), _("Betrag (Cent)")]]
    rows += [[t["from"], t["to"], t["amount_cents"]] for t in transfers]
    return _csv(rows)


class _Pdf(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.doc_title = title
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(_latin(title))
        self.set_creator("Amtshilfe")
        self.add_page()

    def header(self) -> None:
        self.set_font("Helvetica", "B", 13)
        self.cell(0, 8, _latin(self.doc_title), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 6, _latin(_("Seite %(page)s") % {"page": self.page_no()}), align="R")

    def line_row(self, cells: list[str], widths: list[int], bold: bool = False) -> None:
        self.set_font("Helvetica", "B" if bold else "", 9)
        for index, (text, width) in enumerate(zip(cells, widths, strict=True)):
            align = "R" if index > 0 and index >= len(cells) - 2 else "L"
            self.cell(width, 6, _latin(text)[:70], border="B", align=align)
        self.ln()


def _latin(text: str) -> str:
    text = text.replace("€", "EUR").replace("–", "-").replace("„", '"').replace("“", '"')
    return text.encode("latin-1", "replace").decode("latin-1")


def _pdf_statement(pdf: _Pdf, body: dict[str, Any]) -> None:
    widths = [55, 85, 25, 25]
    pdf.line_row(
        [_("Abschnitt"), _("Gegenüber / Thema / Anfrage"), _("Stunden"), _("Betrag")],
        widths,
        bold=True,
    )
    for row in _statement_rows(body)[3:]:
        section, what, minutes, cents = row
        pdf.line_row(
            [
                str(section),
                str(what),
                hours(minutes) if isinstance(minutes, int) else "",
                euro(cents) if isinstance(cents, int) else "",
            ],
            widths,
            bold=section == _("Saldo"),
        )


def statement_pdf(body: dict[str, Any], *, status: str, content_hash: str) -> bytes:
    title = _("Abrechnung %(name)s – %(label)s") % {
        "name": body["municipality"]["name"],
        "label": body["period"],
    }
    pdf = _Pdf(title)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 5, _latin(f"{_('Status')}: {status}"), new_x="LMARGIN", new_y="NEXT")
    if content_hash:
        pdf.multi_cell(0, 5, _latin(f"SHA-256: {content_hash}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _pdf_statement(pdf, body)
    return bytes(pdf.output())


def period_pdf(
    label: str,
    status: str,
    content_hash: str,
    bodies: list[dict[str, Any]],
    transfers: list[dict[str, Any]],
) -> bytes:
    pdf = _Pdf(_("Abrechnung des Netzwerks – %(label)s") % {"label": label})
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 5, _latin(f"{_('Status')}: {status}"), new_x="LMARGIN", new_y="NEXT")
    if content_hash:
        pdf.multi_cell(0, 5, _latin(f"SHA-256: {content_hash}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    widths = [70, 30, 30, 30, 30]
    pdf.line_row(
        [_("Kommune"), _("geleistet"), _("empfangen"), _("Umlage"), _("Saldo")], widths, bold=True
    )
    for body in bodies:
        pdf.line_row(
            [
                body["municipality"]["name"],
                hours(body["given"]["minutes"] + body["given"]["common_minutes"]),
                hours(body["received"]["minutes"]),
                euro(body["amounts"]["contribution_cents"]),
                euro(body["balance_cents"]),
            ],
            widths,
        )
    pdf.ln(4)
    pdf.line_row([_("Überweisung von"), _("an"), _("Betrag")], [80, 80, 30], bold=True)
    for transfer in transfers:
        pdf.line_row(
            [transfer["from"], transfer["to"], euro(transfer["amount_cents"])], [80, 80, 30]
        )
    for body in bodies:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(0, 7, _latin(body["municipality"]["name"]), new_x="LMARGIN", new_y="NEXT")
        _pdf_statement(pdf, body)
    return bytes(pdf.output())
