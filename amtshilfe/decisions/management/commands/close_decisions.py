"""`amtshilfe close-decisions`: decide every vote whose deadline has passed (run it from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from amtshilfe.decisions.services import close_due_proposals


class Command(BaseCommand):
    help = "Counts the votes of every proposal whose deadline has passed and records the result."

    def handle(self, *args: Any, **options: Any) -> None:
        count = close_due_proposals()
        self.stdout.write(f"{count} Abstimmung(en) ausgezählt.")
