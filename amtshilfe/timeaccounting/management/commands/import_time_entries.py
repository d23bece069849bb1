"""`amtshilfe import-time-entries FILE.csv [--network SLUG] [--skip-invalid] [--dry-run]`.

Format and rules: ``amtshilfe/timeaccounting/csv_import.py``. Every bad line goes to standard
error with its line number and reason; without --skip-invalid nothing is imported then and
the exit status is 1. Importing the same file again adds nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amtshilfe.tenancy.models import Network
from amtshilfe.timeaccounting.csv_import import import_time_entries


def find_network(slug: str | None) -> Network:
    """The network named with --network, or the only one there is."""
    if slug:
        network = Network.objects.filter(slug=slug).first()
        if network is None:
            raise ValidationError(_("Das Netzwerk „%(slug)s“ gibt es nicht.") % {"slug": slug})
        return network
    networks = list(Network.objects.order_by("slug")[:2])
    if len(networks) != 1:
        raise ValidationError(
            _("Bitte wählen Sie das Netzwerk mit --network KÜRZEL.")
            if networks
            else _("Es gibt noch kein Netzwerk.")
        )
    return networks[0]


class Command(BaseCommand):
    help = "Imports time entries from a CSV file (idempotent: the same file adds nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file (UTF-8, ; or , separated)")
        parser.add_argument("--network", default=None, help="slug of the network")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the valid lines, list the bad ones"
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count, save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("Die Datei „%(path)s“ gibt es nicht.") % {"path": path})
        try:
            network = find_network(options["network"])
            result = import_time_entries(
                actor=None,
                network=network,
                data=path.read_bytes(),
                skip_invalid=options["skip_invalid"],
                dry_run=options["dry_run"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        for problem in result.errors:
            self.stderr.write(str(problem))
        if result.error_count > len(result.errors):
            self.stderr.write(
                _("… und %(count)d weitere fehlerhafte Zeilen.")
                % {"count": result.error_count - len(result.errors)}
            )
        if result.refused:
            raise CommandError(
                ngettext(
                    "Nichts importiert: %(count)d Zeile ist fehlerhaft. Beheben Sie den Fehler "
                    "oder importieren Sie die übrigen Zeilen mit --skip-invalid.",
                    "Nichts importiert: %(count)d Zeilen sind fehlerhaft. Beheben Sie die "
                    "Fehler oder importieren Sie die übrigen Zeilen mit --skip-invalid.",
                    result.error_count,
                )
                % {"count": result.error_count}
            )
        summary = _(
            "%(lines)d Zeilen, %(imported)d neu importiert, %(already)d bereits vorhanden, "
            "%(invalid)d fehlerhaft übersprungen"
        ) % {
            "lines": result.lines,
            "imported": result.imported,
            "already": result.already_imported,
            "invalid": result.error_count,
        }
        if result.dry_run:
            message = _("Probelauf für „%(network)s“, nichts gespeichert: %(summary)s.")
            summary = _(
                "%(lines)d Zeilen, %(valid)d gültig, %(already)d bereits vorhanden, "
                "%(invalid)d fehlerhaft"
            ) % {
                "lines": result.lines,
                "valid": result.valid,
                "already": result.already_imported,
                "invalid": result.error_count,
            }
        else:
            message = _("Import in „%(network)s“ abgeschlossen: %(summary)s.")
        self.stdout.write(message % {"network": network.name, "summary": summary})
