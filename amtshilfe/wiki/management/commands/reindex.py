"""`amtshilfe reindex [--network SLUG]`: rebuild the search index (embeddings are cached)."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.models import Article
from amtshilfe.wiki.search.indexer import reindex_network


class Command(BaseCommand):
    help = "Rebuilds the search index of one or all networks, with progress."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--network", help="network slug (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        networks = Network.objects.order_by("pk")
        if options["network"]:
            networks = networks.filter(slug=options["network"])
        for network in networks:
            total = Article.objects.filter(network=network).count()
            started = time.perf_counter()

            def progress(done: int, total: int = total, slug: str = network.slug) -> None:
                if sys.stdout.isatty() or done == total or done % 100 == 0:
                    self.stdout.write(f"\r{slug}: {done}/{total} Artikel", ending="")

            passages = reindex_network(network, progress=progress)
            self.stdout.write(
                f"\n{network.slug}: {passages} Abschnitte in {time.perf_counter() - started:.1f} s"
            )
