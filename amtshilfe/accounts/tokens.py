"""API token creation and verification (the secret is shown once, stored as a hash)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from amtshilfe.accounts.models import ApiToken, User
from amtshilfe.core.audit import record_event

TOKEN_PREFIX = "ah_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_api_token(*, user: User, name: str, actor: User | None = None) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the raw secret (shown only once)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100] or "API", prefix=raw[:10], key_hash=hash_token(raw)
        )
        record_event(
            action="api_token.created",
            actor=actor or user,
            obj=token,
            after={"user": user.username, "name": token.name},
        )
    return token, raw


def revoke_api_token(*, token: ApiToken, actor: User) -> None:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        record_event(action="api_token.revoked", actor=actor, obj=token)


def user_for_token(raw: str) -> User | None:
    """The active user owning ``raw``, or None. Touches last_used_at at most once a minute."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.usable().select_related("user").filter(key_hash=hash_token(raw)).first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
