"""One-click link tokens: random, shown once (in the e-mail), stored only as a SHA-256 hash.

1. ``new_token()`` draws 32 random bytes (``secrets.token_urlsafe``) – about 256 bits, so
   guessing is hopeless – and returns the raw token with its hash.
2. The database keeps only the hash (a leaked database reveals no usable link).
3. ``find_by_token()`` looks the hash up through the unique index and compares it again with
   ``hmac.compare_digest`` in constant time, so timing says nothing about near misses.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import TypeVar

from django.db import models

TOKEN_BYTES = 32
# token_urlsafe(32) gives 43 characters of [A-Za-z0-9_-]; anything else is not ours.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{40,60}")

_Model = TypeVar("_Model", bound=models.Model)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh random token and its hash: ``(raw, hash)``."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    return raw, hash_token(raw)


def find_by_token(queryset: models.QuerySet[_Model], raw: str) -> _Model | None:
    """The row of ``queryset`` whose ``token_hash`` belongs to ``raw``, or None."""
    if not TOKEN_PATTERN.fullmatch(raw or ""):
        return None
    digest = hash_token(raw)
    found = queryset.filter(token_hash=digest).first()
    if found is None or not hmac.compare_digest(getattr(found, "token_hash"), digest):  # noqa: B009
        return None
    return found
