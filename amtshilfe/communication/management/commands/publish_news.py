"""``amtshilfe publish-news``: tell the audiences of scheduled news whose time has come.

Run it every few minutes (cron or a systemd timer). Scheduled news become *visible* at their
time without it; this command only sends the notifications, and never twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from amtshilfe.communication.services import publish_due_news


class Command(BaseCommand):
    help = "Benachrichtigt die Empfänger geplanter Neuigkeiten, deren Zeitpunkt gekommen ist."

    def handle(self, *args: Any, **options: Any) -> None:
        told = publish_due_news()
        self.stdout.write(f"{told} Neuigkeit(en) veröffentlicht.")
