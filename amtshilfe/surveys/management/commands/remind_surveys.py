"""`amtshilfe remind-surveys`: close surveys past their last day, remind who has not answered.

Run daily from cron; a second run on the same day sends nothing (``last_reminded_on``).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from amtshilfe.surveys.services import close_due_surveys, send_survey_reminders


class Command(BaseCommand):
    help = "Closes surveys past their end and reminds invited people who have not answered."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = close_due_surveys()
        reminded = send_survey_reminders()
        self.stdout.write(f"{closed} Umfrage(n) beendet, {reminded} Erinnerung(en) verschickt.")
