"""The cast of the demo network "Landkreis Meißen": texts, join dates, people (no database).

Municipalities and topic clusters come from the JSON files in ``demo_data/`` (copied from the
project's development data set; the municipality facts are real, the cluster owners are
fictional). The people, their jobs, skills and pledges are invented for the demo and live in
``demo_data/people.yaml``.

Dates are offsets in days relative to the founding day of the network, which the loader puts
about three months before today, so that the demo always looks recent.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PEOPLE_FILE = Path(__file__).resolve().parent / "demo_data" / "people.yaml"

NETWORK_SLUG = "landkreis-meissen"
NETWORK_NAME = "IT-Fachkräfte-Netzwerk Landkreis Meißen"
NETWORK_REGION = "Landkreis Meißen, Freistaat Sachsen"
NETWORK_CONTACT_EMAIL = "koordination@it-netzwerk-meissen.example"
NETWORK_DESCRIPTION = (
    "Im IT-Fachkräfte-Netzwerk unterstützen sich die IT-Fachkräfte der 28 Städte und Gemeinden "
    "im Landkreis Meißen und der Landkreisverwaltung gegenseitig. Niemand muss jedes Problem "
    "allein lösen: Wir schreiben unser Wissen in eine gemeinsame Wissensdatenbank, verteilen "
    "Anfragen über eine gemeinsame Übersicht und helfen auch Kommunen ohne eigene IT-Stelle – "
    "im Rahmen der Stunden, die jede und jeder dem Netzwerk zusagt. Die Mitarbeitenden in den "
    "Verwaltungen finden hier zuerst Hilfe zur Selbsthilfe und, wenn das nicht reicht, die "
    "richtige Ansprechperson."
)
LANDKREIS_NAME = "Landkreis Meißen"

# When each member joined, in days after the founding day. Ten founding members, then the
# smaller municipalities in waves (the "participating municipalities" indicator grows).
JOIN_WAVES: dict[int, tuple[str, ...]] = {
    0: (
        LANDKREIS_NAME,
        "Meißen",
        "Riesa",
        "Radebeul",
        "Coswig",
        "Großenhain",
        "Nossen",
        "Weinböhla",
        "Moritzburg",
        "Klipphausen",
    ),
    14: ("Gröditz", "Radeburg", "Lommatzsch", "Zeithain"),
    28: ("Strehla", "Nünchritz", "Thiendorf", "Diera-Zehren", "Käbschütztal", "Hirschstein"),
    49: ("Ebersbach", "Glaubitz", "Lampertswalde", "Niederau", "Priestewitz"),
    70: ("Röderaue", "Schönfeld", "Stauchitz", "Wülknitz"),
}


# Knowledge base: the 70 articles of the development data set (``demo_data/articles/``, copied
# unchanged from ``../shared/dataset/articles/``) are visible to the whole network, these few
# also on the public website. ``demo_data/local_articles/`` holds articles written for the demo
# that only one municipality may read (their front matter says which), to show visibility.
PUBLIC_ARTICLES: tuple[str, ...] = (
    "phishing-melden",
    "bildschirm-sperren-clean-desk",
    "ki-tools-dienstdaten",
    "buerger-bundid-hilfe",
    "videokonferenz-extern-teilnehmen",
)


@dataclass(frozen=True)
class DemoProfile:
    """An IT specialist's entry in the expertise directory."""

    skills: tuple[str, ...]
    pledged_hours: int
    clusters: tuple[str, ...] = ()  # cluster slugs joined as member (owned ones are added)
    absent: tuple[int, int] | None = None  # absent from today+a until today+b
    availability_note: str = ""
    bio: str = ""


@dataclass(frozen=True)
class DemoPerson:
    """A fictional person with a membership in one or more municipalities."""

    username: str
    first_name: str
    last_name: str
    municipality: str
    role: str  # Membership.Role: "staff" or "it"
    job: str  # shown in the list of demo logins
    also_in: tuple[str, ...] = ()  # further municipalities, same role
    network_role: str = ""  # NetworkRole.Role: coordinator, steering, auditor
    start_offset: int = 0  # days after the municipality joined
    profile: DemoProfile | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def email(self) -> str:
        return f"{self.username}@it-netzwerk-meissen.example"


# The logins the documentation promises (DESIGN.md, "Contracts"), plus governance roles.
DEMO_LOGINS = (
    "koordination",
    "it.riesa",
    "it.radebeul",
    "verwaltung.meissen",
    "verwaltung.coswig",
    "steuerung.grossenhain",
    "steuerung.landkreis",
    "datenschutz",
)


def _person(row: dict[str, Any]) -> DemoPerson:
    profile = row.pop("profile", None)
    if profile is not None:
        absent = profile.pop("absent", None)
        profile = DemoProfile(
            skills=tuple(profile.pop("skills")),
            clusters=tuple(profile.pop("clusters", ())),
            absent=(int(absent[0]), int(absent[1])) if absent else None,
            **profile,
        )
    return DemoPerson(also_in=tuple(row.pop("also_in", ())), profile=profile, **row)


@cache
def people() -> tuple[DemoPerson, ...]:
    """Everybody in ``demo_data/people.yaml``, in file order."""
    with PEOPLE_FILE.open(encoding="utf-8") as handle:
        rows: list[dict[str, Any]] = yaml.safe_load(handle)
    return tuple(_person(dict(row)) for row in rows)
