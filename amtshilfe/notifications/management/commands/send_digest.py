"""`amtshilfe send-digest`: the daily e-mail with collected notifications (run it from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from amtshilfe.notifications.services import send_digests


class Command(BaseCommand):
    help = "Sends each person who chose the daily digest one e-mail with their notifications."

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_digests()
        self.stdout.write(f"{count} Zusammenfassung(en) gesendet.")
