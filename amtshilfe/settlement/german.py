"""German display of money (cents) and hours (minutes) for pages and exports."""

from __future__ import annotations


def euro(cents: int | None) -> str:
    """``123456`` → ``1.234,56 €``; negative amounts keep their sign."""
    if cents is None:
        return "–"
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(int(cents)), 100)
    return f"{sign}{whole:,}".replace(",", ".") + f",{rest:02d} €"


def hours(minutes: int | None) -> str:
    """``90`` → ``1,5 Std.`` (two decimals at most, German comma)."""
    if minutes is None:
        return "–"
    text = f"{minutes / 60:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    text = text.rstrip("0").rstrip(",")
    return f"{text} Std."
