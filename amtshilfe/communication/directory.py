"""Reading the member directory: only what each person chose to show, members only.

The QuerySet excludes people who left the directory; ``listing`` then shapes each person into
a ``Listing`` that carries e-mail and phone only when that person switched them on – so a
template cannot show a field by mistake, because the field is not there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from django.db.models import Prefetch, Q, QuerySet

from amtshilfe.accounts.models import User
from amtshilfe.communication.models import DirectoryEntry
from amtshilfe.experts.models import ClusterMembership, TopicCluster
from amtshilfe.tenancy.models import Membership, Municipality, Network


@dataclass
class Listing:
    name: str
    municipalities: list[str]
    roles: list[str]
    clusters: list[str]
    owned_clusters: list[str]
    email: str = ""
    phone: str = ""
    note: str = ""
    sort_key: tuple[str, str] = field(default=("", ""), repr=False)


def listed_people(
    network: Network,
    *,
    cluster: TopicCluster | None = None,
    municipality: Municipality | None = None,
    query: str = "",
) -> QuerySet[User]:
    """Current members of ``network`` who did not hide themselves, filtered as asked."""
    people = User.objects.filter(
        is_active=True,
        memberships__municipality__network=network,
        memberships__municipality__status=Municipality.Status.ACTIVE,
        memberships__ended_on__isnull=True,
    ).exclude(directory_entries__network=network, directory_entries__show_in_directory=False)
    if municipality is not None:
        people = people.filter(
            memberships__municipality=municipality, memberships__ended_on__isnull=True
        )
    if cluster is not None:
        people = people.filter(cluster_memberships__cluster=cluster)
    words = query.split()[:5]
    for word in words:
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(display_name__icontains=word)
        )
    return people.distinct()


def listing(
    network: Network,
    *,
    cluster: TopicCluster | None = None,
    municipality: Municipality | None = None,
    query: str = "",
) -> list[Listing]:
    """The directory rows in a fixed number of queries, sorted by last name."""
    people = listed_people(network, cluster=cluster, municipality=municipality, query=query)
    people = people.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.current()
            .filter(municipality__network=network, municipality__status="active")
            .select_related("municipality"),
            to_attr="network_memberships",
        ),
        Prefetch(
            "cluster_memberships",
            queryset=ClusterMembership.objects.filter(
                cluster__network=network, cluster__is_active=True
            ).select_related("cluster"),
            to_attr="network_clusters",
        ),
        Prefetch(
            "directory_entries",
            queryset=DirectoryEntry.objects.filter(network=network),
            to_attr="network_entry",
        ),
    )
    rows: list[Listing] = []
    for person in people:
        entries = cast(list[DirectoryEntry], person.network_entry)
        entry = entries[0] if entries else DirectoryEntry()
        memberships = cast(list[Membership], person.network_memberships)
        clusters = cast(list[ClusterMembership], person.network_clusters)
        rows.append(
            Listing(
                name=person.full_name,
                municipalities=[m.municipality.name for m in memberships],
                roles=sorted({m.get_role_display() for m in memberships}),
                clusters=[c.cluster.name for c in clusters],
                owned_clusters=[
                    c.cluster.name for c in clusters if c.role == ClusterMembership.Role.OWNER
                ],
                email=person.email if entry.show_email else "",
                phone=person.phone if entry.show_phone else "",
                note=entry.note,
                sort_key=(person.last_name.lower(), person.full_name.lower()),
            )
        )
    rows.sort(key=lambda row: row.sort_key)
    return rows
