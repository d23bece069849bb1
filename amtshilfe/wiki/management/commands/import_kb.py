"""`amtshilfe import-kb DIR [--network SLUG] [--skip-invalid] [--dry-run]`.

Imports Markdown articles with YAML front matter (format and rules: ``amtshilfe/wiki/kb_io.py``).
Every bad file is listed with its name and reason; without --skip-invalid nothing is imported
then and the exit status is 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amtshilfe.wiki.kb_io import find_network, import_directory


class Command(BaseCommand):
    help = "Imports knowledge-base articles (Markdown with YAML front matter), idempotent by id."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="directory with the *.md files")
        parser.add_argument("--network", default=None, help="slug of the network")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the valid files, list the bad ones"
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count, save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        if not directory.is_dir():
            raise CommandError(_("Das Verzeichnis „%(path)s“ gibt es nicht.") % {"path": directory})
        try:
            network = find_network(options["network"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        report = import_directory(
            network=network,
            directory=directory,
            skip_invalid=options["skip_invalid"],
            dry_run=options["dry_run"],
        )
        for problem in report.problems:
            self.stderr.write(str(problem))
        refused = report.problems and not options["skip_invalid"]
        if refused and not report.dry_run:
            raise CommandError(
                ngettext(
                    "Nichts importiert: %(count)d Datei ist fehlerhaft. Beheben Sie den Fehler "
                    "oder importieren Sie die übrigen Dateien mit --skip-invalid.",
                    "Nichts importiert: %(count)d Dateien sind fehlerhaft. Beheben Sie die "
                    "Fehler oder importieren Sie die übrigen Dateien mit --skip-invalid.",
                    report.bad_files,
                )
                % {"count": report.bad_files}
            )
        if report.dry_run:
            message = _("Probelauf für „%(network)s“, nichts gespeichert: %(summary)s.")
        else:
            message = _("Import in „%(network)s“ abgeschlossen: %(summary)s.")
        self.stdout.write(message % {"network": network.name, "summary": report.summary()})
        if refused:
            raise CommandError(
                ngettext(
                    "%(count)d Datei ist fehlerhaft.",
                    "%(count)d Dateien sind fehlerhaft.",
                    report.bad_files,
                )
                % {"count": report.bad_files}
            )
