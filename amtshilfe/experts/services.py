"""Writes on topic clusters and expert profiles. Atomic and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.core.audit import record_event, snapshot
from amtshilfe.experts.models import ClusterMembership, ExpertProfile, Skill, TopicCluster
from amtshilfe.tenancy.access import is_coordinator
from amtshilfe.tenancy.models import Membership, Network

RESERVED_SLUGS = frozenset({"neu", "mein-profil"})
CLUSTER_FIELDS = ("slug", "name", "description", "keywords", "is_active")
PROFILE_FIELDS = (
    "pledged_hours_per_month",
    "absent_from",
    "absent_until",
    "availability_note",
    "bio",
)


def _clean_keywords(keywords: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for word in keywords:
        word = word.strip()
        if word and word.casefold() not in seen:
            seen[word.casefold()] = word[:60]
    return list(seen.values())


def _validate_cluster(network: Network, name: str, slug: str, exclude_pk: int | None) -> None:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Bitte geben Sie dem Themencluster einen Namen.")
    others = TopicCluster.objects.filter(network=network).exclude(pk=exclude_pk or 0)
    if name and others.filter(name__iexact=name).exists():
        errors["name"] = _("Es gibt bereits ein Themencluster „%(name)s“.") % {"name": name}
    if not slug:
        errors.setdefault("name", _("Aus dem Namen lässt sich kein Kürzel bilden."))
    elif others.filter(slug=slug).exists():
        errors["slug"] = _("Das Kürzel „%(slug)s“ ist bereits vergeben.") % {"slug": slug}
    if errors:
        raise ValidationError(errors)


def create_cluster(
    *,
    actor: User | None,
    network: Network,
    name: str,
    description: str = "",
    keywords: Iterable[str] = (),
    slug: str = "",
) -> TopicCluster:
    name = name.strip()
    slug = slugify((slug or name).replace("&", "und").replace("ß", "ss"))[:60]
    if slug in RESERVED_SLUGS:  # these are pages under /cluster/, not clusters
        slug = f"{slug}-thema"
    _validate_cluster(network, name, slug, None)
    try:
        with transaction.atomic():
            cluster = TopicCluster.objects.create(
                network=network,
                slug=slug,
                name=name,
                description=description.strip(),
                keywords=_clean_keywords(keywords),
            )
            record_event(
                action="cluster.created",
                actor=actor,
                network=network,
                obj=cluster,
                after=snapshot(cluster, CLUSTER_FIELDS),
            )
    except IntegrityError as exc:
        raise ValidationError({"name": _("Dieses Themencluster gibt es bereits.")}) from exc
    return cluster


def update_cluster(
    *,
    actor: User,
    cluster: TopicCluster,
    name: str,
    description: str,
    keywords: Iterable[str],
    is_active: bool = True,
) -> TopicCluster:
    name = name.strip()
    _validate_cluster(cluster.network, name, cluster.slug, cluster.pk)
    with transaction.atomic():
        locked = TopicCluster.objects.select_for_update().get(pk=cluster.pk)
        before = snapshot(locked, CLUSTER_FIELDS)
        locked.name, locked.description = name, description.strip()
        locked.keywords, locked.is_active = _clean_keywords(keywords), is_active
        locked.save()
        after = snapshot(locked, CLUSTER_FIELDS)
        if before != after:
            record_event(
                action="cluster.updated",
                actor=actor,
                network=locked.network,
                obj=locked,
                before={k: v for k, v in before.items() if after[k] != v},
                after={k: v for k, v in after.items() if before[k] != v},
            )
    return locked


def set_cluster_member(
    *, actor: User | None, cluster: TopicCluster, person: User, role: str
) -> ClusterMembership:
    """Add ``person`` to ``cluster`` or change their role there (owner/member).

    Only the coordination (or the system, ``actor=None``) names topic owners or changes an
    owner's role; owners themselves add and remove members.
    """
    if role not in ClusterMembership.Role.values:
        raise ValidationError({"role": _("Unbekannte Rolle.")})
    existing = ClusterMembership.objects.filter(cluster=cluster, user=person).first()
    touches_owner = role == ClusterMembership.Role.OWNER or (
        existing is not None and existing.role == ClusterMembership.Role.OWNER
    )
    if touches_owner and actor is not None and not is_coordinator(actor, cluster.network):
        raise PermissionDenied
    in_network = (
        Membership.objects.current()
        .filter(
            user=person, municipality__network_id=cluster.network_id, municipality__status="active"
        )
        .exists()
    )
    if not in_network:
        raise ValidationError(
            {
                "person": _("%(person)s gehört keiner Mitgliedskommune des Netzwerks an.")
                % {"person": person.full_name}
            }
        )
    with transaction.atomic():
        membership, created = ClusterMembership.objects.select_for_update().get_or_create(
            cluster=cluster, user=person, defaults={"role": role}
        )
        if created:
            record_event(
                action="cluster.member_added",
                actor=actor,
                network=cluster.network,
                obj=cluster,
                after={"person": person.username, "role": role},
            )
        elif membership.role != role:
            if membership.role == ClusterMembership.Role.OWNER:
                _ensure_other_owner(cluster, membership)
            before = membership.role
            membership.role = role
            membership.save(update_fields=["role", "updated_at"])
            record_event(
                action="cluster.member_role_changed",
                actor=actor,
                network=cluster.network,
                obj=cluster,
                before={"person": person.username, "role": before},
                after={"person": person.username, "role": role},
            )
    return membership


def _ensure_other_owner(cluster: TopicCluster, membership: ClusterMembership) -> None:
    others = cluster.memberships.filter(role=ClusterMembership.Role.OWNER).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(
            _(
                "„%(cluster)s“ braucht mindestens eine themenzuständige Person. Ernennen Sie zuerst "
                "eine andere Person zur Themen-Zuständigen."
            )
            % {"cluster": cluster.name}
        )


def remove_cluster_member(*, actor: User, membership: ClusterMembership) -> None:
    with transaction.atomic():
        locked = (
            ClusterMembership.objects.select_for_update()
            .select_related("cluster__network", "user")
            .get(pk=membership.pk)
        )
        if locked.role == ClusterMembership.Role.OWNER:
            if not is_coordinator(actor, locked.cluster.network):
                raise PermissionDenied
            _ensure_other_owner(locked.cluster, locked)
        record_event(
            action="cluster.member_removed",
            actor=actor,
            network=locked.cluster.network,
            obj=locked.cluster,
            before={"person": locked.user.username, "role": locked.role},
        )
        locked.delete()


def _skills_from_names(network: Network, names: Iterable[str]) -> list[Skill]:
    skills: list[Skill] = []
    for name in _clean_keywords(names):
        existing = Skill.objects.filter(network=network, name__iexact=name).first()
        skills.append(existing or Skill.objects.create(network=network, name=name))
    return skills


def update_expert_profile(
    *,
    actor: User,
    network: Network,
    person: User,
    skills: Iterable[str],
    pledged_hours_per_month: int,
    absent_from: dt.date | None = None,
    absent_until: dt.date | None = None,
    availability_note: str = "",
    bio: str = "",
    clusters: Iterable[TopicCluster] | None = None,
) -> ExpertProfile:
    """Save an IT specialist's profile; ``clusters`` (if given) sets their cluster memberships.

    Clusters the person owns stay; ownership is granted and taken by the coordination.
    """
    errors: dict[str, str] = {}
    if pledged_hours_per_month < 0 or pledged_hours_per_month > 200:
        errors["pledged_hours_per_month"] = _(
            "Bitte geben Sie zwischen 0 und 200 Stunden im Monat an."
        )
    if absent_from and absent_until and absent_until < absent_from:
        errors["absent_until"] = _("„Abwesend bis“ liegt vor „abwesend ab“.")
    if absent_from and not absent_until:
        errors["absent_until"] = _("Bitte geben Sie an, bis wann Sie abwesend sind.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        profile, _created = ExpertProfile.objects.select_for_update().get_or_create(
            network=network, user=person
        )
        before = {
            **snapshot(profile, PROFILE_FIELDS),
            "skills": sorted(profile.skills.values_list("name", flat=True)),
        }
        profile.pledged_hours_per_month = pledged_hours_per_month
        profile.absent_from, profile.absent_until = absent_from, absent_until
        profile.availability_note, profile.bio = availability_note.strip(), bio.strip()
        profile.save()
        profile.skills.set(_skills_from_names(network, skills))
        after: dict[str, Any] = {
            **snapshot(profile, PROFILE_FIELDS),
            "skills": sorted(profile.skills.values_list("name", flat=True)),
        }
        if clusters is not None:
            wanted = {c.pk for c in clusters if c.network_id == network.pk}
            current = set(
                ClusterMembership.objects.filter(user=person, cluster__network=network).values_list(
                    "cluster_id", flat=True
                )
            )
            for cluster_id in wanted - current:
                ClusterMembership.objects.create(cluster_id=cluster_id, user=person)
            ClusterMembership.objects.filter(
                user=person,
                cluster__network=network,
                cluster_id__in=current - wanted,
                role=ClusterMembership.Role.MEMBER,
            ).delete()
            before["clusters"] = sorted(current)
            after["clusters"] = sorted(
                ClusterMembership.objects.filter(user=person, cluster__network=network).values_list(
                    "cluster_id", flat=True
                )
            )
        if before != after:
            record_event(
                action="expert_profile.updated",
                actor=actor,
                network=network,
                obj=profile,
                before={k: v for k, v in before.items() if after[k] != v},
                after={k: v for k, v in after.items() if before[k] != v},
            )
    return profile
