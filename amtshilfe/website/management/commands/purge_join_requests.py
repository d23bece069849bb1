"""`amtshilfe purge-join-requests`: delete decided join requests after a year (run it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from amtshilfe.website.services import JOIN_REQUEST_RETENTION_DAYS, purge_join_requests


class Command(BaseCommand):
    help = (
        f"Deletes join requests decided more than {JOIN_REQUEST_RETENTION_DAYS} days ago "
        "(the retention period of the Datenschutzerklärung)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = purge_join_requests()
        self.stdout.write(f"{count} Beitrittsanfrage(n) gelöscht.")
