"""A cluster's checklist template (topic owners, coordination) and starting an onboarding."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.experts.models import TopicCluster
from amtshilfe.lib.service_errors import add_service_errors
from amtshilfe.onboarding import access, services
from amtshilfe.onboarding.forms import ItemForm, StartForm
from amtshilfe.onboarding.models import ChecklistTemplateItem
from amtshilfe.tenancy.access import require_network
from amtshilfe.wiki.views.rendering import render_for_reader


def _template_items(cluster: TopicCluster) -> list[ChecklistTemplateItem]:
    return list(
        ChecklistTemplateItem.objects.filter(template__cluster=cluster)
        .select_related("article", "person")
        .order_by("position")
    )


@login_required
def template_editor(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The checklist template: every member reads it, owners and coordination change it."""
    network = require_network(request)
    cluster, can_write = access.get_cluster_for_onboarding(request.user, network, slug)
    form = ItemForm(cluster=cluster, auto_id="item_%s")
    status = 200
    if request.method == "POST":
        cluster = access.get_cluster_for_onboarding_rw(request.user, network, slug)
        form = ItemForm(request.POST, cluster=cluster, auto_id="item_%s")
        if form.is_valid():
            try:
                services.add_template_item(actor=request.user, cluster=cluster, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Der Punkt ist hinzugefügt."))
                return redirect("onboarding:template", slug=cluster.slug)
        status = 400
    items = [
        {
            "item": item,
            "html": render_for_reader(item.description, user=request.user, network=network).html
            if item.description
            else "",
        }
        for item in _template_items(cluster)
    ]
    return render(
        request,
        "onboarding/template.html",
        {"cluster": cluster, "items": items, "can_write": can_write, "form": form},
        status=status,
    )


def _item_rw(request: AuthenticatedRequest, slug: str, item_pk: int) -> ChecklistTemplateItem:
    network = require_network(request)
    cluster = access.get_cluster_for_onboarding_rw(request.user, network, slug)
    return get_object_or_404(
        ChecklistTemplateItem.objects.select_related("template__cluster__network"),
        pk=item_pk,
        template__cluster=cluster,
    )


@login_required
def edit_template_item(request: AuthenticatedRequest, slug: str, item_pk: int) -> HttpResponse:
    item = _item_rw(request, slug, item_pk)
    cluster = item.template.cluster
    initial = {
        "kind": item.kind,
        "title": item.title,
        "description": item.description,
        "article": item.article_id,
        "person": item.person_id,
    }
    form = ItemForm(
        request.POST if request.method == "POST" else None,
        cluster=cluster,
        initial=initial,
        auto_id="item_%s",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_template_item(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Der Punkt ist gespeichert."))
            return redirect("onboarding:template", slug=cluster.slug)
    return render(
        request,
        "onboarding/template_item.html",
        {"cluster": cluster, "item": item, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def remove_template_item(request: AuthenticatedRequest, slug: str, item_pk: int) -> HttpResponse:
    item = _item_rw(request, slug, item_pk)
    services.remove_template_item(actor=request.user, item=item)
    messages.success(request, _("Der Punkt ist entfernt."))
    return redirect("onboarding:template", slug=slug)


@login_required
@require_POST
def move_template_item(request: AuthenticatedRequest, slug: str, item_pk: int) -> HttpResponse:
    item = _item_rw(request, slug, item_pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.move_template_item(actor=request.user, item=item, direction=direction)
    url = reverse("onboarding:template", kwargs={"slug": slug})
    return redirect(f"{url}#template-item-{item.pk}")


@login_required
def start(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Start an onboarding in this cluster (topic owners, coordination)."""
    network = require_network(request)
    cluster = access.get_cluster_for_onboarding_rw(request.user, network, slug)
    form = StartForm(
        request.POST if request.method == "POST" else None,
        cluster=cluster,
        initial={"started_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        municipality, newcomer = data.pop("municipality"), data.pop("newcomer")
        try:
            if municipality is not None:
                plans = services.start_onboarding_for_municipality(
                    actor=request.user, cluster=cluster, municipality=municipality, **data
                )
            else:
                plans = [
                    services.start_onboarding(
                        actor=request.user, cluster=cluster, newcomer=newcomer, **data
                    )
                ]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Die Einarbeitung hat begonnen; neue Person und Mentor/in sind benachrichtigt.",
                    "%(n)d Einarbeitungen haben begonnen; die neuen Personen und der "
                    "Mentor/die Mentorin sind benachrichtigt.",
                    len(plans),
                )
                % {"n": len(plans)},
            )
            if len(plans) == 1:
                return redirect("onboarding:plan", pk=plans[0].pk)
            return redirect("onboarding:index")
    return render(
        request,
        "onboarding/start.html",
        {"cluster": cluster, "form": form, "items": _template_items(cluster)},
        status=400 if form.is_bound else 200,
    )
