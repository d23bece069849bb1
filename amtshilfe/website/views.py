"""Public pages of the network (no login)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from amtshilfe.experts.models import ClusterMembership, TopicCluster
from amtshilfe.tenancy.current import default_network
from amtshilfe.tenancy.models import Membership, Municipality


def home(request: HttpRequest) -> HttpResponse:
    network = default_network()
    context: dict[str, object] = {"network": network}
    if network is not None:
        municipalities = Municipality.objects.in_network(network).active().order_by("name")
        owners = ClusterMembership.objects.filter(role=ClusterMembership.Role.OWNER).select_related(
            "user"
        )
        clusters = (
            TopicCluster.objects.in_network(network)
            .active()
            .prefetch_related(Prefetch("memberships", queryset=owners, to_attr="owner_memberships"))
        )
        it_people = (
            Membership.objects.current()
            .filter(
                municipality__network=network,
                municipality__status="active",
                role=Membership.Role.IT,
                user__is_active=True,
            )
            .values("user")
            .distinct()
            .count()
        )
        # The Landkreis itself is a member too; its inhabitants are those of its municipalities.
        population = sum(
            m.population or 0 for m in municipalities if m.kind != Municipality.Kind.LANDKREIS
        )
        context.update(
            {
                "municipalities": municipalities,
                "clusters": clusters,
                "stats": {
                    "municipalities": len(municipalities),
                    "it_people": it_people,
                    "clusters": clusters.count(),
                    "population": population,
                },
            }
        )
    return render(request, "website/home.html", context)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)
