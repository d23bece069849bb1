"""The list of articles by topic cluster, with filters and counts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.experts.models import TopicCluster
from amtshilfe.tenancy import access as tenancy_access
from amtshilfe.wiki.forms import ArticleFilterForm
from amtshilfe.wiki.models import Article
from amtshilfe.wiki.owner_queues import owned_clusters

PAGE_SIZE = 100


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    network = tenancy_access.require_network(request)
    user = request.user
    clusters = TopicCluster.objects.in_network(network).order_by("name")
    form = ArticleFilterForm(request.GET or None, clusters=clusters)
    cluster, status = None, ""
    if form.is_valid():
        cluster, status = form.cleaned_data["cluster"], form.cleaned_data["status"]
    # A plain queryset over the visible ids: aggregates over visible_to()'s joins would
    # count an article once per owner of its cluster.
    articles = Article.objects.filter(pk__in=Article.objects.visible_to(user, network).values("pk"))
    if status:
        articles = articles.filter(status=status)
    counts: dict[int, int] = {
        row["cluster"]: row["n"]
        for row in articles.order_by().values("cluster").annotate(n=Count("pk"))
    }
    if cluster is not None:
        articles = articles.filter(cluster=cluster)
    page = Paginator(
        articles.select_related("cluster", "municipality").order_by("cluster__name", "title"),
        PAGE_SIZE,
    ).get_page(request.GET.get("seite"))
    query_string = request.GET.copy()
    query_string.pop("seite", None)
    owned = list(owned_clusters(user, network).values_list("pk", flat=True))
    is_editor = tenancy_access.is_it_specialist(user, network) or bool(owned)
    cluster_rows = [
        {"cluster": c, "count": counts.get(c.pk, 0), "owned": c.pk in owned}
        for c in clusters
        if counts.get(c.pk) or c.pk in owned or c == cluster
    ]
    return render(
        request,
        "wiki/index.html",
        {
            "form": form,
            "page": page,
            "query_string": query_string.urlencode(),
            "cluster": cluster,
            "status": status,
            "cluster_rows": cluster_rows,
            "total": sum(counts.values()),
            "can_create": is_editor,
            "is_owner": bool(owned),
            "cluster_owned": cluster is not None and cluster.pk in owned,
        },
    )
