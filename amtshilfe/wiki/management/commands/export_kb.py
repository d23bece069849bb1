"""`amtshilfe export-kb DIR [--network SLUG]`: published articles as ``DIR/<slug>.md``.

The files have the format that `amtshilfe import-kb` reads (``amtshilfe/wiki/kb_io.py``), so
an export imported again changes nothing. Drafts, articles waiting for their first review and
archived articles are not exported; existing files in DIR are overwritten, others left alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from amtshilfe.wiki.kb_io import export_directory, find_network


class Command(BaseCommand):
    help = "Exports the published knowledge-base articles as Markdown with YAML front matter."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="target directory (created if missing)")
        parser.add_argument("--network", default=None, help="slug of the network")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        if directory.exists() and not directory.is_dir():
            raise CommandError(_("„%(path)s“ ist kein Verzeichnis.") % {"path": directory})
        try:
            network = find_network(options["network"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        report = export_directory(network=network, directory=directory)
        message = _("%(summary)s aus „%(network)s“ nach %(path)s.") % {
            "summary": report.summary(),
            "network": network.name,
            "path": directory,
        }
        if report.left_out:
            message += " " + _(
                "%(count)d nicht veröffentlichte oder archivierte Artikel wurden ausgelassen."
            ) % {"count": report.left_out}
        self.stdout.write(message)
