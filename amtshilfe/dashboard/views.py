"""The start page after login, composed of the sections that fit the person's roles."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.core.models import AuditEvent
from amtshilfe.experts.models import ClusterMembership, ExpertProfile, TopicCluster
from amtshilfe.tenancy import access
from amtshilfe.tenancy.current import current_network
from amtshilfe.tenancy.models import Membership, Municipality
from amtshilfe.wiki.owner_queues import pending_revisions, stale_articles


@login_required
def start(request: AuthenticatedRequest) -> HttpResponse:
    network = current_network(request)
    user = request.user
    if network is None or not access.is_network_member(user, network):
        return render(request, "dashboard/no_network.html")
    memberships = access.current_memberships(user, network)
    roles = access.network_roles(user, network)
    context: dict[str, object] = {
        "network": network,
        "memberships": memberships,
        "is_staff_member": any(m.role == Membership.Role.STAFF for m in memberships),
        "is_it": any(m.role == Membership.Role.IT for m in memberships),
        "is_coordinator": "coordinator" in roles,
        "is_steering": "steering" in roles,
        "is_auditor": "auditor" in roles,
    }
    owners = ClusterMembership.objects.filter(role=ClusterMembership.Role.OWNER).select_related(
        "user"
    )
    if context["is_staff_member"]:
        context["help_clusters"] = (
            TopicCluster.objects.in_network(network)
            .active()
            .prefetch_related(Prefetch("memberships", queryset=owners, to_attr="owners"))
        )
    if context["is_it"]:
        context["my_clusters"] = ClusterMembership.objects.filter(
            user=user, cluster__network=network
        ).select_related("cluster")
        profile = ExpertProfile.objects.filter(network=network, user=user).first()
        context["profile"] = profile
        context["profile_absent"] = profile.is_absent_on(timezone.localdate()) if profile else False
    if ClusterMembership.objects.filter(
        user=user, cluster__network=network, role=ClusterMembership.Role.OWNER
    ).exists():
        # "Zu prüfen": a few items each, the full lists are on the wiki's own pages.
        context["review_pending"] = list(pending_revisions(user, network)[:10])
        context["review_stale"] = list(stale_articles(user, network)[:10])
    if roles:
        municipalities = Municipality.objects.in_network(network)
        context["network_stats"] = municipalities.aggregate(
            active=Count("pk", filter=Q(status="active")),
            left=Count("pk", filter=Q(status="left")),
        )
        people = Membership.objects.current().filter(
            municipality__network=network, municipality__status="active", user__is_active=True
        )
        context["people_stats"] = {
            "staff": people.filter(role="staff").values("user").distinct().count(),
            "it": people.filter(role="it").values("user").distinct().count(),
        }
        context["clusters_without_owner"] = (
            TopicCluster.objects.in_network(network)
            .active()
            .exclude(memberships__role=ClusterMembership.Role.OWNER)
        )
    if access.can_read_audit_log(user, network):
        context["recent_events"] = AuditEvent.objects.in_network(network.pk)[:8]
    return render(request, "dashboard/start.html", context)
