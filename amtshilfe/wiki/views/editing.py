"""Writing articles: create, and edit with conflict detection (never a silent lost update)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.experts.models import TopicCluster
from amtshilfe.lib.service_errors import add_service_errors
from amtshilfe.tenancy import access as tenancy_access
from amtshilfe.tenancy.models import Municipality, Network
from amtshilfe.wiki import services
from amtshilfe.wiki.access import get_article_for_user_rw, is_topic_owner
from amtshilfe.wiki.diff import diff_texts
from amtshilfe.wiki.forms import ArticleCreateForm, ArticleEditForm
from amtshilfe.wiki.models import Article, Revision
from amtshilfe.wiki.owner_queues import owned_clusters
from amtshilfe.wiki.views.rendering import nav_context

TITLE_MAX_LENGTH = Article._meta.get_field("title").max_length or 200

CONFLICT_MESSAGE = gettext_lazy(
    "Jemand anders hat den Artikel inzwischen geändert. Ihr Text ist unten erhalten. "
    "Bitte vergleichen Sie ihn mit der aktuellen Fassung, übernehmen Sie fremde Änderungen "
    "in Ihren Text und speichern Sie dann erneut."
)


def clusters_for_writing(user: Any, network: Network) -> Any:
    """IT specialists write in every active cluster; other topic owners in their own."""
    clusters = TopicCluster.objects.in_network(network).active()
    if tenancy_access.is_it_specialist(user, network) or tenancy_access.is_coordinator(
        user, network
    ):
        return clusters
    return clusters.filter(pk__in=owned_clusters(user, network).values("pk"))


def municipalities_for(user: Any, network: Network, keep: Municipality | None = None) -> Any:
    """Municipalities an article may be limited to: the coordination any, others their own."""
    municipalities = Municipality.objects.in_network(network).active()
    if not tenancy_access.is_coordinator(user, network):
        ids = [m.municipality_id for m in tenancy_access.current_memberships(user, network)]
        if keep is not None:
            ids.append(keep.pk)
        municipalities = municipalities.filter(pk__in=ids)
    return municipalities.order_by("name")


@login_required
def create(request: AuthenticatedRequest) -> HttpResponse:
    network = tenancy_access.require_network(request)
    user = request.user
    clusters = clusters_for_writing(user, network)
    if not clusters.exists():
        raise PermissionDenied
    initial: dict[str, Any] = {}
    preselected = clusters.filter(slug=request.GET.get("cluster", "")).first()
    if preselected is not None:
        initial["cluster"] = preselected
    # "Artikel schreiben" from the owners' list of unanswered searches: the question as title.
    title = " ".join(request.GET.get("titel", "").split())[:TITLE_MAX_LENGTH]
    if title:
        initial["title"] = title
    form = ArticleCreateForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        clusters=clusters,
        municipalities=municipalities_for(user, network),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            article = services.create_article(
                actor=user,
                network=network,
                cluster=data["cluster"],
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                visibility=data["visibility"],
                municipality=data["municipality"],
                message=data["message"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if article.status == Article.Status.PUBLISHED:
                messages.success(request, _("Der Artikel ist veröffentlicht."))
            else:
                messages.success(
                    request,
                    _(
                        "Der Artikel ist gespeichert und wartet auf die Prüfung durch die "
                        "Themen-Zuständigen. Sie bekommen Bescheid, sobald er geprüft ist."
                    ),
                )
            return redirect("wiki:article", slug=article.slug)
    return render(request, "wiki/article_form.html", {"form": form, "creating": True})


@login_required
def edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    article = get_article_for_user_rw(request, slug)
    user = request.user
    form = ArticleEditForm(
        request.POST if request.method == "POST" else None,
        initial={
            "title": article.title,
            "body": article.body,
            "tags": ", ".join(article.tags),
            "base_version": article.version,
        },
    )
    conflict = None
    owner = is_topic_owner(user, article.cluster)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            revision = services.edit_article(
                actor=user,
                article=article,
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                base_version=data["base_version"],
                message=data["message"],
            )
        except services.EditConflict as exc:
            current = exc.article
            # Keep everything the person wrote; only the version they now build on changes,
            # so that the next save (after merging) goes through.
            merged = request.POST.copy()
            merged["base_version"] = str(current.version)
            form = ArticleEditForm(merged)
            form.is_valid()
            form.add_error(None, CONFLICT_MESSAGE)
            conflict = {
                "current": current,
                "author": exc.current.author if exc.current else None,
                "diff": diff_texts(current.body, data["body"]),
                "title_changed": current.title != data["title"],
                "tags_changed": current.tags != services.clean_tags(data["tags"]),
            }
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if revision.state == Revision.State.PUBLISHED:
                messages.success(request, _("Ihre Änderung ist veröffentlicht."))
            else:
                messages.success(
                    request,
                    _(
                        "Ihre Änderung ist gespeichert und wartet auf die Prüfung durch die "
                        "Themen-Zuständigen. Sie bekommen Bescheid, sobald sie geprüft ist."
                    ),
                )
            return redirect("wiki:article", slug=article.slug)
    return render(
        request,
        "wiki/article_form.html",
        {
            "form": form,
            "article": article,
            "creating": False,
            "conflict": conflict,
            "publishes_directly": owner,
            **nav_context(user, article, can_write=True, is_owner=owner),
        },
    )
