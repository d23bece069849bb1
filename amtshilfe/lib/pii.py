"""Personal data removed from text that leaves its context: what is sent to a language model,
and the search questions kept for the "unanswered searches" list.

E-mail addresses and telephone numbers (German and international forms: "0351 123456",
"+49 (0)3521 72-100", "03521/72100") are replaced by placeholders. Error codes, dates,
IP addresses and version numbers are left alone: they carry the question and are not
personal.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# A phone number: optional +CC or 0, then digit groups separated by space, slash, hyphen or
# "(0)", 6+ digits in all. Dates (12.03.2024), IPs (10.0.0.1) and hex codes (0x80070005)
# do not match: dots are no separator here and a leading "0x" is excluded.
PHONE = re.compile(
    r"(?<![\w.])(?:\+\d{1,3}[\s/-]?(?:\(0\)\s?)?|0)(?!x)\d{1,5}(?:[\s/-]?\(?\d{1,6}\)?){1,5}(?!\w|\.\d)"
)
EMAIL_PLACEHOLDER = "[E-Mail-Adresse entfernt]"
PHONE_PLACEHOLDER = "[Telefonnummer entfernt]"


def _phone(match: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    return PHONE_PLACEHOLDER if digits >= 6 else match.group(0)


def scrub(text: str) -> str:
    """``text`` without e-mail addresses and telephone numbers."""
    text = EMAIL.sub(EMAIL_PLACEHOLDER, text)
    return PHONE.sub(_phone, text)
