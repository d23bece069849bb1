"""Amounts in euro as people type them in Germany."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms

from amtshilfe.decisions.forms import format_euro, parse_euro


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("12.500,00", Decimal("12500.00")),
        ("12500,5", Decimal("12500.50")),
        ("12 500 €", Decimal("12500.00")),
        ("12500.50", Decimal("12500.50")),
        ("1.234.567", Decimal("1234567.00")),
        ("0", Decimal("0.00")),
        ("", None),
    ],
)
def test_it_reads_german_amounts(text, amount):
    assert parse_euro(text) == amount


@pytest.mark.parametrize("text", ["viel", "-5", "1e12", "NaN", "12,5,0"])
def test_it_refuses_what_is_not_an_amount(text):
    with pytest.raises(forms.ValidationError):
        parse_euro(text)


def test_it_writes_amounts_the_german_way():
    assert format_euro(Decimal("1234567.5")) == "1.234.567,50"
    assert format_euro(None) == ""
