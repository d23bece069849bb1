"""Demo content of the website for the demo network (called by ``demo/loader.py``).

Through the services: the legal pages in a first saved version (the default texts with the
demo network's contact), public contact points for four municipalities, and three join
requests – two pending, one declined.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from amtshilfe.accounts.models import User
from amtshilfe.experts.models import TopicCluster
from amtshilfe.tenancy.models import Municipality, Network
from amtshilfe.website.defaults import default_body, default_title
from amtshilfe.website.models import JoinRequest, PublicContact, SitePage
from amtshilfe.website.services import (
    decide_join_request,
    save_site_page,
    set_public_contact,
    submit_join_request,
)

COORDINATOR = "koordination"
LEGAL_PAGES = (SitePage.Key.IMPRINT, SitePage.Key.PRIVACY, SitePage.Key.ACCESSIBILITY)
ADDRESS = "Landratsamt Meißen, Koordinierungsstelle IT-Netzwerk, Brauhausstraße 21, 01662 Meißen"
CONTACTS = {
    "Riesa": ("IT-Stelle im Hauptamt", "it@riesa.example", "03525 700-0"),
    "Meißen": ("Sachgebiet IT und Digitalisierung", "it@meissen.example", ""),
    "Radebeul": ("IT-Service der Stadtverwaltung", "it-service@radebeul.example", ""),
    "Coswig": ("Hauptamt, IT", "", "03523 66-0"),
}
JOIN_REQUESTS: list[dict[str, Any]] = [
    {
        "municipality_name": "Wilsdruff",
        "kind": Municipality.Kind.STADT,
        "ags": "14628410",
        "population": 14500,
        "contact_name": "Wiebke Wolf",
        "email": "it@wilsdruff.example",
        "phone": "035204 46-0",
        "contribution": "Wir betreuen seit Jahren das Fachverfahren für das Einwohnerwesen und "
        "können dazu Anleitungen beisteuern, etwa zwei Stunden im Monat.",
        "clusters": ("Fachverfahren",),
    },
    {
        "municipality_name": "Käbschütztal",
        "kind": Municipality.Kind.GEMEINDE,
        "ags": "14627170",
        "population": 2900,
        "contact_name": "Klaus Kern",
        "email": "verwaltung@kaebschuetztal.example",
        "contribution": "Keine eigene IT-Fachkraft; wir suchen vor allem Hilfe beim Drucken "
        "und bei Passwörtern.",
        "clusters": ("Arbeitsplatz & Drucker",),
    },
    {
        "municipality_name": "Kamenz",
        "kind": Municipality.Kind.GROSSE_KREISSTADT,
        "ags": "14625240",
        "population": 14300,
        "contact_name": "Karin Kühn",
        "email": "it@kamenz.example",
        "contribution": "Interesse am Austausch zur E-Akte.",
        "clusters": ("E-Akte & Scannen",),
        "declined": "Vielen Dank für Ihr Interesse! Das Netzwerk ist auf die Kommunen des "
        "Landkreises Meißen beschränkt. Gern vermitteln wir den Kontakt zum IT-Netzwerk im "
        "Landkreis Bautzen.",
    },
]


def _legal_pages(network: Network, coordinator: User | None) -> int:
    created = 0
    for key in LEGAL_PAGES:
        if SitePage.objects.filter(network=network, key=key).exists():
            continue
        body = default_body(key, network).replace("[Anschrift der Koordinierungsstelle]", ADDRESS)
        save_site_page(
            actor=coordinator,
            network=network,
            key=key,
            title=default_title(key),
            body=body.replace("[Anschrift]", ADDRESS),
            message="Erste Fassung aus der Vorlage",
        )
        created += 1
    return created


def _contacts(network: Network, coordinator: User) -> int:
    created = 0
    by_name = {m.name: m for m in Municipality.objects.in_network(network).active()}
    for name, (label, email, phone) in CONTACTS.items():
        municipality = by_name.get(name)
        if municipality is None or PublicContact.objects.filter(municipality=municipality).exists():
            continue
        set_public_contact(
            actor=coordinator, municipality=municipality, label=label, email=email, phone=phone
        )
        created += 1
    return created


def _join_requests(network: Network, coordinator: User) -> int:
    if JoinRequest.objects.in_network(network).exists():
        return 0
    members = set(Municipality.objects.in_network(network).values_list("name", flat=True))
    clusters = {c.name: c for c in TopicCluster.objects.in_network(network)}
    created = 0
    for spec in JOIN_REQUESTS:
        values = dict(spec)
        if values["municipality_name"] in members:
            continue
        declined = values.pop("declined", "")
        wanted = values.pop("clusters", ())
        join_request = submit_join_request(
            network=network,
            consent=True,
            clusters=[clusters[name] for name in wanted if name in clusters],
            **values,
        )
        if declined:
            decide_join_request(
                actor=coordinator,
                join_request=join_request,
                accept=False,
                message=str(declined),
                mail_contact=False,
            )
        created += 1
    return created


def load_demo(network: Network, *, today: dt.date) -> int:
    """Create what is missing of this app's demo content; returns how many rows were created.

    Idempotent: a second call creates nothing. Reads people, municipalities, clusters and
    requests of ``network`` from the database (the loader has created them before).
    """
    coordinator = User.objects.filter(username=COORDINATOR).first()
    created = _legal_pages(network, coordinator)
    if coordinator is not None:
        created += _contacts(network, coordinator)
        created += _join_requests(network, coordinator)
    return created
