"""Writes of the website: page edits with revisions, public contacts, join requests.

Every function is keyword-only, atomic, locks what it changes and records one audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.core.audit import record_event, snapshot
from amtshilfe.experts.models import TopicCluster
from amtshilfe.notifications.models import Kind
from amtshilfe.notifications.services import notify
from amtshilfe.tenancy.models import Municipality, Network, NetworkRole
from amtshilfe.tenancy.services import create_municipality
from amtshilfe.website.defaults import default_title
from amtshilfe.website.models import JoinRequest, PublicContact, SitePage, SitePageRevision

PAGE_BODY_MAX = 50_000
CONTACT_FIELDS = ("label", "email", "phone", "note")
JOIN_FIELDS = ("municipality_name", "kind", "ags", "population", "contact_name", "email")


# --- site pages ------------------------------------------------------------------------------


def _validate_page(title: str, body: str) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Bitte geben Sie einen Titel an.")
    if not body.strip():
        errors["body"] = _(
            "Bitte geben Sie einen Text ein; eine leere Seite wird nicht gespeichert."
        )
    elif len(body) > PAGE_BODY_MAX:
        errors["body"] = _("Der Text ist zu lang (höchstens %(max)s Zeichen).") % {
            "max": PAGE_BODY_MAX
        }
    if errors:
        raise ValidationError(errors)


def _add_revision(
    page: SitePage, *, actor: User | None, message: str, restored_from: int | None = None
) -> SitePageRevision:
    number = (page.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return SitePageRevision.objects.create(
        page=page,
        number=number,
        title=page.title,
        body=page.body,
        message=message.strip()[:300],
        author=actor,
        restored_from=restored_from,
    )


def save_site_page(
    *,
    actor: User | None,
    network: Network,
    key: str,
    title: str,
    body: str,
    message: str = "",
    base_version: int | None = None,
) -> SitePage:
    """Save a new version of page ``key``; refuse it if someone saved since ``base_version``.

    The first save creates the page (before that, visitors see the default text).
    """
    if key not in SitePage.Key.values:
        raise ValidationError(_("Diese Seite gibt es nicht."))
    title, body = title.strip(), body.strip()
    _validate_page(title, body)
    with transaction.atomic():
        page, created = SitePage.objects.select_for_update().get_or_create(
            network=network, key=key, defaults={"title": title, "body": body}
        )
        if not created and base_version is not None and base_version != page.version:
            raise ValidationError(
                _(
                    "Die Seite wurde inzwischen von jemand anderem geändert. Ihr Text ist "
                    "unten erhalten; bitte übernehmen Sie Ihre Änderungen in die neue Fassung."
                )
            )
        before = None if created else snapshot(page, ("title", "body"))
        if not created and page.title == title and page.body == body:
            raise ValidationError(
                _("Der Text ist unverändert; es wurde keine neue Version angelegt.")
            )
        page.title, page.body = title, body
        page.version += 1
        page.save()
        revision = _add_revision(page, actor=actor, message=message)
        record_event(
            action="site_page.saved",
            actor=actor,
            network=network,
            obj=page,
            before=before,
            after={**snapshot(page, ("title", "body")), "revision": revision.number},
        )
    return page


def restore_site_page_revision(
    *, actor: User, revision: SitePageRevision, base_version: int | None = None
) -> SitePage:
    """Make an older version current again – as a new version, the history stays complete."""
    with transaction.atomic():
        page = SitePage.objects.select_for_update().get(pk=revision.page_id)
        if base_version is not None and base_version != page.version:
            raise ValidationError(
                _("Die Seite wurde inzwischen geändert. Bitte prüfen Sie die Versionen erneut.")
            )
        if page.title == revision.title and page.body == revision.body:
            raise ValidationError(_("Diese Version entspricht bereits dem aktuellen Text."))
        before = snapshot(page, ("title", "body"))
        page.title, page.body = revision.title, revision.body
        page.version += 1
        page.save()
        new = _add_revision(
            page,
            actor=actor,
            message=_("Wiederhergestellt aus Version %(number)s") % {"number": revision.number},
            restored_from=revision.number,
        )
        record_event(
            action="site_page.restored",
            actor=actor,
            network=page.network,
            obj=page,
            before=before,
            after={**snapshot(page, ("title", "body")), "revision": new.number},
        )
    return page


def page_title(network: Network, key: str) -> str:
    page = SitePage.objects.filter(network=network, key=key).only("title").first()
    return page.title if page else default_title(key)


# --- public contacts -------------------------------------------------------------------------


def set_public_contact(
    *,
    actor: User,
    municipality: Municipality,
    label: str,
    email: str = "",
    phone: str = "",
    note: str = "",
) -> PublicContact:
    """Publish (or change) the contact point of ``municipality`` on the website."""
    label, email, phone, note = label.strip(), email.strip(), phone.strip(), note.strip()
    errors: dict[str, str] = {}
    if not label:
        errors["label"] = _("Bitte geben Sie eine Bezeichnung an, z. B. „IT-Stelle“.")
    if not email and not phone:
        errors["email"] = _("Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Municipality.objects.select_for_update().get(pk=municipality.pk)
        contact = PublicContact.objects.filter(municipality=municipality).first()
        before = snapshot(contact, CONTACT_FIELDS) if contact else None
        if contact is None:
            contact = PublicContact(municipality=municipality)
        contact.label, contact.email, contact.phone, contact.note = label, email, phone, note
        contact.save()
        record_event(
            action="public_contact.saved",
            actor=actor,
            network=municipality.network,
            municipality=municipality,
            obj=contact,
            before=before,
            after=snapshot(contact, CONTACT_FIELDS),
        )
    return contact


def remove_public_contact(*, actor: User, municipality: Municipality) -> None:
    """Show no contact for ``municipality`` on the website any more."""
    with transaction.atomic():
        Municipality.objects.select_for_update().get(pk=municipality.pk)
        contact = PublicContact.objects.filter(municipality=municipality).first()
        if contact is None:
            return
        record_event(
            action="public_contact.removed",
            actor=actor,
            network=municipality.network,
            municipality=municipality,
            obj=contact,
            before=snapshot(contact, CONTACT_FIELDS),
        )
        contact.delete()


# --- join requests ---------------------------------------------------------------------------


def _coordinators(network: Network) -> list[User]:
    return list(
        User.objects.filter(
            network_roles__network=network, network_roles__role=NetworkRole.Role.COORDINATOR
        ).distinct()
    )


def submit_join_request(
    *,
    network: Network,
    municipality_name: str,
    kind: str,
    population: int,
    contact_name: str,
    email: str,
    ags: str = "",
    phone: str = "",
    clusters: Iterable[TopicCluster] = (),
    contribution: str = "",
    consent: bool,
) -> JoinRequest:
    """Record a municipality's request to join; the coordination is notified."""
    name, ags, contact_name = municipality_name.strip(), ags.strip(), contact_name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["municipality_name"] = _("Bitte geben Sie den Namen der Kommune an.")
    if ags and (len(ags) != 8 or not ags.isdigit()):
        errors["ags"] = _("Der Amtliche Gemeindeschlüssel besteht aus genau 8 Ziffern.")
    if population is None or population < 1:
        errors["population"] = _("Bitte geben Sie die Einwohnerzahl an (mindestens 1).")
    if not contact_name:
        errors["contact_name"] = _("Bitte nennen Sie eine Ansprechperson.")
    if not email.strip():
        errors["email"] = _("Bitte geben Sie eine E-Mail-Adresse an.")
    if not consent:
        errors["consent"] = _(
            "Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu; ohne sie können wir die "
            "Anfrage nicht bearbeiten."
        )
    chosen = list(clusters)
    if any(cluster.network_id != network.pk for cluster in chosen):
        errors["clusters"] = _("Bitte wählen Sie nur Themencluster dieses Netzwerks.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Network.objects.select_for_update().get(pk=network.pk)
        join_request = JoinRequest.objects.create(
            network=network,
            municipality_name=name,
            kind=kind,
            ags=ags,
            population=population,
            contact_name=contact_name,
            email=email.strip(),
            phone=phone.strip(),
            contribution=contribution.strip(),
            consent_at=timezone.now(),
        )
        join_request.clusters.set(chosen)
        record_event(
            action="join_request.submitted",
            actor=None,
            network=network,
            obj=join_request,
            after=snapshot(join_request, JOIN_FIELDS),
        )
        notify(
            recipients=_coordinators(network),
            network=network,
            kind=Kind.JOIN_REQUEST,
            title=_("Beitrittsanfrage von %(name)s") % {"name": name},
            body=_("%(person)s fragt für %(name)s (%(population)s Einw.) den Beitritt an.")
            % {"person": contact_name, "name": name, "population": population},
            url=reverse("website:join_request_detail", kwargs={"pk": join_request.pk}),
        )
    return join_request


def _mail_decision(join_request: JoinRequest, subject: str, text: str) -> None:
    send_mail(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [join_request.email],
        fail_silently=True,  # the decision stands; the coordination sees the message in the app
    )


def decide_join_request(
    *,
    actor: User,
    join_request: JoinRequest,
    accept: bool,
    message: str,
    create_member: bool = False,
    mail_contact: bool = True,
) -> JoinRequest:
    """Accept or decline a pending join request and tell the contact person by e-mail.

    1. Lock the request; only a pending one can be decided (a second click changes nothing).
    2. On acceptance with ``create_member``, admit the municipality through tenancy's service
       (its German validation errors – e.g. name already taken – abort everything).
    3. Record the decision and its audit event; the e-mail goes out after the commit.
    """
    message = message.strip()
    if not accept and not message:
        raise ValidationError(
            {"message": _("Bitte begründen Sie die Ablehnung in einer Nachricht an die Kommune.")}
        )
    with transaction.atomic():
        locked = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if locked.status != JoinRequest.Status.PENDING:
            raise ValidationError(_("Über diese Anfrage wurde bereits entschieden."))
        if accept and create_member:
            locked.municipality = create_municipality(
                actor=actor,
                network=locked.network,
                name=locked.municipality_name,
                kind=locked.kind,
                ags=locked.ags,
                population=locked.population,
                contact_email=locked.email,
                contact_phone=locked.phone,
            )
        locked.status = JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.DECLINED
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.decision_message = message
        locked.save()
        record_event(
            action="join_request.accepted" if accept else "join_request.declined",
            actor=actor,
            network=locked.network,
            municipality=locked.municipality,
            obj=locked,
            before={"status": JoinRequest.Status.PENDING},
            after={"status": locked.status, "message": message},
        )
        if accept:
            subject = _("Ihre Beitrittsanfrage an %(network)s wurde angenommen")
        else:
            subject = _("Ihre Beitrittsanfrage an %(network)s")
        subject %= {"network": locked.network.name}
        greeting = _("Guten Tag %(name)s,") % {"name": locked.contact_name}
        outcome = (
            _("wir freuen uns: die Beitrittsanfrage für %(name)s ist angenommen.")
            if accept
            else _("die Beitrittsanfrage für %(name)s wurde leider abgelehnt.")
        ) % {"name": locked.municipality_name}
        text = "\n\n".join(part for part in (greeting, outcome, message) if part)
        text += "\n\n" + _("Ihre Koordinierungsstelle %(network)s") % {
            "network": locked.network.name
        }
        if mail_contact:  # the demo loader decides without mailing anybody
            transaction.on_commit(partial(_mail_decision, locked, subject, text))
    return locked


JOIN_REQUEST_RETENTION_DAYS = 365


def purge_join_requests(*, now: dt.datetime | None = None) -> int:
    """Delete decided join requests older than the retention period (Datenschutzerklärung).

    Pending requests stay until they are decided; an accepted municipality lives on in
    tenancy, so the request (with the contact's personal data) is no longer needed either.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=JOIN_REQUEST_RETENTION_DAYS)
    with transaction.atomic():
        old = JoinRequest.objects.select_for_update().filter(
            ~Q(status=JoinRequest.Status.PENDING), decided_at__lt=cutoff
        )
        by_network: dict[int, int] = {}
        for network_id in old.values_list("network_id", flat=True):
            by_network[network_id] = by_network.get(network_id, 0) + 1
        old.delete()
        for network_id, count in by_network.items():
            record_event(
                action="join_request.purged",
                actor=None,
                network=Network.objects.get(pk=network_id),
                after={"count": count, "decided_before": cutoff.date()},
            )
    return sum(by_network.values())
