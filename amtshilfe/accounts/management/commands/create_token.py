"""`amtshilfe create-token USERNAME`: print a new API token for a person."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amtshilfe.accounts.models import User
from amtshilfe.accounts.tokens import create_api_token


class Command(BaseCommand):
    help = "Creates an API token for USERNAME and prints it (it is stored only as a hash)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="Kommandozeile", help="label of the token")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(
                f"Kein aktives Konto mit dem Benutzernamen {options['username']!r}."
            ) from exc
        _, raw = create_api_token(user=user, name=options["name"])
        self.stdout.write(raw)
