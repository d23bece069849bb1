"""Writes a person makes on their own account."""

from __future__ import annotations

from django.db import transaction

from amtshilfe.accounts.models import User
from amtshilfe.core.audit import record_event, snapshot

OWN_FIELDS = ("first_name", "last_name", "email", "phone", "language")


def update_own_account(
    *, user: User, first_name: str, last_name: str, email: str, phone: str, language: str
) -> User:
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = snapshot(locked, OWN_FIELDS)
        locked.first_name, locked.last_name = first_name.strip(), last_name.strip()
        locked.email, locked.phone, locked.language = email.strip(), phone.strip(), language
        locked.save()
        after = snapshot(locked, OWN_FIELDS)
        if before != after:
            record_event(
                action="account.updated",
                actor=locked,
                obj=locked,
                before={k: v for k, v in before.items() if after[k] != v},
                after={k: v for k, v in after.items() if before[k] != v},
            )
    return locked
