"""Onboarding plans: starting one, ticking items, changing the mentor, cancelling.

A plan is a copy of the cluster's template made at start, so later template edits never
change a running plan. It is completed – ``completed_on`` set – the moment its last open item
is ticked, and becomes active again if an item is reopened.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.board.models import ServiceRequest
from amtshilfe.core.audit import record_event
from amtshilfe.experts.models import TopicCluster
from amtshilfe.notifications.models import Kind
from amtshilfe.notifications.services import notify
from amtshilfe.onboarding.access import can_manage_cluster, can_tick, is_cluster_member
from amtshilfe.onboarding.models import (
    ChecklistTemplateItem,
    ItemKind,
    OnboardingPlan,
    PlanItem,
)
from amtshilfe.onboarding.services.checks import clean_item
from amtshilfe.tenancy.access import is_it_specialist
from amtshilfe.tenancy.models import Membership, Municipality
from amtshilfe.wiki.models import Article

ITEM_FIELDS = ("position", "kind", "title", "description", "article_id", "person_id")


def _plan_url(plan: OnboardingPlan) -> str:
    return reverse("onboarding:plan", args=[plan.pk])


def _check_mentor(cluster: TopicCluster, mentor: User, newcomer: User) -> None:
    if mentor.pk == newcomer.pk:
        raise ValidationError({"mentor": _("Die neue Person kann nicht ihr eigener Mentor sein.")})
    if not is_cluster_member(mentor, cluster):
        raise ValidationError(
            {"mentor": _("Mentor oder Mentorin muss dem Themencluster angehören.")}
        )


def start_onboarding(
    *,
    actor: User,
    cluster: TopicCluster,
    newcomer: User,
    mentor: User,
    started_on: dt.date | None = None,
    due_on: dt.date | None = None,
) -> OnboardingPlan:
    """Start a plan for ``newcomer`` in ``cluster`` with ``mentor``; copies the template.

    1. Only the coordination and the cluster's topic owners start plans.
    2. The newcomer is an IT specialist of a member municipality (also a new
       municipality's IT people), has no running plan in this cluster, and is not the mentor;
       the mentor belongs to the cluster.
    3. The template's items are copied in their order; newcomer and mentor are notified.
    """
    network = cluster.network
    if not can_manage_cluster(actor, cluster):
        raise PermissionDenied
    started_on = started_on or timezone.localdate()
    if not is_it_specialist(newcomer, network):
        raise ValidationError(
            {"newcomer": _("Einarbeitungen gibt es für IT-Fachkräfte der Mitgliedskommunen.")}
        )
    _check_mentor(cluster, mentor, newcomer)
    if due_on is not None and due_on < started_on:
        raise ValidationError({"due_on": _("Das Zieldatum liegt vor dem Beginn.")})
    with transaction.atomic():
        TopicCluster.objects.select_for_update().get(pk=cluster.pk)
        if OnboardingPlan.objects.active().filter(cluster=cluster, newcomer=newcomer).exists():
            raise ValidationError(
                {"newcomer": _("Für diese Person läuft in diesem Cluster schon eine Einarbeitung.")}
            )
        plan = OnboardingPlan.objects.create(
            network=network,
            cluster=cluster,
            newcomer=newcomer,
            mentor=mentor,
            started_by=actor,
            started_on=started_on,
            due_on=due_on,
        )
        template_items = ChecklistTemplateItem.objects.filter(template__cluster=cluster)
        PlanItem.objects.bulk_create(
            PlanItem(plan=plan, **{field: getattr(item, field) for field in ITEM_FIELDS})
            for item in template_items.order_by("position")
        )
        record_event(
            action="onboarding.started",
            actor=actor,
            network=network,
            obj=plan,
            after={
                "cluster": cluster.slug,
                "newcomer": newcomer.pk,
                "mentor": mentor.pk,
                "started_on": started_on.isoformat(),
                "due_on": due_on.isoformat() if due_on else None,
                "items": len(template_items),
            },
        )
        notify(
            recipients=[newcomer],
            network=network,
            kind=Kind.ONBOARDING,
            title=_("Willkommen im Themencluster „%(cluster)s“") % {"cluster": cluster.name},
            body=_("Ihre Einarbeitung hat begonnen. Ihr Mentor/Ihre Mentorin: %(mentor)s.")
            % {"mentor": mentor.full_name},
            url=_plan_url(plan),
        )
        notify(
            recipients=[mentor],
            network=network,
            kind=Kind.ONBOARDING,
            title=_("Sie begleiten %(person)s") % {"person": newcomer.full_name},
            body=_("%(person)s beginnt die Einarbeitung im Themencluster „%(cluster)s“.")
            % {"person": newcomer.full_name, "cluster": cluster.name},
            url=_plan_url(plan),
        )
    return plan


def start_onboarding_for_municipality(
    *,
    actor: User,
    cluster: TopicCluster,
    municipality: Municipality,
    mentor: User,
    started_on: dt.date | None = None,
    due_on: dt.date | None = None,
) -> list[OnboardingPlan]:
    """Start a plan for every IT specialist of a (new) municipality, all with one mentor.

    People who already have a running plan in the cluster, and the mentor, are skipped; all
    plans start in one transaction, so a refusal starts none.
    """
    if not can_manage_cluster(actor, cluster):
        raise PermissionDenied
    if municipality.network_id != cluster.network_id:
        raise ValidationError({"municipality": _("Die Kommune gehört nicht zum Netzwerk.")})
    running = OnboardingPlan.objects.active().filter(cluster=cluster).values("newcomer_id")
    people = (
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.current().filter(
                municipality=municipality, role=Membership.Role.IT
            ),
        )
        .exclude(pk__in=running)
        .exclude(pk=mentor.pk)
        .distinct()
        .order_by("last_name", "first_name")
    )
    if not people:
        raise ValidationError(
            {
                "municipality": _(
                    "In dieser Kommune gibt es keine IT-Fachkraft ohne laufende Einarbeitung."
                )
            }
        )
    with transaction.atomic():
        return [
            start_onboarding(
                actor=actor,
                cluster=cluster,
                newcomer=person,
                mentor=mentor,
                started_on=started_on,
                due_on=due_on,
            )
            for person in people
        ]


def _locked_plan(plan: OnboardingPlan) -> OnboardingPlan:
    return (
        OnboardingPlan.objects.select_for_update(of=("self",))
        .select_related("network", "cluster", "newcomer", "mentor")
        .get(pk=plan.pk)
    )


def _require_running(plan: OnboardingPlan) -> None:
    if plan.status == OnboardingPlan.Status.CANCELLED:
        raise ValidationError(_("Diese Einarbeitung wurde abgebrochen."))


def add_plan_item(
    *,
    actor: User,
    plan: OnboardingPlan,
    kind: str,
    title: str,
    description: str = "",
    article: Article | None = None,
    person: User | None = None,
    request: ServiceRequest | None = None,
) -> PlanItem:
    """Add an item to one running plan (topic owners, coordination); a completed plan reopens."""
    if not can_manage_cluster(actor, plan.cluster):
        raise PermissionDenied
    title, description, article, person = clean_item(
        cluster=plan.cluster,
        kind=kind,
        title=title,
        description=description,
        article=article,
        person=person,
    )
    if request is not None and (kind != ItemKind.SHADOW or request.cluster_id != plan.cluster_id):
        raise ValidationError({"request": _("Diese Anfrage passt nicht zum Punkt.")})
    with transaction.atomic():
        plan = _locked_plan(plan)
        _require_running(plan)
        last = plan.items.aggregate(last=Max("position"))["last"] or 0
        item = PlanItem.objects.create(
            plan=plan,
            position=last + 1,
            kind=kind,
            title=title,
            description=description,
            article=article,
            person=person,
            request=request,
        )
        before = {"status": plan.status}
        if plan.status == OnboardingPlan.Status.COMPLETED:
            plan.status, plan.completed_on = OnboardingPlan.Status.ACTIVE, None
            plan.save(update_fields=["status", "completed_on", "updated_at"])
        record_event(
            action="onboarding.item_added",
            actor=actor,
            network=plan.network,
            obj=plan,
            before=before,
            after={"item": item.pk, "title": title, "kind": kind, "status": plan.status},
        )
    return item


def complete_plan_item(
    *, actor: User, item: PlanItem, note: str = "", now: dt.datetime | None = None
) -> PlanItem:
    """Tick an item off (newcomer or mentor); the last one completes the plan."""
    now = now or timezone.now()
    note = note.replace("\r\n", "\n").strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("Die Notiz ist zu lang (höchstens 2.000 Zeichen).")})
    with transaction.atomic():
        plan = _locked_plan(item.plan)
        if not can_tick(actor, plan):
            raise PermissionDenied
        _require_running(plan)
        item = PlanItem.objects.get(pk=item.pk, plan=plan)
        if item.done_at is not None:
            raise ValidationError(_("Dieser Punkt ist schon erledigt."))
        item.done_at, item.done_by, item.note = now, actor, note
        item.save(update_fields=["done_at", "done_by", "note", "updated_at"])
        completed = not plan.items.filter(done_at__isnull=True).exists()
        if completed:
            plan.status = OnboardingPlan.Status.COMPLETED
            plan.completed_on = timezone.localdate(now)
            plan.save(update_fields=["status", "completed_on", "updated_at"])
        record_event(
            action="onboarding.item_done",
            actor=actor,
            network=plan.network,
            obj=plan,
            after={"item": item.pk, "note": note, "plan_completed": completed},
        )
        if completed:
            notify(
                recipients=[u for u in (plan.newcomer, plan.mentor) if u.pk != actor.pk],
                network=plan.network,
                kind=Kind.ONBOARDING,
                title=_("Einarbeitung im Themencluster „%(cluster)s“ abgeschlossen")
                % {"cluster": plan.cluster.name},
                url=_plan_url(plan),
            )
    return item


def reopen_plan_item(*, actor: User, item: PlanItem) -> PlanItem:
    """Mark a done item as open again (newcomer or mentor); a completed plan runs again."""
    with transaction.atomic():
        plan = _locked_plan(item.plan)
        if not can_tick(actor, plan):
            raise PermissionDenied
        _require_running(plan)
        item = PlanItem.objects.get(pk=item.pk, plan=plan)
        if item.done_at is None:
            raise ValidationError(_("Dieser Punkt ist noch offen."))
        before = {"done_at": item.done_at.isoformat(), "status": plan.status}
        item.done_at, item.done_by = None, None
        item.save(update_fields=["done_at", "done_by", "updated_at"])
        if plan.status == OnboardingPlan.Status.COMPLETED:
            plan.status, plan.completed_on = OnboardingPlan.Status.ACTIVE, None
            plan.save(update_fields=["status", "completed_on", "updated_at"])
        record_event(
            action="onboarding.item_reopened",
            actor=actor,
            network=plan.network,
            obj=plan,
            before=before,
            after={"item": item.pk, "status": plan.status},
        )
    return item


def link_shadow_request(*, actor: User, item: PlanItem, request: ServiceRequest | None) -> PlanItem:
    """Name the request a "shadow a first request" item is about (or none again).

    The mentor, the cluster's topic owners and the coordination choose it; it must be a
    request of the plan's cluster.
    """
    with transaction.atomic():
        plan = _locked_plan(item.plan)
        if actor.pk != plan.mentor_id and not can_manage_cluster(actor, plan.cluster):
            raise PermissionDenied
        _require_running(plan)
        item = PlanItem.objects.get(pk=item.pk, plan=plan)
        if item.kind != ItemKind.SHADOW:
            raise ValidationError(_("Nur bei „Erste Anfrage begleiten“ gehört eine Anfrage dazu."))
        if request is not None and request.cluster_id != plan.cluster_id:
            raise ValidationError(
                {"request": _("Die Anfrage gehört nicht zum Themencluster des Plans.")}
            )
        before = {"request": item.request_id}
        item.request = request
        item.save(update_fields=["request", "updated_at"])
        record_event(
            action="onboarding.request_linked",
            actor=actor,
            network=plan.network,
            obj=plan,
            before=before,
            after={"item": item.pk, "request": request.pk if request else None},
        )
    return item


def change_mentor(*, actor: User, plan: OnboardingPlan, mentor: User) -> OnboardingPlan:
    """Give a running plan another mentor from the cluster (owners, coordination)."""
    if not can_manage_cluster(actor, plan.cluster):
        raise PermissionDenied
    with transaction.atomic():
        plan = _locked_plan(plan)
        _require_running(plan)
        _check_mentor(plan.cluster, mentor, plan.newcomer)
        if mentor.pk == plan.mentor_id:
            return plan
        before: dict[str, Any] = {"mentor": plan.mentor_id}
        plan.mentor = mentor
        plan.save(update_fields=["mentor", "updated_at"])
        record_event(
            action="onboarding.mentor_changed",
            actor=actor,
            network=plan.network,
            obj=plan,
            before=before,
            after={"mentor": mentor.pk},
        )
        notify(
            recipients=[mentor, plan.newcomer],
            network=plan.network,
            kind=Kind.ONBOARDING,
            title=_("Neue Begleitung der Einarbeitung von %(person)s")
            % {"person": plan.newcomer.full_name},
            body=_("%(mentor)s begleitet jetzt die Einarbeitung im Themencluster „%(cluster)s“.")
            % {"mentor": mentor.full_name, "cluster": plan.cluster.name},
            url=_plan_url(plan),
        )
    return plan


def cancel_plan(*, actor: User, plan: OnboardingPlan) -> OnboardingPlan:
    """Stop a running plan (e.g. the person left); it stays visible as cancelled."""
    if not can_manage_cluster(actor, plan.cluster):
        raise PermissionDenied
    with transaction.atomic():
        plan = _locked_plan(plan)
        if plan.status != OnboardingPlan.Status.ACTIVE:
            raise ValidationError(_("Nur eine laufende Einarbeitung kann abgebrochen werden."))
        plan.status = OnboardingPlan.Status.CANCELLED
        plan.save(update_fields=["status", "updated_at"])
        record_event(
            action="onboarding.cancelled",
            actor=actor,
            network=plan.network,
            obj=plan,
            before={"status": OnboardingPlan.Status.ACTIVE},
            after={"status": plan.status},
        )
    return plan
