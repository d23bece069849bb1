"""Numbers with thousands grouping in the active language (12.345 in German)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def number_de(value: Any, decimals: int | None = None) -> str:
    if value is None or value == "":
        return "–"
    return number_format(value, decimal_pos=decimals, force_grouping=True)
