"""Demo content of communication for the demo network (called by ``demo/loader.py``).

Eight news items (three public, five for a cluster, one of them still scheduled), six events
(two past, four upcoming, one full with a waiting list, one cancelled) with registrations,
and directory entries with varied choices. Everything goes through the services; the
notifications they create stay in the app (no e-mails are sent for demo data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from amtshilfe.accounts.models import User
from amtshilfe.accounts.services import update_own_account
from amtshilfe.communication.models import DirectoryEntry, Event, News
from amtshilfe.communication.services import (
    cancel_event,
    create_event,
    create_news,
    register_for_event,
    update_directory_entry,
    update_news,
)
from amtshilfe.experts.models import ClusterMembership, TopicCluster
from amtshilfe.notifications.models import Kind, Notification
from amtshilfe.tenancy.access import current_memberships
from amtshilfe.tenancy.models import Network

COORDINATOR = "koordination"


@dataclass
class DemoNews:
    title: str
    body: str
    days_ago: float
    cluster: str | None = None
    public: bool = False
    revision: str = ""  # a second version with this note


@dataclass
class DemoEvent:
    title: str
    kind: str
    description: str
    days_from_today: int
    start_hour: int
    hours: float
    location: str = ""
    online_url: str = ""
    cluster: str | None = None
    public: bool = False
    capacity: int | None = None
    registrants: list[str] = field(default_factory=list)
    cancelled: bool = False


NEWS = [
    DemoNews(
        title="Das Netzwerk wächst: Gröditz und Strehla sind dabei",
        body=(
            "Seit diesem Monat arbeiten auch die Städte **Gröditz** und **Strehla** im "
            "IT-Fachkräfte-Netzwerk des Landkreises Meißen mit. Damit helfen sich jetzt "
            "IT-Fachkräfte aus über zwanzig Kommunen gegenseitig.\n\n"
            "Was das Netzwerk leistet:\n\n"
            "- eine gemeinsame Wissensdatenbank mit geprüften Anleitungen,\n"
            "- ein gemeinsames Board für Anfragen, die eine Kommune allein nicht lösen kann,\n"
            "- regelmäßige Austauschtreffen und Schulungen.\n\n"
            "Interessierte Kommunen melden sich über die Seite *Mitmachen*."
        ),
        days_ago=20,
        public=True,
        revision="Ortsnamen ergänzt",
    ),
    DemoNews(
        title="Rückblick: Erstes Austauschtreffen in Großenhain",
        body=(
            "Rund zwanzig IT-Fachkräfte und Verwaltungsmitarbeitende trafen sich im Rathaus "
            "Großenhain. Themen waren die Erfahrungen mit dem gemeinsamen Board, die "
            "Zuständigkeiten in den Themenclustern und der Zeitausgleich zwischen den "
            "Kommunen.\n\n"
            "Die Präsentationen liegen in der Wissensdatenbank. Das nächste Treffen steht "
            "schon im Kalender."
        ),
        days_ago=38,
        public=True,
    ),
    DemoNews(
        title="Wartungsfenster im Kreisnetz am Samstag",
        body=(
            "Am Samstag zwischen **7 und 12 Uhr** erneuert die Landkreis-IT die zentralen "
            "Router des Kreisnetzes. In dieser Zeit sind Fachverfahren im Rechenzentrum und "
            "die VPN-Zugänge nicht erreichbar.\n\n"
            "Bitte planen Sie keine Wochenenddienste mit Fachverfahren in diesem Zeitraum."
        ),
        days_ago=3,
    ),
    DemoNews(
        title="Neue Druckertreiber im gemeinsamen Softwarelager",
        body=(
            "Für die Multifunktionsgeräte der Rahmenvereinbarung liegen neue, geprüfte "
            "Treiberpakete im Softwarelager. Sie beheben das Problem mit leeren Seiten beim "
            "Scan-to-Folder nach dem letzten Windows-Update.\n\n"
            "Anleitung: siehe Artikel zu Scan-to-Folder in der Wissensdatenbank."
        ),
        days_ago=9,
        cluster="arbeitsplatz-drucker",
    ),
    DemoNews(
        title="VPN-Client: Zertifikate laufen Ende des Quartals ab",
        body=(
            "Die Gerätezertifikate für den VPN-Client laufen zum Quartalsende ab. Bitte "
            "erneuern Sie die Zertifikate Ihrer Notebooks rechtzeitig; die Schritte stehen "
            "im Artikel *VPN-Zertifikat erneuern*.\n\n"
            "Bei Fragen hilft das Cluster Netzwerk & VPN über das Board."
        ),
        days_ago=6,
        cluster="netzwerk-vpn",
    ),
    DemoNews(
        title="Warnung: Phishing-Welle mit gefälschten Rechnungen",
        body=(
            "Seit Montag gehen in mehreren Kommunen E-Mails mit angeblichen Rechnungen eines "
            "Energieversorgers ein. Der Anhang enthält Schadsoftware.\n\n"
            "1. Anhang **nicht** öffnen.\n"
            "2. E-Mail an die eigene IT weiterleiten und löschen.\n"
            "3. Wer schon geklickt hat: Netzwerkkabel ziehen und sofort die IT anrufen."
        ),
        days_ago=1.5,
        cluster="infosicherheit-datenschutz",
        public=True,
    ),
    DemoNews(
        title="Scanprofile für die E-Akte vereinheitlicht",
        body=(
            "Das Cluster E-Akte & Scannen hat sich auf gemeinsame Scanprofile geeinigt: "
            "300 dpi, PDF/A, Texterkennung an. Die Profile stehen als Vorlage zur Verfügung "
            "und können auf allen Geräten der Rahmenvereinbarung eingespielt werden."
        ),
        days_ago=14,
        cluster="eakte-scannen",
    ),
    DemoNews(
        title="Vorschau: Neue Online-Dienste im Bürgerportal",
        body=(
            "Zum Monatswechsel schaltet der Landkreis weitere Online-Dienste im Bürgerportal "
            "frei. Die Kommunen erhalten vorab eine Checkliste für die Einrichtung."
        ),
        days_ago=-4,  # scheduled: appears in four days
        cluster="ozg-onlinedienste",
    ),
]

EVENTS = [
    DemoEvent(
        title="1. Austauschtreffen des IT-Netzwerks",
        kind=Event.Kind.EXCHANGE,
        description=(
            "Erstes Treffen aller Mitgliedskommunen: Vorstellung des Boards, der "
            "Themencluster und des Zeitausgleichs. Mit Mittagsimbiss."
        ),
        days_from_today=-40,
        start_hour=10,
        hours=4,
        location="Rathaus Großenhain, Ratssaal, Hauptmarkt 1, 01558 Großenhain",
        public=True,
        capacity=40,
        registrants=["it.riesa", "it.radebeul", "k.scholz", "m.lehmann", "steuerung.grossenhain"],
    ),
    DemoEvent(
        title="Schulung: Phishing erkennen und richtig reagieren",
        kind=Event.Kind.TRAINING,
        description="Praxisnahe Schulung mit echten (entschärften) Beispielen aus dem Landkreis.",
        days_from_today=-12,
        start_hour=9,
        hours=2,
        online_url="https://video.landkreis-meissen.example/phishing",
        cluster="infosicherheit-datenschutz",
        registrants=["a.kuehn", "it.riesa", "verwaltung.coswig"],
    ),
    DemoEvent(
        title="Schulung: Scan-to-Folder sicher einrichten",
        kind=Event.Kind.TRAINING,
        description=(
            "Wir richten gemeinsam Scan-to-Folder mit eigenem Dienstkonto und SMB 3 ein. "
            "Bitte eigenes Notebook mitbringen. **Begrenzte Plätze.**"
        ),
        days_from_today=6,
        start_hour=9,
        hours=3,
        location="Stadtverwaltung Riesa, Schulungsraum, Rathausplatz 1, 01589 Riesa",
        cluster="arbeitsplatz-drucker",
        capacity=4,
        registrants=["it.riesa", "k.scholz", "h.brandt", "t.richter", "it.radebeul"],
    ),
    DemoEvent(
        title="2. Austauschtreffen des IT-Netzwerks",
        kind=Event.Kind.EXCHANGE,
        description=(
            "Themen: Erfahrungen nach drei Monaten Board, Auswertung der Kennzahlen, "
            "Vorschläge an die Steuerungsgruppe. Gäste aus interessierten Kommunen sind "
            "willkommen."
        ),
        days_from_today=13,
        start_hour=10,
        hours=4,
        location="Landratsamt Meißen, Großer Sitzungssaal, Brauhausstraße 21, 01662 Meißen",
        public=True,
        capacity=40,
        registrants=["it.riesa", "m.lehmann", "s.wendt", "verwaltung.meissen"],
    ),
    DemoEvent(
        title="Online-Sprechstunde OZG und Bürgerportal",
        kind=Event.Kind.CONSULTATION,
        description="Offene Sprechstunde zu Online-Diensten: Fragen einfach mitbringen.",
        days_from_today=8,
        start_hour=14,
        hours=1,
        online_url="https://video.landkreis-meissen.example/ozg-sprechstunde",
        public=True,
        registrants=["p.zimmermann", "verwaltung.coswig"],
    ),
    DemoEvent(
        title="Workshop: Telefonanlage und Videokonferenzen",
        kind=Event.Kind.WORKSHOP,
        description="Fällt aus – ein neuer Termin folgt.",
        days_from_today=10,
        start_hour=13,
        hours=2,
        location="Rathaus Radebeul, Raum 204",
        cluster="telefonie-video",
        registrants=["it.radebeul"],
        cancelled=True,
    ),
]

# username: (show_in_directory, show_email, show_phone, note, phone to set if empty)
DIRECTORY: dict[str, tuple[bool, bool, bool, str, str]] = {
    "koordination": (
        True,
        True,
        True,
        "Ansprechpartnerin für alle Fragen zum Netzwerk.",
        "03521 469-100",
    ),
    "it.riesa": (True, True, False, "Dienstags und donnerstags am besten erreichbar.", ""),
    "it.radebeul": (True, True, True, "Postfächer, Telefonie, Diensthandys.", "0351 8311-240"),
    "k.scholz": (
        True,
        False,
        True,
        "Drucker und Scanner – lieber anrufen als mailen.",
        "03523 66-310",
    ),
    "m.lehmann": (True, True, False, "", ""),
    "a.kuehn": (
        True,
        True,
        True,
        "Bei Sicherheitsvorfällen bitte sofort anrufen.",
        "03521 725-555",
    ),
    "verwaltung.meissen": (True, False, False, "", ""),
    "verwaltung.coswig": (False, False, False, "", ""),
    "datenschutz": (False, False, False, "", ""),
}


def _at(today: dt.date, days: float, hour: int = 9) -> dt.datetime:
    base = dt.datetime.combine(today, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())
    return base + dt.timedelta(days=days)


def _owner(cluster: TopicCluster | None) -> User | None:
    if cluster is None:
        return None
    membership = (
        ClusterMembership.objects.filter(cluster=cluster, role=ClusterMembership.Role.OWNER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _load_news(
    network: Network, coordinator: User, clusters: dict[str, TopicCluster], today: dt.date
) -> int:
    if News.objects.filter(network=network).exists():
        return 0
    created = 0
    for item in NEWS:
        cluster = clusters.get(item.cluster) if item.cluster else None
        if item.cluster and cluster is None:
            continue
        # Public items come from the coordination; cluster news from the topic owner.
        author = coordinator if item.public or cluster is None else _owner(cluster) or coordinator
        news = create_news(
            actor=author,
            network=network,
            title=item.title,
            body=item.body,
            cluster=cluster,
            is_public=item.public,
            published_at=_at(today, -item.days_ago, 8),
            message="Erste Fassung",
            announce=item.days_ago < 7,
        )
        created += 1
        if item.revision:
            update_news(
                actor=author,
                news=news,
                title=news.title,
                body=news.body + "\n\nWillkommen im Netzwerk!",
                cluster=cluster,
                is_public=news.is_public,
                published_at=news.published_at,
                message=item.revision,
            )
    return created


def _load_events(
    network: Network,
    coordinator: User,
    clusters: dict[str, TopicCluster],
    people: dict[str, User],
    today: dt.date,
) -> int:
    if Event.objects.filter(network=network).exists():
        return 0
    created = 0
    for item in EVENTS:
        cluster = clusters.get(item.cluster) if item.cluster else None
        if item.cluster and cluster is None:
            continue
        organiser = coordinator if cluster is None else _owner(cluster) or coordinator
        starts = _at(today, item.days_from_today, item.start_hour)
        # Created three weeks ahead of the date, so past events had an open registration.
        announced = min(starts, timezone.now()) - dt.timedelta(days=21)
        fields: dict[str, Any] = {
            "title": item.title,
            "kind": item.kind,
            "description": item.description,
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=item.hours),
            "location": item.location,
            "online_url": item.online_url,
            "is_public": item.public,
            "cluster": cluster,
            "capacity": item.capacity,
            "registration_deadline": None,
        }
        event = create_event(actor=organiser, network=network, **fields)
        created += 1
        for offset, username in enumerate(item.registrants):
            person = people.get(username)
            if person is None or not current_memberships(person, network):
                continue
            register_for_event(
                actor=person, event=event, now=announced + dt.timedelta(hours=offset * 5)
            )
        if item.cancelled:
            cancel_event(actor=organiser, event=event)
    return created


def _load_directory(network: Network, people: dict[str, User]) -> int:
    created = 0
    for username, (listed, email, phone, note, number) in DIRECTORY.items():
        person = people.get(username)
        if person is None or not current_memberships(person, network):
            continue
        if DirectoryEntry.objects.filter(network=network, user=person).exists():
            continue
        if number and not person.phone:
            update_own_account(
                user=person,
                first_name=person.first_name,
                last_name=person.last_name,
                email=person.email,
                phone=number,
                language=person.language,
            )
        update_directory_entry(
            actor=person,
            network=network,
            show_in_directory=listed,
            show_email=email,
            show_phone=phone,
            note=note,
        )
        created += 1
    return created


def load_demo(network: Network, *, today: dt.date) -> int:
    """Create what is missing of this app's demo content; returns how many rows were created.

    Idempotent: news and events only into a network that has none; directory entries only
    for people without one. Reads people and clusters from the database.
    """
    usernames = {COORDINATOR} | {u for e in EVENTS for u in e.registrants} | set(DIRECTORY)
    people = {u.username: u for u in User.objects.filter(username__in=usernames)}
    coordinator = people.get(COORDINATOR)
    if coordinator is None:
        return 0
    clusters = {c.slug: c for c in TopicCluster.objects.in_network(network)}
    created = _load_news(network, coordinator, clusters, today)
    created += _load_events(network, coordinator, clusters, people, today)
    created += _load_directory(network, people)
    # Demo notifications stay in the app: nobody gets e-mails for invented content.
    Notification.objects.filter(
        network=network,
        kind__in=[Kind.NEWS, Kind.EVENT],
        email_state__in=[Notification.EmailState.PENDING, Notification.EmailState.DIGEST],
    ).update(email_state=Notification.EmailState.SENT, emailed_at=timezone.now())
    return created
