"""`amtshilfe demo [--no-serve] [--port N] [--host H]`: from an empty data directory to a demo.

1. migrate the database (SQLite under AMTSHILFE_DATA_DIR, or DATABASE_URL);
2. collect the static files, unless in debug or test mode (production uses WhiteNoise's
   manifest storage, which needs them);
3. load the demo network "Landkreis Meißen" (idempotent, see ``amtshilfe/demo/loader.py``)
   and, the first time, build the search index of its articles;
4. print the demo logins;
5. serve it with the production WSGI server (`amtshilfe serve`), unless --no-serve.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.demo import cast
from amtshilfe.demo.loader import DemoLoadResult, load_demo_network
from amtshilfe.tenancy.models import Membership, NetworkRole

DEFAULT_DEMO_PASSWORD = "amtshilfe-demo"


class Command(BaseCommand):
    help = "Migrates, loads the demo network Landkreis Meißen and serves it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-serve", action="store_true", help="only prepare the database and the demo data"
        )
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        if connection.vendor == "sqlite":
            settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        self.stdout.write(_("Datenbank wird eingerichtet …"))
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
        if not (settings.DEBUG or settings.TESTING):
            self.stdout.write(_("Statische Dateien werden gesammelt …"))
            call_command("collectstatic", interactive=False, verbosity=max(0, verbosity - 1))
        self.stdout.write(_("Demo-Daten werden geladen …"))
        result = load_demo_network()
        self.stdout.write(self._summary(result))
        self.stdout.write(self._logins(result))
        if not options["no_serve"]:
            call_command("serve", port=options["port"], host=options["host"])

    def _summary(self, result: DemoLoadResult) -> str:
        if not result.changed:
            return _("Demo-Netzwerk „%(name)s“ ist bereits vollständig geladen.") % {
                "name": result.network.name
            }
        created = result.created
        summary = _(
            "Demo-Netzwerk „%(name)s“ geladen: %(municipalities)d Kommunen, %(people)d Personen, "
            "%(clusters)d Themencluster, %(profiles)d Expertenprofile, %(articles)d Artikel "
            "neu angelegt."
        ) % {
            "name": result.network.name,
            "municipalities": created["municipality"],
            "people": created["person"],
            "clusters": created["cluster"],
            "profiles": created["expert_profile"],
            "articles": created["article"],
        }
        if created["request"] or created["self_help"]:
            summary += " " + _(
                "Verlauf der letzten drei Monate: %(requests)d Anfragen, %(self_help)d "
                "erfolgreiche Selbsthilfen."
            ) % {"requests": created["request"], "self_help": created["self_help"]}
        return summary

    def _logins(self, result: DemoLoadResult) -> str:
        """The demo logins with role and municipality, as they are in the database."""
        network = result.network
        users = {u.username: u for u in User.objects.filter(username__in=cast.DEMO_LOGINS)}
        rows = [(_("Benutzername"), _("Rolle"), _("Kommune"))]
        for username in cast.DEMO_LOGINS:
            user = users.get(username)
            if user is None:
                continue
            memberships = list(
                Membership.objects.current()
                .filter(user=user, municipality__network=network)
                .select_related("municipality")
            )
            roles = [
                str(r.get_role_display())
                for r in NetworkRole.objects.filter(user=user, network=network)
            ]
            if roles:  # the network role first, the membership behind the municipality
                places = [f"{m.municipality.name} ({m.get_role_display()})" for m in memberships]
            else:
                roles = sorted({str(m.get_role_display()) for m in memberships})
                places = [m.municipality.name for m in memberships]
            rows.append((username, ", ".join(roles), ", ".join(places)))
        widths = [max(len(row[i]) for row in rows) + 3 for i in (0, 1)]
        lines = ["", _("Demo-Zugänge:")]
        lines += [f"  {a:<{widths[0]}}{b:<{widths[1]}}{c}" for a, b, c in rows]
        others = User.objects.in_network(network.pk).exclude(username__in=cast.DEMO_LOGINS)
        lines.append(
            _(
                "  … und %(count)d weitere Personen (z. B. die Themen-Zuständigen "
                "k.scholz, m.lehmann, s.wendt)."
            )
            % {"count": others.count()}
        )
        if settings.AMTSHILFE_DEMO_PASSWORD == DEFAULT_DEMO_PASSWORD:
            lines.append(
                _(
                    "Passwort für alle Demo-Konten: %(password)s (Standardwert; setzen "
                    "Sie AMTSHILFE_DEMO_PASSWORD vor dem ersten Laden, wenn die Demo "
                    "für andere erreichbar ist)."
                )
                % {"password": DEFAULT_DEMO_PASSWORD}
            )
        else:
            lines.append(
                _(
                    "Passwort für alle Demo-Konten: der Wert der Umgebungsvariablen "
                    "AMTSHILFE_DEMO_PASSWORD (beim ersten Laden gesetzt)."
                )
            )
        return "\n".join(lines) + "\n"
