"""CSV (UTF-8 BOM, ``;``, no formulas) and PDF exports built from statement bodies."""

from __future__ import annotations

from amtshilfe.board.models import ServiceRequest
from amtshilfe.lib.spreadsheet import safe_cell
from amtshilfe.settlement import exports
from amtshilfe.settlement.services import preview_settlement
from amtshilfe.settlement.tests.data import book_example, scheme


def test_it_writes_csv_without_formulas(personas):
    requests = book_example(personas)
    ServiceRequest.objects.filter(pk=requests["request_b"].pk).update(title="=HYPERLINK(1)")
    scheme(personas)
    body = (
        preview_settlement(network=personas.network, label="2026-10")
        .statement_for(personas.b.pk)
        .body
    )
    data = exports.statement_csv(body)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "\r\n" in text and "Saldo;;;-12000" in text
    assert "'#" not in text and "#1 =HYPERLINK(1)" in text  # starts with "#", harmless
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("-5") == "'-5"


def test_it_writes_a_pdf_for_a_statement_and_the_period(personas):
    book_example(personas)
    scheme(personas)
    result = preview_settlement(network=personas.network, label="2026-10")
    bodies = [s.body for s in result.statements]
    pdf = exports.statement_pdf(bodies[0], status="Vorschau", content_hash="")
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    transfers = [{"from": "Meißen", "to": "Riesa", "amount_cents": 12000}]
    assert exports.period_pdf("2026-10", "Vorschau", "", bodies, transfers).startswith(b"%PDF")
