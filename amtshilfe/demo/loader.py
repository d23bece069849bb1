"""Load the demo network "Landkreis Meißen" through the ordinary services (so it is audited).

Idempotent: every row is looked up first (network and cluster by slug, municipality by name,
person by username, membership by person and municipality, profile by person) and only
created when missing. Existing rows are never changed, so a second run creates nothing and
writes no audit event, and a demo that somebody changed by hand keeps those changes.

Steps (all in one transaction, so a failed run leaves nothing half-loaded):

1. the network;
2. the Landkreis and its 28 municipalities, joining in waves since the founding day;
3. the topic clusters;
4. the people with their memberships and network roles;
5. the topic owners of the clusters (names from ``clusters.json``);
6. the expert profiles of the IT specialists, with their cluster memberships;
7. the knowledge-base articles (``demo_data/articles/`` and ``local_articles/``, see
   ``cast.PUBLIC_ARTICLES``), created by the import service without a person as author;
8. about three months of requests, comments, ratings and self-help successes up to today
   (``history.py``: fixed seed, the rows the board's services would write, inserted in
   bulk; only into a network without requests);
9. four steering-group proposals (accepted and public, rejected on a tie, open, draft;
   ``decisions/demo.py``; only into a network without proposals);
10. time entries and settlement, news and events, onboarding (with a newcomer wave), the
    website texts and surveys (each app's ``demo.py``), and the search log with older article
    reviews for the knowledge-base indicators (``indicators/demo.py``; only into a network
    without search log rows) – together they fill every indicator for the last three months.

Articles are created without the per-article search indexing; after the commit the whole
network is indexed once (``wiki.search.indexer.reindex_network``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from amtshilfe.accounts.models import User
from amtshilfe.communication import demo as communication_demo
from amtshilfe.decisions.demo import load_demo_decisions
from amtshilfe.demo import cast
from amtshilfe.demo.history import load_request_history
from amtshilfe.experts.models import ClusterMembership, ExpertProfile, TopicCluster
from amtshilfe.experts.services import create_cluster, set_cluster_member, update_expert_profile
from amtshilfe.indicators import demo as indicators_demo
from amtshilfe.onboarding import demo as onboarding_demo
from amtshilfe.settlement import demo as settlement_demo
from amtshilfe.surveys import demo as surveys_demo
from amtshilfe.tenancy.models import Membership, Municipality, Network, NetworkRole
from amtshilfe.tenancy.services import (
    add_membership,
    create_municipality,
    create_network,
    create_person,
    grant_network_role,
)
from amtshilfe.website import demo as website_demo
from amtshilfe.wiki.kb_io import import_article, read_article_files, resolve_files
from amtshilfe.wiki.models import Article
from amtshilfe.wiki.services import deferred_indexing

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
ARTICLE_DIRS = (DATA_DIR / "articles", DATA_DIR / "local_articles")
# How long before today the network was founded (about three months).
FOUNDED_DAYS_AGO = 91
KIND_BY_TYPE = {
    "Große Kreisstadt": Municipality.Kind.GROSSE_KREISSTADT,
    "Stadt": Municipality.Kind.STADT,
    "Gemeinde": Municipality.Kind.GEMEINDE,
}


@cache
def municipality_data() -> dict[str, Any]:
    """``demo_data/municipalities.json``: the Landkreis and its 28 municipalities."""
    with (DATA_DIR / "municipalities.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@cache
def cluster_data() -> list[dict[str, Any]]:
    """``demo_data/clusters.json``: the ten topic clusters with their (fictional) owners."""
    with (DATA_DIR / "clusters.json").open(encoding="utf-8") as handle:
        data: list[dict[str, Any]] = json.load(handle)
    return data


@dataclass
class DemoLoadResult:
    """What a run created, counted by kind ("municipality", "person", ...)."""

    network: Network
    created: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return sum(self.created.values()) > 0


def founding_day(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=FOUNDED_DAYS_AGO)


def load_demo_network(
    *, today: dt.date | None = None, password: str | None = None
) -> DemoLoadResult:
    """Create whatever is missing of the demo network; see the module docstring."""
    today = today or timezone.localdate()
    password = password or settings.AMTSHILFE_DEMO_PASSWORD
    with transaction.atomic():
        network, created = _ensure_network()
        result = DemoLoadResult(network=network)
        result.created["network"] += created
        municipalities = _ensure_municipalities(result, founding_day(today))
        clusters = _ensure_clusters(result)
        people = _ensure_people(result, municipalities, today, password)
        _ensure_topic_owners(result, clusters, people)
        _ensure_profiles(result, clusters, people, today)
        created_articles = _ensure_articles(result)
        result.created.update(
            load_request_history(
                network=network,
                municipalities=municipalities,
                clusters=clusters,
                people=people,
                today=today,
            )
        )
        result.created["proposal"] += load_demo_decisions(network, people)
        result.created["time and settlement"] += settlement_demo.load_demo(network, today=today)
        result.created["news and events"] += communication_demo.load_demo(network, today=today)
        result.created["onboarding"] += onboarding_demo.load_demo(network, today=today)
        result.created["website"] += website_demo.load_demo(network, today=today)
        result.created["surveys"] += surveys_demo.load_demo(network, today=today)
        result.created["search log"] += indicators_demo.load_demo(network, today=today)
        if created_articles:
            transaction.on_commit(lambda: _index_articles(network, created_articles))
    return result


def _ensure_network() -> tuple[Network, bool]:
    network = Network.objects.filter(slug=cast.NETWORK_SLUG).first()
    if network is not None:
        return network, False
    network = create_network(
        actor=None,
        slug=cast.NETWORK_SLUG,
        name=cast.NETWORK_NAME,
        region=cast.NETWORK_REGION,
        description=cast.NETWORK_DESCRIPTION,
        contact_email=cast.NETWORK_CONTACT_EMAIL,
    )
    return network, True


def _join_dates(founded: dt.date) -> dict[str, dt.date]:
    return {
        name: founded + dt.timedelta(days=offset)
        for offset, names in cast.JOIN_WAVES.items()
        for name in names
    }


def _contact_email(name: str) -> str:
    return f"it@{slugify(name.replace('ß', 'ss'))}.example"


def _ensure_municipalities(result: DemoLoadResult, founded: dt.date) -> dict[str, Municipality]:
    """The Landkreis itself and every municipality of the data set, by name."""
    network, data = result.network, municipality_data()
    joined = _join_dates(founded)
    existing = {m.name: m for m in Municipality.objects.filter(network=network)}
    landkreis = data["landkreis"]
    rows: list[dict[str, Any]] = [
        {
            "name": landkreis["name"],
            "official_name": landkreis["name"],
            "kind": Municipality.Kind.LANDKREIS,
            # The model's AGS is a Gemeindeschlüssel (8 digits); a Landkreis has only the
            # 5-digit Kreisschlüssel (14627), so the field stays empty. The population is left
            # empty too: it is the sum of the municipalities', and totals over all members
            # (website, contributions by population) would count every inhabitant twice.
            "ags": "",
            "population": None,
            "population_date": None,
        }
    ]
    for item in data["municipalities"]:
        rows.append(
            {
                "name": item["name"],
                "official_name": item["official_name"],
                "kind": KIND_BY_TYPE[item["type"]],
                "ags": item.get("ags") or "",
                "population": item["population"],
                "population_date": dt.date.fromisoformat(item["population_date"]),
            }
        )
    for row in rows:
        if row["name"] in existing:
            continue
        existing[row["name"]] = create_municipality(
            actor=None,
            network=network,
            joined_on=joined[row["name"]],
            contact_email=_contact_email(row["name"]),
            **row,
        )
        result.created["municipality"] += 1
    return existing


def _ensure_clusters(result: DemoLoadResult) -> dict[str, TopicCluster]:
    network = result.network
    existing = {c.slug: c for c in TopicCluster.objects.filter(network=network)}
    for item in cluster_data():
        if item["id"] in existing:
            continue
        existing[item["id"]] = create_cluster(
            actor=None,
            network=network,
            slug=item["id"],
            name=item["name"],
            description=item["description"],
            keywords=item["keywords"],
        )
        result.created["cluster"] += 1
    return existing


def _ensure_people(
    result: DemoLoadResult,
    municipalities: dict[str, Municipality],
    today: dt.date,
    password: str,
) -> dict[str, User]:
    """Accounts, memberships (current or ended ones count as present) and network roles."""
    network = result.network
    people = {
        u.username: u for u in User.objects.filter(username__in=[p.username for p in cast.people()])
    }
    for person in cast.people():
        places = (person.municipality, *person.also_in)
        starts = {
            name: min(
                today, municipalities[name].joined_on + dt.timedelta(days=person.start_offset)
            )
            for name in places
        }
        user = people.get(person.username)
        if user is None:
            user = people[person.username] = create_person(
                actor=None,
                network=network,
                username=person.username,
                first_name=person.first_name,
                last_name=person.last_name,
                email=person.email,
                municipality=municipalities[person.municipality],
                role=person.role,
                started_on=starts[person.municipality],
                password=password,
            )
            result.created["person"] += 1
            result.created["membership"] += 1
        present = set(
            Membership.objects.filter(user=user, municipality__network=network).values_list(
                "municipality__name", flat=True
            )
        )
        for name in places:
            if name not in present:
                add_membership(
                    actor=None,  # type: ignore[arg-type]  # the demo loader, not a person
                    person=user,
                    municipality=municipalities[name],
                    role=person.role,
                    started_on=starts[name],
                )
                result.created["membership"] += 1
        if (
            person.network_role
            and not NetworkRole.objects.filter(
                network=network, user=user, role=person.network_role
            ).exists()
        ):
            grant_network_role(actor=None, network=network, person=user, role=person.network_role)
            result.created["network_role"] += 1
    return people


def owner_username(owner_name: str) -> str:
    """The demo account of a topic owner named in ``clusters.json`` ("Dr. Heike Brandt")."""
    name = owner_name.removeprefix("Dr. ").strip()
    for person in cast.people():
        if person.full_name == name:
            return person.username
    raise LookupError(f"no demo person for the topic owner {owner_name!r}")


def _ensure_topic_owners(
    result: DemoLoadResult, clusters: dict[str, TopicCluster], people: dict[str, User]
) -> None:
    for item in cluster_data():
        cluster, owner = clusters[item["id"]], people[owner_username(item["topic_owner"]["name"])]
        if ClusterMembership.objects.filter(cluster=cluster, user=owner).exists():
            continue
        set_cluster_member(
            actor=None, cluster=cluster, person=owner, role=ClusterMembership.Role.OWNER
        )
        result.created["cluster_membership"] += 1


def _ensure_profiles(
    result: DemoLoadResult,
    clusters: dict[str, TopicCluster],
    people: dict[str, User],
    today: dt.date,
) -> None:
    """Expert profiles of the IT specialists. The person is the actor: it is their profile."""
    network = result.network
    have_profile = set(
        ExpertProfile.objects.filter(network=network).values_list("user__username", flat=True)
    )
    for person in cast.people():
        profile = person.profile
        if profile is None or person.username in have_profile:
            continue
        user = people[person.username]
        owned = ClusterMembership.objects.filter(
            user=user, cluster__network=network, role=ClusterMembership.Role.OWNER
        ).values_list("cluster__slug", flat=True)
        wanted = [clusters[slug] for slug in {*profile.clusters, *owned}]
        absent_from = absent_until = None
        if profile.absent is not None:
            absent_from = today + dt.timedelta(days=profile.absent[0])
            absent_until = today + dt.timedelta(days=profile.absent[1])
        before = ClusterMembership.objects.filter(user=user).count()
        update_expert_profile(
            actor=user,
            network=network,
            person=user,
            skills=profile.skills,
            pledged_hours_per_month=profile.pledged_hours,
            absent_from=absent_from,
            absent_until=absent_until,
            availability_note=profile.availability_note,
            bio=profile.bio,
            clusters=wanted,
        )
        result.created["expert_profile"] += 1
        result.created["cluster_membership"] += (
            ClusterMembership.objects.filter(user=user).count() - before
        )


def _ensure_articles(result: DemoLoadResult) -> list[int]:
    """The demo articles that are missing (by slug); returns the ids of the new ones."""
    network = result.network
    files, problems = [], []
    for directory in ARTICLE_DIRS:
        found, bad = read_article_files(directory)
        files += found
        problems += bad
    resolved, bad = resolve_files(files, network)
    problems += bad
    if problems:
        raise ValueError("broken demo articles: " + "; ".join(map(str, problems)))
    present = set(Article.objects.in_network(network).values_list("slug", flat=True))
    created: list[int] = []
    with deferred_indexing():
        for item in resolved:
            source = item.file
            if source.slug in present:
                continue
            public = source.slug in cast.PUBLIC_ARTICLES
            article, _outcome = import_article(
                network=network,
                slug=source.slug,
                cluster=item.cluster,
                title=source.title,
                body=source.body,
                tags=source.tags,
                source_updated=source.updated,
                visibility=Article.Visibility.PUBLIC if public else source.visibility,
                municipality=item.municipality,
            )
            created.append(article.pk)
            result.created["article"] += 1
    return created


def _index_articles(network: Network, article_ids: list[int]) -> None:
    """Index the new articles once, in bulk when the search index offers it."""
    from amtshilfe.wiki.search import indexer
    from amtshilfe.wiki.tasks import enqueue_index_article

    reindex_network = getattr(indexer, "reindex_network", None)
    if callable(reindex_network):
        reindex_network(network)
        return
    for article_id in article_ids:
        enqueue_index_article(article_id)
