"""`amtshilfe settle --network SLUG --period 2026-10 [--json] [--review] [--close]`.

Prints the statements and transfers of a period: the preview (computed now) unless the
period is in review or closed (then what is stored). ``--review`` starts the review,
``--close`` closes a period in review whose objection deadline has passed – both as the
system (no person), recorded in the audit log.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amtshilfe.settlement import reading, services
from amtshilfe.settlement.german import euro, hours
from amtshilfe.tenancy.models import Network


class Command(BaseCommand):
    help = "Zeigt (und schließt) die Abrechnung eines Zeitraums: 2026-10, 2026-Q4 oder 2026."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--network", required=True, help="Kürzel des Netzwerks")
        parser.add_argument("--period", required=True, help="2026-10, 2026-Q4 oder 2026")
        parser.add_argument("--json", action="store_true", help="Ausgabe als JSON")
        parser.add_argument("--review", action="store_true", help="zur Prüfung freigeben")
        parser.add_argument("--close", action="store_true", help="endgültig abschließen")

    def handle(self, *args: Any, **options: Any) -> None:
        network = Network.objects.filter(slug=options["network"]).first()
        if network is None:
            raise CommandError(f"Netzwerk „{options['network']}“ gibt es nicht.")
        try:
            if options["review"]:
                services.start_review(actor=None, network=network, label=options["period"])
            if options["close"]:
                services.close_settlement_period(
                    actor=None, network=network, label=options["period"]
                )
            view = reading.period_view(user=None, network=network, label=options["period"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if options["json"]:
            self.stdout.write(json.dumps(as_json(view), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"Abrechnung {view.spec.label} ({view.status_label}) – {view.scheme['label']}"
        )
        if view.content_hash:
            self.stdout.write(f"Prüfsumme: {view.content_hash}")
        for body in view.bodies:
            self.stdout.write(
                f"  {body['municipality']['name']:<30} geleistet {hours(body['given']['minutes']):>12}"
                f"  empfangen {hours(body['received']['minutes']):>12}"
                f"  Saldo {euro(body['balance_cents']):>14}"
            )
        self.stdout.write("Überweisungen:" if view.transfers else "Keine Überweisungen.")
        for transfer in view.transfers:
            self.stdout.write(
                f"  {transfer['from']} → {transfer['to']}: {euro(transfer['amount_cents'])}"
            )


def as_json(view: reading.PeriodView) -> dict[str, Any]:
    return {
        "period": {
            "label": view.spec.label,
            "kind": view.spec.kind,
            "starts_on": view.spec.starts_on.isoformat(),
            "ends_on": view.spec.ends_on.isoformat(),
            "status": view.status,
            "content_hash": view.content_hash,
        },
        "scheme": view.scheme,
        "statements": view.bodies,
        "transfers": view.transfers,
        "sum_of_balances_cents": view.total_balance,
    }
