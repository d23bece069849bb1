"""Creating notifications, sending their e-mails (at once or as a daily digest), marking read.

Callers decide *who* may learn *what* (e.g. the board never passes administration staff
for an internal comment); this module only delivers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail, send_mass_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.core.audit import record_event
from amtshilfe.notifications.models import Kind, Notification, NotificationPreference


def preference_for(user: User) -> NotificationPreference:
    """The person's preference, or the defaults (not saved) when they never chose."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user=user)


def _absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def notify(
    *,
    recipients: Iterable[User],
    network: Any | None,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
) -> list[Notification]:
    """Create one notification per recipient (inactive accounts skipped, duplicates merged).

    E-mails follow each person's preference: none for kinds they switched off, collected for
    the daily digest, or sent right after the surrounding transaction commits.
    """
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    people = {user.pk: user for user in recipients if user.is_active}
    if not people:
        return []
    preferences = {
        pref.user_id: pref for pref in NotificationPreference.objects.filter(user_id__in=people)
    }
    rows = []
    for user_id, user in people.items():
        pref = preferences.get(user_id)
        if not user.email or (pref is not None and not pref.wants_email(kind)):
            state = Notification.EmailState.NONE
        elif pref is not None and pref.digest:
            state = Notification.EmailState.DIGEST
        else:
            state = Notification.EmailState.PENDING
        rows.append(
            Notification(
                user=user,
                network=network,
                kind=kind,
                title=title[:200],
                body=body,
                url=url[:300],
                email_state=state,
            )
        )
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        pending = [n.pk for n in created if n.email_state == Notification.EmailState.PENDING]
        if pending:
            transaction.on_commit(lambda: send_pending_emails(pending))
    return created


def send_pending_emails(notification_ids: list[int]) -> int:
    """Send the e-mails of these notifications that still wait (runs after commit)."""
    notifications = list(
        Notification.objects.filter(
            pk__in=notification_ids, email_state=Notification.EmailState.PENDING
        ).select_related("user")
    )
    messages = []
    for notification in notifications:
        with translation.override(notification.user.language or settings.LANGUAGE_CODE):
            text = notification.body
            if notification.url:
                text += "\n\n" + _("Öffnen: %(url)s") % {"url": _absolute(notification.url)}
            footer = _("Einstellungen zu Benachrichtigungen finden Sie in Ihrem Konto.")
            messages.append(
                (
                    _("Amtshilfe: %(title)s") % {"title": notification.title},
                    f"{text}\n\n-- \n{footer}\n",
                    settings.DEFAULT_FROM_EMAIL,
                    [notification.user.email],
                )
            )
    if not messages:
        return 0
    sent = send_mass_mail(messages, fail_silently=True)
    Notification.objects.filter(
        pk__in=[n.pk for n in notifications], email_state=Notification.EmailState.PENDING
    ).update(email_state=Notification.EmailState.SENT, emailed_at=timezone.now())
    return sent


def send_digests(*, now: dt.datetime | None = None) -> int:
    """Send every person with collected notifications one e-mail listing them all.

    1. Lock the notifications waiting for the digest (a second run waits, then finds none).
    2. Group them by person, oldest first, and send one e-mail per person.
    3. Mark them sent. Returns the number of e-mails sent.
    """
    now = now or timezone.now()
    with transaction.atomic():
        waiting = list(
            Notification.objects.waiting_for_digest()
            .select_for_update()
            .select_related("user")
            .order_by("user_id", "created_at", "id")
        )
        by_user: dict[int, list[Notification]] = defaultdict(list)
        for notification in waiting:
            by_user[notification.user_id].append(notification)
        count = 0
        for items in by_user.values():
            user = items[0].user
            if not user.is_active or not user.email:
                continue
            with translation.override(user.language or settings.LANGUAGE_CODE):
                lines = [
                    _("Guten Tag %(name)s,") % {"name": user.full_name},
                    "",
                    _("das ist seit der letzten Zusammenfassung in Amtshilfe passiert:"),
                    "",
                ]
                for item in items:
                    lines.append(
                        f"- {timezone.localtime(item.created_at):%d.%m.%Y %H:%M} {item.title}"
                    )
                    if item.url:
                        lines.append(f"  {_absolute(item.url)}")
                lines += [
                    "",
                    "-- ",
                    _("Einstellungen zu Benachrichtigungen finden Sie in Ihrem Konto."),
                ]
                subject = _("Amtshilfe: Ihre Zusammenfassung vom %(date)s") % {
                    "date": f"{timezone.localtime(now):%d.%m.%Y}"
                }
            count += send_mail(
                subject, "\n".join(lines) + "\n", settings.DEFAULT_FROM_EMAIL, [user.email]
            )
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
            email_state=Notification.EmailState.SENT, emailed_at=now
        )
    return count


def mark_read(*, user: User, notification: Notification | None = None) -> int:
    """Mark one notification (or, without one, all of the person's) as read."""
    if notification is not None and notification.user_id != user.pk:
        raise PermissionDenied
    rows = Notification.objects.for_user(user).unread()
    if notification is not None:
        rows = rows.filter(pk=notification.pk)
    with transaction.atomic():
        return rows.update(read_at=timezone.now())


def set_notification_preferences(
    *, user: User, email_off_kinds: Iterable[str], digest: bool
) -> NotificationPreference:
    """Save which kinds come by e-mail and whether e-mails are collected into a daily digest."""
    kinds = sorted(set(email_off_kinds))
    unknown = [kind for kind in kinds if kind not in Kind.values]
    if unknown:
        raise ValidationError({"email_off_kinds": _("Unbekannte Art von Benachrichtigung.")})
    with transaction.atomic():
        pref, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
        before = {"email_off_kinds": pref.email_off_kinds, "digest": pref.digest}
        pref.email_off_kinds, pref.digest = kinds, digest
        pref.save()
        after = {"email_off_kinds": kinds, "digest": digest}
        if before != after:
            record_event(
                action="notification_preference.changed",
                actor=user,
                obj=pref,
                before=before,
                after=after,
            )
    return pref
