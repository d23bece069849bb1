"""The newcomer's welcome page, a plan's checklist and its actions, the mentor's overview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.board.models import ServiceRequest
from amtshilfe.lib.service_errors import add_service_errors, flash_form_errors, flash_service_error
from amtshilfe.onboarding import access, services
from amtshilfe.onboarding.forms import ItemForm, MentorForm, RequestNumberForm, TickForm
from amtshilfe.onboarding.models import OnboardingPlan, PlanItem
from amtshilfe.onboarding.views.progress import (
    contact_of,
    items_for_page,
    percent,
    with_progress,
)
from amtshilfe.tenancy.access import require_network


@login_required
def welcome(request: AuthenticatedRequest) -> HttpResponse:
    """Willkommen: the newcomer's plans, their mentors and the first steps."""
    network = require_network(request)
    plans = with_progress(
        OnboardingPlan.objects.visible_to(request.user, network).filter(newcomer=request.user)
    ).order_by("status", "-started_on")
    rows = [
        {
            "plan": plan,
            "percent": percent(plan.done_count, plan.item_count),  # type: ignore[attr-defined]
            "mentor": contact_of(plan.mentor, network),
            "next_items": list(plan.items.filter(done_at__isnull=True).order_by("position")[:3]),
        }
        for plan in plans
    ]
    return render(request, "onboarding/welcome.html", {"rows": rows, "network": network})


def _plan_context(
    request: AuthenticatedRequest, plan: OnboardingPlan, can_tick: bool, **forms: object
) -> dict[str, object]:
    network = plan.network
    items = items_for_page(plan, user=request.user, network=network)
    done = sum(1 for row in items if row["item"].is_done)
    can_manage = access.can_manage_cluster(request.user, plan.cluster)
    running = plan.status != OnboardingPlan.Status.CANCELLED
    return {
        "plan": plan,
        "items": items,
        "done": done,
        "total": len(items),
        "percent": percent(done, len(items)),
        "can_tick": can_tick and running,
        "can_manage": can_manage and running,
        "can_link": running and (can_manage or request.user.pk == plan.mentor_id),
        "mentor": contact_of(plan.mentor, network),
        "item_form": forms.get("item_form") or ItemForm(cluster=plan.cluster, auto_id="item_%s"),
        "mentor_form": forms.get("mentor_form")
        or MentorForm(cluster=plan.cluster, auto_id="mentor_%s"),
    }


@login_required
def plan_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    plan, can_tick = access.get_plan_for_user(request.user, network, pk)
    return render(request, "onboarding/plan.html", _plan_context(request, plan, can_tick))


@login_required
@require_POST
def tick(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    network = require_network(request)
    plan = access.get_plan_for_user_rw(request.user, network, pk)
    item = get_object_or_404(PlanItem, pk=item_pk, plan=plan)
    form = TickForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("onboarding:plan", pk=plan.pk)
    try:
        services.complete_plan_item(actor=request.user, item=item, note=form.cleaned_data["note"])
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(request, _("„%(title)s“ ist erledigt.") % {"title": item.title})
    return redirect(f"{_next(request, plan)}#item-{item.pk}")


@login_required
@require_POST
def untick(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    network = require_network(request)
    plan = access.get_plan_for_user_rw(request.user, network, pk)
    item = get_object_or_404(PlanItem, pk=item_pk, plan=plan)
    try:
        services.reopen_plan_item(actor=request.user, item=item)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(request, _("„%(title)s“ ist wieder offen.") % {"title": item.title})
    return redirect(f"{_next(request, plan)}#item-{item.pk}")


def _next(request: AuthenticatedRequest, plan: OnboardingPlan) -> str:
    """Back to the welcome page when the tick came from there, else to the plan."""
    if request.POST.get("next") == "welcome":
        return reverse("onboarding:welcome")
    return reverse("onboarding:plan", args=[plan.pk])


@login_required
@require_POST
def link_request(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    """Name the request to shadow by its number (empty: none); mentor and owners."""
    network = require_network(request)
    plan, _can_tick = access.get_plan_for_user(request.user, network, pk)
    item = get_object_or_404(PlanItem, pk=item_pk, plan=plan)
    form = RequestNumberForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect(f"{_next(request, plan)}#item-{item.pk}")
    number = form.cleaned_data["number"]
    chosen = None
    if number is not None:
        chosen = (
            ServiceRequest.objects.visible_to(request.user, network).filter(number=number).first()
        )
        if chosen is None:
            messages.error(
                request, _("Eine Anfrage Nr. %(n)d gibt es für Sie nicht.") % {"n": number}
            )
            return redirect(f"{_next(request, plan)}#item-{item.pk}")
    try:
        services.link_shadow_request(actor=request.user, item=item, request=chosen)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(request, _("Die Anfrage zum Begleiten ist gespeichert."))
    return redirect(f"{_next(request, plan)}#item-{item.pk}")


@login_required
@require_POST
def add_item(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    plan = access.get_plan_for_manager(request.user, network, pk)
    form = ItemForm(request.POST, cluster=plan.cluster, auto_id="item_%s")
    if form.is_valid():
        try:
            services.add_plan_item(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Der Punkt ist hinzugefügt."))
            return redirect("onboarding:plan", pk=plan.pk)
    context = _plan_context(request, plan, access.can_tick(request.user, plan), item_form=form)
    return render(request, "onboarding/plan.html", context, status=400)


@login_required
@require_POST
def set_mentor(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    plan = access.get_plan_for_manager(request.user, network, pk)
    form = MentorForm(request.POST, cluster=plan.cluster, auto_id="mentor_%s")
    if form.is_valid():
        try:
            services.change_mentor(
                actor=request.user, plan=plan, mentor=form.cleaned_data["mentor"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Die Begleitung ist geändert."))
            return redirect("onboarding:plan", pk=plan.pk)
    context = _plan_context(request, plan, access.can_tick(request.user, plan), mentor_form=form)
    return render(request, "onboarding/plan.html", context, status=400)


@login_required
@require_POST
def cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    plan = access.get_plan_for_manager(request.user, network, pk)
    try:
        services.cancel_plan(actor=request.user, plan=plan)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(request, _("Die Einarbeitung ist abgebrochen."))
    return redirect("onboarding:plan", pk=plan.pk)


@login_required
def mentees(request: AuthenticatedRequest) -> HttpResponse:
    """Meine Mentees: the plans the user accompanies, running ones first."""
    network = require_network(request)
    plans = with_progress(
        OnboardingPlan.objects.visible_to(request.user, network).filter(mentor=request.user)
    ).order_by("status", "-started_on")
    rows = [
        {"plan": plan, "percent": percent(plan.done_count, plan.item_count)}  # type: ignore[attr-defined]
        for plan in plans
    ]
    return render(request, "onboarding/mentees.html", {"rows": rows})
