"""`amtshilfe eval-search FILE.jsonl`: recall@1, recall@5, MRR of search as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amtshilfe.accounts.models import User
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.search.evaluation import evaluate


class Command(BaseCommand):
    help = "Evaluates search on questions with gold article slugs; prints JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--network", help="network slug (default: the only/first network)")
        parser.add_argument("--user", help="search as this user (default: a coordinator)")
        parser.add_argument("--misses", action="store_true", help="list questions not at rank 1")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["file"].exists():
            raise CommandError(f"Datei nicht gefunden: {options['file']}")
        networks = Network.objects.order_by("pk")
        network = (
            networks.filter(slug=options["network"]).first()
            if options["network"]
            else networks.first()
        )
        if network is None:
            raise CommandError("Kein Netzwerk gefunden.")
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
        else:
            user = User.objects.filter(
                network_roles__network=network, network_roles__role="coordinator"
            ).first()
        if user is None:
            raise CommandError("Keine Person gefunden, mit deren Rechten gesucht werden kann.")
        result = evaluate(options["file"], network, user)
        if not options["misses"]:
            result.pop("misses")
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
