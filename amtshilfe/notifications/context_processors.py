"""Template context: the unread count for the header's "Benachrichtigungen" link."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import cached_property

from amtshilfe.notifications.models import Notification


class NotificationCounts:
    """Counted on first use only: one indexed query (user, read_at), none for other pages."""

    def __init__(self, user: Any) -> None:
        self._user = user

    @cached_property
    def unread(self) -> int:
        return Notification.objects.for_user(self._user).unread().count()


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_counts": NotificationCounts(user)}
