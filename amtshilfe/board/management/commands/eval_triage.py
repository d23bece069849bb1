"""`amtshilfe eval-triage FILE.jsonl`: cross-validated accuracy of triage as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amtshilfe.board.triage.evaluation import EvaluationError, evaluate
from amtshilfe.board.triage.routing import network_threshold
from amtshilfe.tenancy.models import Network


class Command(BaseCommand):
    help = (
        "Evaluates automatic triage by k-fold cross-validation on requests with "
        "expected_cluster; prints JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--network", help="network slug (default: the first network)")
        parser.add_argument(
            "--threshold", type=float, help="default: the network board's triage threshold"
        )
        parser.add_argument("--misses", action="store_true", help="list misclassified requests")

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
        threshold = options["threshold"]
        if threshold is None:
            threshold = network_threshold(network)
        try:
            result = evaluate(
                options["file"],
                network,
                folds=options["folds"],
                seed=options["seed"],
                threshold=threshold,
            )
        except EvaluationError as error:
            raise CommandError(str(error)) from error
        if not options["misses"]:
            result.pop("misses")
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
