"""Writes of communication: news (with revisions), events and registrations, directory entries.

Every service is keyword-only, typed, atomic, locks what it changes, raises ``ValidationError``
with German messages and records one audit event (CONVENTIONS #2).
"""

from amtshilfe.communication.services.directory import update_directory_entry
from amtshilfe.communication.services.events import (
    cancel_event,
    cancel_registration,
    create_event,
    register_for_event,
    update_event,
)
from amtshilfe.communication.services.news import create_news, publish_due_news, update_news

__all__ = [
    "cancel_event",
    "cancel_registration",
    "create_event",
    "create_news",
    "publish_due_news",
    "register_for_event",
    "update_directory_entry",
    "update_event",
    "update_news",
]
