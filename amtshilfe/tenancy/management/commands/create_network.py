"""`amtshilfe create-network`: set up a network with its lead municipality and first coordinator.

The first step of a production installation; everything else is done in the web interface.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from amtshilfe.tenancy.models import Membership, NetworkRole
from amtshilfe.tenancy.services import (
    create_municipality,
    create_network,
    create_person,
    grant_network_role,
    invite_person,
)


class Command(BaseCommand):
    help = (
        "Creates a network, its lead municipality and the first coordinator, and prints the "
        "link with which the coordinator sets a password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="short name used in URLs, e.g. landkreis-meissen")
        parser.add_argument("name", help="e.g. 'IT-Netzwerk Landkreis Meißen'")
        parser.add_argument("--municipality", required=True, help="lead municipality")
        parser.add_argument("--ags", default="", help="its Amtlicher Gemeindeschlüssel")
        parser.add_argument("--population", type=int, default=None)
        parser.add_argument("--coordinator", required=True, help="username of the coordinator")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                network = create_network(
                    actor=None,
                    slug=options["slug"],
                    name=options["name"],
                    contact_email=options["email"],
                )
                lead = create_municipality(
                    actor=None,
                    network=network,
                    name=options["municipality"],
                    ags=options["ags"],
                    population=options["population"],
                )
                person = create_person(
                    actor=None,
                    network=network,
                    username=options["coordinator"],
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                    email=options["email"],
                    municipality=lead,
                    role=Membership.Role.STAFF,
                )
                grant_network_role(
                    actor=None, network=network, person=person, role=NetworkRole.Role.COORDINATOR
                )
                uid = urlsafe_base64_encode(force_bytes(person.pk))
                token = default_token_generator.make_token(person)
                path = reverse("accounts:password_set", kwargs={"uidb64": uid, "token": token})
                link = f"{settings.SITE_URL}{path}"
                invite_person(actor=None, network=network, person=person, link=link)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Netzwerk „{network.name}“ angelegt ({network.slug}).")
        self.stdout.write(f"Koordination: {person.username} in {lead.name}.")
        self.stdout.write(f"Passwort festlegen (drei Tage gültig): {link}")
