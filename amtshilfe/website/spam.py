"""Spam protection of the public join form without third parties.

1. A honeypot field that people do not see (hidden by CSS, skipped by keyboard and screen
   readers) – bots that fill every field give themselves away.
2. A signed timestamp in the form: a submission sooner than ``MIN_FILL_SECONDS`` after the
   form was shown, or with a missing or forged stamp, is refused.
3. At most ``MAX_PER_HOUR`` submissions per client IP and hour (counted in the cache).
"""

from __future__ import annotations

import time

from django.core import signing
from django.core.cache import cache

MIN_FILL_SECONDS = 3
MAX_FORM_AGE_SECONDS = 24 * 3600
MAX_PER_HOUR = 10
SALT = "amtshilfe.website.join-form"
HONEYPOT_FIELD = "homepage"


def form_stamp() -> str:
    return signing.dumps(time.time(), salt=SALT)


def seconds_since(stamp: str) -> float | None:
    """Seconds since the form with ``stamp`` was shown; None if the stamp is not ours."""
    try:
        shown = float(signing.loads(stamp, salt=SALT, max_age=MAX_FORM_AGE_SECONDS))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return time.time() - shown


def too_fast(stamp: str) -> bool:
    elapsed = seconds_since(stamp)
    return elapsed is None or elapsed < MIN_FILL_SECONDS


def over_rate_limit(ip_address: str | None) -> bool:
    """Count one submission for ``ip_address``; True once it exceeds the hourly limit."""
    key = f"website:join-rate:{ip_address or 'unknown'}:{int(time.time() // 3600)}"
    if cache.add(key, 1, timeout=3600):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > MAX_PER_HOUR
