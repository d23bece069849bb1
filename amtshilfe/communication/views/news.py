"""News pages: the feed (public for everybody, internal for members), one item, write, history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.communication import access, services
from amtshilfe.communication.forms import ClusterFilterForm, NewsForm
from amtshilfe.communication.models import News
from amtshilfe.communication.views.rendering import markdown_html
from amtshilfe.lib.service_errors import add_service_errors
from amtshilfe.tenancy.access import is_coordinator, is_network_member, require_network

PAGE_SIZE = 20


def news_list(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors: public news; members: plus internal news for their audience."""
    network = access.page_network(request)
    user = request.user
    now = timezone.now()
    visible = News.objects.visible_to(user, network, now).select_related("cluster", "author")
    filters = ClusterFilterForm(request.GET or None, network=network)
    cluster = filters.cleaned_data.get("cluster") if filters.is_valid() else None
    published = visible.published(now)
    if cluster is not None:
        published = published.filter(cluster=cluster)
    page = Paginator(published.order_by("-published_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    member = is_network_member(user, network)
    can_write = member and access.can_write_some(user, network)
    unpublished: list[News] = []
    if can_write:
        # visible_to already limits unpublished items to those the user writes.
        unpublished = list(visible.unpublished(now).order_by("-updated_at")[:20])
    return render(
        request,
        "communication/news_list.html",
        {
            "network": network,
            "page": page,
            "filters": filters,
            "cluster": cluster,
            "member": member,
            "can_write": can_write,
            "unpublished": unpublished,
            "query_string": f"cluster={cluster.slug}" if cluster else "",
        },
    )


def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.page_network(request)
    news, can_write = access.get_news_for_user(request.user, network, slug)
    member = is_network_member(request.user, network)
    return render(
        request,
        "communication/news_detail.html",
        {
            "news": news,
            "body_html": markdown_html(news.body),
            "can_write": can_write,
            "member": member,
            "published": news.is_published(),
        },
    )


def _form(request: AuthenticatedRequest, network: Any, **kwargs: Any) -> NewsForm:
    return NewsForm(
        request.POST if request.method == "POST" else None,
        network=network,
        allowed_clusters=access.writable_cluster_ids(request.user, network),
        may_publish_publicly=is_coordinator(request.user, network),
        **kwargs,
    )


@login_required
def news_create(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    if not access.can_write_some(request.user, network):
        raise PermissionDenied
    form = _form(request, network)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            news = services.create_news(
                actor=request.user,
                network=network,
                title=data["title"],
                body=data["body"],
                cluster=data["cluster"],
                is_public=bool(data["is_public"]),
                published_at=form.publication_time(),
                message=data["message"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _success_message(news))
            return redirect("communication:news_detail", slug=news.slug)
    return render(
        request,
        "communication/news_form.html",
        {"form": form, "creating": True},
        status=400 if form.is_bound else 200,
    )


def _success_message(news: News) -> str:
    if news.published_at is None:
        return _("Die Neuigkeit ist als Entwurf gespeichert.")
    if news.published_at > timezone.now():
        return _("Die Neuigkeit wird am %(when)s veröffentlicht.") % {
            "when": timezone.localtime(news.published_at).strftime("%d.%m.%Y um %H:%M Uhr")
        }
    return _("Die Neuigkeit ist veröffentlicht.")


@login_required
def news_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    network = require_network(request)
    news = access.get_news_for_user_rw(request.user, network, slug)
    form = _form(request, network, initial=NewsForm.initial_for(news))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            news = services.update_news(
                actor=request.user,
                news=news,
                title=data["title"],
                body=data["body"],
                cluster=data["cluster"],
                is_public=bool(data["is_public"]),
                published_at=form.publication_time(news.published_at),
                message=data["message"],
                expected_version=data.get("version"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _success_message(news))
            return redirect("communication:news_detail", slug=news.slug)
    return render(
        request,
        "communication/news_form.html",
        {"form": form, "creating": False, "news": news},
        status=400 if form.is_bound else 200,
    )


@login_required
def news_history(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Every saved version with author, time and note (members who may read the item)."""
    network = require_network(request)
    news, can_write = access.get_news_for_user(request.user, network, slug)
    revisions = list(news.revisions.select_related("author").order_by("-number"))
    return render(
        request,
        "communication/news_history.html",
        {"news": news, "revisions": revisions, "can_write": can_write},
    )
