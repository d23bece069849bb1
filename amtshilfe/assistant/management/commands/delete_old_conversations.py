"""`amtshilfe delete-old-conversations`: retention of the assistant's conversations.

Run daily (cron / systemd timer). Deletes conversations without activity for
``AMTSHILFE_ASSISTANT_RETENTION_DAYS`` days (default 30).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from amtshilfe.assistant.services import purge_old_conversations, retention_days


class Command(BaseCommand):
    help = "Deletes assistant conversations older than the retention time."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_old_conversations()
        self.stdout.write(
            f"{deleted} Gespräche mit dem Assistenten gelöscht "
            f"(ohne Aktivität seit mehr als {retention_days()} Tagen)."
        )
