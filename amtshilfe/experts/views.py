"""Topic clusters (read by all members, managed by coordination and owners) and own profile."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.accounts.models import User
from amtshilfe.experts import services
from amtshilfe.experts.access import get_cluster_for_user, get_cluster_for_user_rw
from amtshilfe.experts.forms import (
    ClusterEditForm,
    ClusterForm,
    ClusterMemberForm,
    ExpertProfileForm,
)
from amtshilfe.experts.models import ClusterMembership, ExpertProfile, TopicCluster
from amtshilfe.lib.service_errors import add_service_errors, flash_form_errors, flash_service_error
from amtshilfe.tenancy import access as tenancy_access
from amtshilfe.tenancy.models import Membership


@login_required
def cluster_list(request: AuthenticatedRequest) -> HttpResponse:
    network = tenancy_access.require_network(request)
    owners = ClusterMembership.objects.filter(role=ClusterMembership.Role.OWNER).select_related(
        "user"
    )
    clusters = (
        TopicCluster.objects.in_network(network)
        .annotate(member_count=Count("memberships"))
        .prefetch_related(Prefetch("memberships", queryset=owners, to_attr="owners"))
        .order_by("-is_active", "name")
    )
    return render(
        request,
        "experts/cluster_list.html",
        {
            "clusters": clusters,
            "can_create": tenancy_access.is_coordinator(request.user, network),
        },
    )


@login_required
def cluster_create(request: AuthenticatedRequest) -> HttpResponse:
    network = tenancy_access.require_coordinator(request)
    form = ClusterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            cluster = services.create_cluster(
                actor=request.user,
                network=network,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Das Themencluster „%(name)s“ ist angelegt. Ernennen Sie "
                    "jetzt die Themen-Zuständigen."
                )
                % {"name": cluster.name},
            )
            return redirect("experts:cluster_detail", slug=cluster.slug)
    return render(request, "experts/cluster_form.html", {"form": form, "creating": True})


def _people_for_cluster(cluster: TopicCluster) -> QuerySet[User]:
    return (
        User.objects.filter(
            is_active=True,
            memberships__municipality__network=cluster.network,
            memberships__municipality__status="active",
            memberships__ended_on__isnull=True,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


@login_required
def cluster_detail(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    cluster, can_write = get_cluster_for_user(request, slug)
    today = timezone.localdate()
    current = Membership.objects.current().filter(municipality__network=cluster.network)
    memberships = (
        cluster.memberships.select_related("user")
        .prefetch_related(
            Prefetch(
                "user__memberships",
                queryset=current.select_related("municipality"),
                to_attr="current_memberships",
            ),
            Prefetch(
                "user__expert_profiles",
                queryset=ExpertProfile.objects.filter(network=cluster.network).prefetch_related(
                    "skills"
                ),
                to_attr="profiles_here",
            ),
        )
        .order_by("role", "user__last_name", "user__first_name")
    )
    rows = []
    for membership in memberships:
        person: Any = membership.user  # carries the prefetched lists below
        profile = person.profiles_here[0] if person.profiles_here else None
        rows.append(
            {
                "membership": membership,
                "municipalities": [m.municipality.name for m in person.current_memberships],
                "profile": profile,
                "absent": profile.is_absent_on(today) if profile else False,
            }
        )
    is_coordinator = tenancy_access.is_coordinator(request.user, cluster.network)
    member_ids = [m.user_id for m in memberships]
    form = (
        ClusterMemberForm(
            people=_people_for_cluster(cluster).exclude(pk__in=member_ids),
            can_set_owner=is_coordinator,
        )
        if can_write
        else None
    )
    return render(
        request,
        "experts/cluster_detail.html",
        {
            "cluster": cluster,
            "rows": rows,
            "can_write": can_write,
            "is_coordinator": is_coordinator,
            "form": form,
            "role_choices": ClusterMembership.Role.choices,
        },
    )


@login_required
def cluster_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    cluster = get_cluster_for_user_rw(request, slug)
    initial = {
        "name": cluster.name,
        "description": cluster.description,
        "keywords": ", ".join(cluster.keywords),
        "is_active": cluster.is_active,
    }
    form = ClusterEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_cluster(actor=request.user, cluster=cluster, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Die Angaben wurden gespeichert."))
            return redirect("experts:cluster_detail", slug=cluster.slug)
    return render(
        request, "experts/cluster_form.html", {"form": form, "cluster": cluster, "creating": False}
    )


@login_required
@require_POST
def cluster_member_set(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    cluster = get_cluster_for_user_rw(request, slug)
    is_coordinator = tenancy_access.is_coordinator(request.user, cluster.network)
    form = ClusterMemberForm(
        request.POST, people=_people_for_cluster(cluster), can_set_owner=is_coordinator
    )
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("experts:cluster_detail", slug=cluster.slug)
    person, role = form.cleaned_data["person"], form.cleaned_data["role"]
    try:
        services.set_cluster_member(actor=request.user, cluster=cluster, person=person, role=role)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(
            request,
            _("%(person)s ist jetzt %(role)s in „%(cluster)s“.")
            % {
                "person": person.full_name,
                "role": ClusterMembership.Role(role).label,
                "cluster": cluster.name,
            },
        )
    return redirect("experts:cluster_detail", slug=cluster.slug)


@login_required
@require_POST
def cluster_member_remove(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    cluster = get_cluster_for_user_rw(request, slug)
    membership = get_object_or_404(ClusterMembership, pk=pk, cluster=cluster)
    try:
        services.remove_cluster_member(actor=request.user, membership=membership)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(
            request,
            _("%(person)s gehört nicht mehr zu „%(cluster)s“.")
            % {"person": membership.user.full_name, "cluster": cluster.name},
        )
    return redirect("experts:cluster_detail", slug=cluster.slug)


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    network = tenancy_access.require_network(request)
    if not tenancy_access.is_it_specialist(request.user, network):
        raise PermissionDenied
    clusters = TopicCluster.objects.in_network(network).active()
    existing = ExpertProfile.objects.filter(network=network, user=request.user).first()
    my_clusters = ClusterMembership.objects.filter(user=request.user, cluster__network=network)
    owned = [
        m.cluster
        for m in my_clusters.filter(role=ClusterMembership.Role.OWNER).select_related("cluster")
    ]
    initial = {"clusters": [m.cluster_id for m in my_clusters], "pledged_hours_per_month": 0}
    if existing is not None:
        initial.update(
            {
                "skills": ", ".join(existing.skills.values_list("name", flat=True)),
                "pledged_hours_per_month": existing.pledged_hours_per_month,
                "absent_from": existing.absent_from,
                "absent_until": existing.absent_until,
                "availability_note": existing.availability_note,
                "bio": existing.bio,
            }
        )
    form = ExpertProfileForm(
        request.POST if request.method == "POST" else None, clusters=clusters, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_expert_profile(
                actor=request.user,
                network=network,
                person=request.user,
                skills=data["skills"],
                pledged_hours_per_month=data["pledged_hours_per_month"],
                absent_from=data["absent_from"],
                absent_until=data["absent_until"],
                availability_note=data["availability_note"],
                bio=data["bio"],
                clusters=list(data["clusters"]) + owned,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ihr Profil wurde gespeichert."))
            return redirect("experts:profile")
    return render(request, "experts/profile.html", {"form": form, "owned": owned})
