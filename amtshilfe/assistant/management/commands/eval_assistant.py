"""`amtshilfe eval-assistant FILE.jsonl`: citation accuracy, "weiß ich nicht", latency as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amtshilfe.accounts.models import User
from amtshilfe.assistant import bench
from amtshilfe.assistant.evaluation import evaluate
from amtshilfe.tenancy.models import Network


class Command(BaseCommand):
    help = "Evaluates the assistant on questions with gold article slugs; prints JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--network", help="network slug (default: the first network)")
        parser.add_argument("--user", help="ask as this user (default: a coordinator)")
        parser.add_argument("--misses", action="store_true", help="list the wrong answers")
        parser.add_argument(
            "--calibrate",
            action="store_true",
            help="fit the confidence model with cross-validation instead (assistant.bench)",
        )

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
            raise CommandError("Keine Person gefunden, mit deren Rechten gefragt werden kann.")
        if options["calibrate"]:
            rows = bench.collect(options["file"], network, user)
            result = {
                "with_similarity": bench.calibrate(rows, bench.FEATURES),
                "without_similarity": bench.calibrate(rows, bench.WITHOUT_SIMILARITY),
            }
            self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
            return
        result = evaluate(options["file"], network, user)
        if not options["misses"]:
            result.pop("misses")
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
