"""Writes on networks, municipalities, people and roles. Atomic and audited."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.core.audit import record_event, snapshot
from amtshilfe.tenancy.models import Membership, Municipality, Network, NetworkRole

MUNICIPALITY_FIELDS = (
    "name",
    "official_name",
    "kind",
    "ags",
    "population",
    "population_date",
    "contact_email",
    "contact_phone",
    "status",
    "joined_on",
    "left_on",
)
PERSON_FIELDS = ("username", "first_name", "last_name", "email", "phone", "is_active")


def _unique_slug(network: Network, name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name.replace("ß", "ss"))[:70] or "kommune"
    slug, counter = base, 2
    others = Municipality.objects.filter(network=network).exclude(pk=exclude_pk or 0)
    while others.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _check_municipality_unique(
    network: Network, name: str, ags: str, exclude_pk: int | None = None
) -> None:
    others = Municipality.objects.filter(network=network).exclude(pk=exclude_pk or 0)
    errors: dict[str, str] = {}
    if others.filter(name__iexact=name.strip()).exists():
        errors["name"] = _("Im Netzwerk gibt es bereits eine Kommune mit dem Namen „%(name)s“.") % {
            "name": name.strip()
        }
    if ags:
        clash = others.filter(ags=ags).first()
        if clash is not None:
            errors["ags"] = _(
                "Der Gemeindeschlüssel %(ags)s ist bereits für „%(other)s“ eingetragen."
            ) % {"ags": ags, "other": clash.name}
    if errors:
        raise ValidationError(errors)


def _validate_municipality_values(name: str, population: int | None, ags: str) -> None:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Bitte geben Sie den Namen der Kommune an.")
    if population is not None and population < 0:
        errors["population"] = _("Die Einwohnerzahl darf nicht negativ sein.")
    if ags and (len(ags) != 8 or not ags.isdigit()):
        errors["ags"] = _("Der Amtliche Gemeindeschlüssel besteht aus genau 8 Ziffern.")
    if errors:
        raise ValidationError(errors)


def create_municipality(
    *,
    actor: User | None,
    network: Network,
    name: str,
    kind: str = Municipality.Kind.GEMEINDE,
    official_name: str = "",
    ags: str = "",
    population: int | None = None,
    population_date: dt.date | None = None,
    contact_email: str = "",
    contact_phone: str = "",
    joined_on: dt.date | None = None,
) -> Municipality:
    """Admit a municipality to the network."""
    name, ags = name.strip(), ags.strip()
    _validate_municipality_values(name, population, ags)
    try:
        with transaction.atomic():
            _check_municipality_unique(network, name, ags)
            municipality = Municipality.objects.create(
                network=network,
                slug=_unique_slug(network, name),
                name=name,
                official_name=official_name.strip(),
                kind=kind,
                ags=ags,
                population=population,
                population_date=population_date,
                contact_email=contact_email,
                contact_phone=contact_phone,
                joined_on=joined_on or timezone.localdate(),
            )
            record_event(
                action="municipality.created",
                actor=actor,
                network=network,
                municipality=municipality,
                obj=municipality,
                after=snapshot(municipality, MUNICIPALITY_FIELDS),
            )
    except IntegrityError as exc:  # a concurrent request admitted the same one
        raise ValidationError(_("Diese Kommune ist bereits Mitglied des Netzwerks.")) from exc
    return municipality


def update_municipality(*, actor: User, municipality: Municipality, **changes: Any) -> Municipality:
    """Change the master data of a municipality (name, AGS, population, contact)."""
    allowed = {
        "name",
        "official_name",
        "kind",
        "ags",
        "population",
        "population_date",
        "contact_email",
        "contact_phone",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"update_municipality() got unexpected fields {sorted(unknown)}")
    name = str(changes.get("name", municipality.name)).strip()
    ags = str(changes.get("ags", municipality.ags) or "").strip()
    population = changes.get("population", municipality.population)
    _validate_municipality_values(name, population, ags)
    try:
        with transaction.atomic():
            locked = Municipality.objects.select_for_update().get(pk=municipality.pk)
            _check_municipality_unique(locked.network, name, ags, exclude_pk=locked.pk)
            before = snapshot(locked, MUNICIPALITY_FIELDS)
            for field, value in {**changes, "name": name, "ags": ags}.items():
                setattr(locked, field, value)
            locked.save()
            after = snapshot(locked, MUNICIPALITY_FIELDS)
            if before != after:
                record_event(
                    action="municipality.updated",
                    actor=actor,
                    network=locked.network,
                    municipality=locked,
                    obj=locked,
                    before={k: v for k, v in before.items() if after[k] != v},
                    after={k: v for k, v in after.items() if before[k] != v},
                )
    except IntegrityError as exc:
        raise ValidationError(_("Name oder Gemeindeschlüssel sind bereits vergeben.")) from exc
    return locked


def record_municipality_leaving(
    *, actor: User, municipality: Municipality, left_on: dt.date | None = None
) -> Municipality:
    """The municipality leaves the network. Its history (people, requests, hours) stays."""
    with transaction.atomic():
        locked = Municipality.objects.select_for_update().get(pk=municipality.pk)
        if locked.status == Municipality.Status.LEFT:
            raise ValidationError(_("%(name)s ist bereits ausgetreten.") % {"name": locked.name})
        left_on = left_on or timezone.localdate()
        if left_on < locked.joined_on:
            raise ValidationError(
                {"left_on": _("Der Austritt kann nicht vor dem Beitritt liegen.")}
            )
        locked.status, locked.left_on = Municipality.Status.LEFT, left_on
        locked.save(update_fields=["status", "left_on", "updated_at"])
        record_event(
            action="municipality.left",
            actor=actor,
            network=locked.network,
            municipality=locked,
            obj=locked,
            before={"status": "active"},
            after={"status": "left", "left_on": left_on},
        )
    return locked


def readmit_municipality(
    *, actor: User, municipality: Municipality, joined_on: dt.date | None = None
) -> Municipality:
    """A municipality that had left joins again; the earlier history is kept."""
    with transaction.atomic():
        locked = Municipality.objects.select_for_update().get(pk=municipality.pk)
        if locked.status == Municipality.Status.ACTIVE:
            raise ValidationError(_("%(name)s ist bereits Mitglied.") % {"name": locked.name})
        before = snapshot(locked, ("status", "joined_on", "left_on"))
        locked.status, locked.left_on = Municipality.Status.ACTIVE, None
        locked.joined_on = joined_on or timezone.localdate()
        locked.save(update_fields=["status", "left_on", "joined_on", "updated_at"])
        record_event(
            action="municipality.readmitted",
            actor=actor,
            network=locked.network,
            municipality=locked,
            obj=locked,
            before=before,
            after=snapshot(locked, ("status", "joined_on", "left_on")),
        )
    return locked


def create_network(
    *,
    actor: User | None,
    slug: str,
    name: str,
    region: str = "",
    description: str = "",
    contact_email: str = "",
) -> Network:
    """Set up a new network (its first municipality and coordinator are added next)."""
    slug = slug.strip()
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Bitte geben Sie den Namen des Netzwerks an.")
    if not slug or slugify(slug) != slug:
        errors["slug"] = _(
            "Das Kürzel darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten."
        )
    elif Network.objects.filter(slug=slug).exists():
        errors["slug"] = _("Das Kürzel „%(slug)s“ ist bereits vergeben.") % {"slug": slug}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        network = Network.objects.create(
            slug=slug,
            name=name.strip(),
            region=region.strip(),
            description=description.strip(),
            contact_email=contact_email.strip(),
        )
        record_event(
            action="network.created",
            actor=actor,
            network=network,
            obj=network,
            after=snapshot(network, ("slug", "name", "region", "contact_email")),
        )
    return network


def invite_person(*, actor: User | None, network: Network, person: User, link: str) -> bool:
    """Send ``person`` the link to set their password (after the transaction commits).

    Returns whether an e-mail goes out; without an address the caller shows the link.
    """
    with transaction.atomic():
        record_event(
            action="person.invited",
            actor=actor,
            network=network,
            obj=person,
            after={"email": person.email or None},
        )
        if not person.email:
            return False
        subject = _("Ihr Zugang zu Amtshilfe – %(network)s") % {"network": network.name}
        body = _(
            "Guten Tag %(name)s,\n\nfür Sie wurde ein Zugang zu Amtshilfe angelegt. "
            "Ihr Benutzername: %(username)s\n\nLegen Sie über diesen Link Ihr Passwort fest "
            "(drei Tage gültig):\n%(link)s\n"
        ) % {"name": person.full_name, "username": person.username, "link": link}
        transaction.on_commit(lambda: person.email_user(subject, body))
    return True


def create_person(
    *,
    actor: User | None,
    network: Network,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    municipality: Municipality,
    role: str,
    started_on: dt.date | None = None,
    password: str | None = None,
) -> User:
    """Create an account with its first membership (a person always belongs somewhere)."""
    username = username.strip()
    if municipality.network_id != network.pk:
        raise ValidationError({"municipality": _("Die Kommune gehört nicht zu diesem Netzwerk.")})
    if not municipality.is_active:
        raise ValidationError(
            {"municipality": _("%(name)s ist ausgetreten.") % {"name": municipality.name}}
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {
                "username": _("Der Benutzername „%(name)s“ ist bereits vergeben.")
                % {"name": username}
            }
        )
    try:
        with transaction.atomic():
            person = User(
                username=username,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                email=email.strip(),
                phone=phone.strip(),
            )
            # Without a password a random one is set: the person chooses their own through
            # the invitation link (and "Passwort vergessen" works for them from the start).
            person.set_password(password or secrets.token_urlsafe(24))
            person.save()
            Membership.objects.create(
                user=person,
                municipality=municipality,
                role=role,
                started_on=started_on or timezone.localdate(),
            )
            record_event(
                action="person.created",
                actor=actor,
                network=network,
                municipality=municipality,
                obj=person,
                after={
                    **snapshot(person, PERSON_FIELDS),
                    "municipality": municipality.name,
                    "role": role,
                },
            )
    except IntegrityError as exc:
        raise ValidationError(
            {
                "username": _("Der Benutzername „%(name)s“ ist bereits vergeben.")
                % {"name": username}
            }
        ) from exc
    return person


def update_person(*, actor: User, network: Network, person: User, **changes: Any) -> User:
    allowed = {"first_name", "last_name", "email", "phone", "display_name"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"update_person() got unexpected fields {sorted(unknown)}")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=person.pk)
        before = snapshot(locked, PERSON_FIELDS)
        for field, value in changes.items():
            setattr(locked, field, (value or "").strip())
        locked.save()
        after = snapshot(locked, PERSON_FIELDS)
        if before != after:
            record_event(
                action="person.updated",
                actor=actor,
                network=network,
                obj=locked,
                before={k: v for k, v in before.items() if after[k] != v},
                after={k: v for k, v in after.items() if before[k] != v},
            )
    return locked


def set_person_active(*, actor: User, network: Network, person: User, active: bool) -> User:
    """Deactivate (cannot log in, history kept) or reactivate an account."""
    if person.pk == actor.pk and not active:
        raise ValidationError(_("Sie können Ihr eigenes Konto nicht deaktivieren."))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=person.pk)
        if locked.is_active == active:
            return locked
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        record_event(
            action="person.activated" if active else "person.deactivated",
            actor=actor,
            network=network,
            obj=locked,
            before={"is_active": not active},
            after={"is_active": active},
        )
    return locked


def add_membership(
    *,
    actor: User,
    person: User,
    municipality: Municipality,
    role: str,
    started_on: dt.date | None = None,
) -> Membership:
    if not municipality.is_active:
        raise ValidationError(
            {"municipality": _("%(name)s ist ausgetreten.") % {"name": municipality.name}}
        )
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Unbekannte Rolle.")})
    try:
        with transaction.atomic():
            if Membership.objects.current().filter(user=person, municipality=municipality).exists():
                raise ValidationError(
                    {
                        "municipality": _("%(person)s ist bereits Mitglied von %(municipality)s.")
                        % {"person": person.full_name, "municipality": municipality.name}
                    }
                )
            membership = Membership.objects.create(
                user=person,
                municipality=municipality,
                role=role,
                started_on=started_on or timezone.localdate(),
            )
            record_event(
                action="membership.added",
                actor=actor,
                network=municipality.network,
                municipality=municipality,
                obj=membership,
                after={"person": person.username, "role": role},
            )
    except IntegrityError as exc:
        raise ValidationError(_("Diese Mitgliedschaft besteht bereits.")) from exc
    return membership


def change_membership_role(*, actor: User, membership: Membership, role: str) -> Membership:
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Unbekannte Rolle.")})
    with transaction.atomic():
        locked = (
            Membership.objects.select_for_update()
            .select_related("municipality")
            .get(pk=membership.pk)
        )
        if locked.ended_on is not None:
            raise ValidationError(_("Diese Mitgliedschaft ist bereits beendet."))
        if locked.role == role:
            return locked
        before = locked.role
        locked.role = role
        locked.save(update_fields=["role", "updated_at"])
        record_event(
            action="membership.role_changed",
            actor=actor,
            network=locked.municipality.network,
            municipality=locked.municipality,
            obj=locked,
            before={"role": before},
            after={"role": role},
        )
    return locked


def end_membership(
    *, actor: User, membership: Membership, ended_on: dt.date | None = None
) -> Membership:
    """End a membership (kept as history). A person's last membership cannot be ended."""
    with transaction.atomic():
        locked = (
            Membership.objects.select_for_update()
            .select_related("municipality", "user")
            .get(pk=membership.pk)
        )
        if locked.ended_on is not None:
            raise ValidationError(_("Diese Mitgliedschaft ist bereits beendet."))
        others = Membership.objects.current().filter(user=locked.user).exclude(pk=locked.pk)
        if not others.exists():
            raise ValidationError(
                _(
                    "%(person)s hat keine andere Mitgliedschaft. Eine Person muss mindestens einer "
                    "Kommune angehören – deaktivieren Sie stattdessen das Konto, wenn sie das "
                    "Netzwerk verlässt."
                )
                % {"person": locked.user.full_name}
            )
        ended_on = ended_on or timezone.localdate()
        if ended_on < locked.started_on:
            raise ValidationError(_("Das Ende kann nicht vor dem Beginn liegen."))
        locked.ended_on = ended_on
        locked.save(update_fields=["ended_on", "updated_at"])
        record_event(
            action="membership.ended",
            actor=actor,
            network=locked.municipality.network,
            municipality=locked.municipality,
            obj=locked,
            after={"person": locked.user.username, "ended_on": ended_on},
        )
    return locked


def grant_network_role(
    *, actor: User | None, network: Network, person: User, role: str
) -> NetworkRole:
    if role not in NetworkRole.Role.values:
        raise ValidationError({"role": _("Unbekannte Rolle.")})
    with transaction.atomic():
        network_role, created = NetworkRole.objects.get_or_create(
            network=network, user=person, role=role
        )
        if created:
            record_event(
                action="network_role.granted",
                actor=actor,
                network=network,
                obj=network_role,
                after={"person": person.username, "role": role},
            )
    return network_role


def revoke_network_role(*, actor: User, network_role: NetworkRole) -> None:
    with transaction.atomic():
        locked = (
            NetworkRole.objects.select_for_update()
            .select_related("user", "network")
            .get(pk=network_role.pk)
        )
        if (
            locked.role == NetworkRole.Role.COORDINATOR
            and not NetworkRole.objects.filter(
                network=locked.network, role=NetworkRole.Role.COORDINATOR
            )
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise ValidationError(
                _(
                    "Das Netzwerk braucht mindestens eine Person in der Koordination. Vergeben Sie "
                    "die Rolle zuerst an jemand anderen."
                )
            )
        record_event(
            action="network_role.revoked",
            actor=actor,
            network=locked.network,
            obj=locked,
            before={"person": locked.user.username, "role": locked.role},
        )
        locked.delete()
