"""`amtshilfe warm-indicators`: compute the indicators of the usual periods ahead of readers.

Run hourly from cron (at least as often as ``AMTSHILFE_INDICATORS_CACHE_SECONDS``): every
registered figure of every network (or ``--network SLUG``) for the periods of the selector
without free dates – last 3 and 12 months, this year, last year – in every interface
language, written into the shared ``indicators`` cache. The dashboard, the CSV export, the API
and the public page then read finished figures; only free periods are computed on demand.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from amtshilfe.indicators import compute, periods
from amtshilfe.tenancy.models import Network

PERIODS = ("3m", "12m", "jahr", "vorjahr")


class Command(BaseCommand):
    help = "Computes the indicators of the usual periods for every network into the cache."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--network", help="only this network (slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        networks = Network.objects.order_by("pk")
        if options["network"]:
            networks = networks.filter(slug=options["network"])
            if not networks.exists():
                raise CommandError(f"Netzwerk „{options['network']}“ gibt es nicht.")
        today = timezone.localdate()
        started = time.perf_counter()
        figures = 0
        for network in networks:
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    for key in PERIODS:
                        period = periods.parse_period({"zeitraum": key}, today=today)
                        figures += compute.warm(network, period)
        seconds = time.perf_counter() - started
        self.stdout.write(f"{figures} Kennzahlen berechnet in {seconds:.1f} s.")
