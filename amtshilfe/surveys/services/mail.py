"""Delivery of invitations: an in-app notification and an e-mail carrying the one-click link.

The raw token must never be stored, so it cannot travel in a ``Notification`` row (whose
e-mail is built from stored fields). The in-app notification therefore links to the page
behind the login, and this module sends the e-mail with the token itself after commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import translation

from amtshilfe.accounts.models import User
from amtshilfe.notifications.models import Kind, Notification
from amtshilfe.notifications.services import notify, preference_for


def absolute(url: str) -> str:
    return settings.SITE_URL + url


def notify_in_app(*, recipients: Sequence[User], network: Any, title: str, url: str) -> None:
    """A ``survey`` notification in the app, without the generic e-mail (ours has the link).

    ``notify`` would also e-mail the notification; the token e-mail replaces that one, so
    the rows are marked "no e-mail" inside the same transaction, before anything is sent.
    (A ``notify(..., email=False)`` keyword would make this unnecessary – see the report.)
    """
    created = notify(recipients=recipients, network=network, kind=Kind.SURVEY, title=title, url=url)
    if created:
        Notification.objects.filter(pk__in=[n.pk for n in created]).update(
            email_state=Notification.EmailState.NONE
        )


def wants_mail(user: User) -> bool:
    return bool(user.is_active and user.email and preference_for(user).wants_email(Kind.SURVEY))


def send_after_commit(messages: list[tuple[User, str, str]]) -> None:
    """Send ``(user, subject, text)`` e-mails once the surrounding transaction has committed."""
    if not messages:
        return
    mails = [
        (subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
        for user, subject, text in messages
    ]
    transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))


def in_language(user: User) -> translation.override:
    """Compose a person's e-mail in their language."""
    return translation.override(user.language or settings.LANGUAGE_CODE)
