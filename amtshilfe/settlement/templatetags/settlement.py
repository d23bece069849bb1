"""Template filters ``euro`` (cents) and ``stunden`` (minutes) for the settlement pages."""

from __future__ import annotations

from django import template

from amtshilfe.settlement import german

register = template.Library()


@register.filter
def euro(cents: int | None) -> str:
    return german.euro(cents)


@register.filter
def stunden(minutes: int | None) -> str:
    return german.hours(minutes)
