"""`amtshilfe remind-decisions`: remind members who have not voted before a deadline (cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from amtshilfe.decisions.services import send_voting_reminders


class Command(BaseCommand):
    help = "Reminds steering-group members who have not voted yet when a deadline is near."

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_voting_reminders()
        self.stdout.write(f"{count} Erinnerung(en) verschickt.")
