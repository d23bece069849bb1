"""Topic owners' screens for one article: review pending changes, settings, archive."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.lib.service_errors import add_service_errors, flash_form_errors
from amtshilfe.wiki import services
from amtshilfe.wiki.access import get_article_for_user, is_topic_owner
from amtshilfe.wiki.diff import diff_texts
from amtshilfe.wiki.forms import ArticleSettingsForm, ReviewForm
from amtshilfe.wiki.models import Article, Revision
from amtshilfe.wiki.owner_queues import owned_clusters
from amtshilfe.wiki.views.editing import municipalities_for
from amtshilfe.wiki.views.rendering import nav_context


def get_article_for_owner(request: AuthenticatedRequest, slug: str) -> Article:
    """The article, if the user is a topic owner of its cluster (or coordination); else 403."""
    article, _can_write = get_article_for_user(request, slug)
    if not is_topic_owner(request.user, article.cluster):
        raise PermissionDenied
    return article


def _review_form(revision: Revision, data: Any = None) -> ReviewForm:
    return ReviewForm(data, initial={"revision": revision.pk}, auto_id=f"review-{revision.pk}-%s")


def _decide(request: AuthenticatedRequest, revision: Revision, form: ReviewForm) -> bool:
    """Apply the owner's decision; False if the comment was missing (form carries the error)."""
    comment = form.cleaned_data["comment"]
    try:
        if form.cleaned_data["decision"] == ReviewForm.ACCEPT:
            services.accept_revision(actor=request.user, revision=revision, comment=comment)
            messages.success(request, _("Die Änderung ist freigegeben und veröffentlicht."))
        else:
            services.reject_revision(actor=request.user, revision=revision, comment=comment)
            messages.success(
                request,
                _("Die Änderung ist mit Ihrem Kommentar an %(author)s zurückgegeben.")
                % {"author": revision.author.full_name if revision.author else "–"},
            )
    except services.EditConflict:
        messages.error(
            request,
            _(
                "Der Artikel wurde geändert, nachdem diese Änderung vorgeschlagen wurde. "
                "Sie kann nicht unverändert übernommen werden: Bitte geben Sie sie mit "
                "einem Hinweis zurück, damit sie auf dem aktuellen Stand neu eingereicht wird."
            ),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


@login_required
def review(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    article = get_article_for_owner(request, slug)
    pending = article.revisions.filter(state=Revision.State.PENDING).select_related("author")
    failed: ReviewForm | None = None
    if request.method == "POST":
        revision_id = request.POST.get("revision", "")
        revision = get_object_or_404(
            article.revisions, pk=int(revision_id) if revision_id.isdigit() else 0
        )
        form = _review_form(revision, request.POST)
        if revision.state != Revision.State.PENDING:
            messages.info(request, _("Diese Änderung wurde bereits geprüft."))
        elif not form.is_valid():
            flash_form_errors(request, form)
        elif not _decide(request, revision, form):
            failed = form
        if failed is None:
            target = "wiki:review" if pending.exists() else "wiki:article"
            return redirect(target, slug=article.slug)
        article.refresh_from_db()
    base_body = article.body if article.current_revision_id else ""
    base_title = article.title if article.current_revision_id else ""
    items = [
        {
            "revision": revision,
            "diff": diff_texts(base_body, revision.body),
            "title_changed": revision.title != base_title,
            "tags_removed": [t for t in article.tags if t not in revision.tags],
            "tags_added": [t for t in revision.tags if t not in article.tags],
            "outdated": revision.base_version != article.version,
            "form": failed
            if failed is not None and failed.initial["revision"] == revision.pk
            else _review_form(revision),
        }
        for revision in pending.order_by("number")
    ]
    return render(
        request,
        "wiki/review.html",
        {
            "article": article,
            "items": items,
            **nav_context(request.user, article, can_write=True, is_owner=True),
        },
    )


@login_required
def article_settings(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    article = get_article_for_owner(request, slug)
    user = request.user
    network = article.network
    clusters = owned_clusters(user, network).filter(Q(is_active=True) | Q(pk=article.cluster_id))
    form = ArticleSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "cluster": article.cluster,
            "visibility": article.visibility,
            "municipality": article.municipality,
        },
        clusters=clusters.order_by("name"),
        municipalities=municipalities_for(user, network, keep=article.municipality),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_article_settings(
                actor=user,
                article=article,
                cluster=data["cluster"],
                visibility=data["visibility"],
                municipality=data["municipality"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Die Einstellungen sind gespeichert."))
            return redirect("wiki:article", slug=article.slug)
    return render(
        request,
        "wiki/settings.html",
        {
            "article": article,
            "form": form,
            **nav_context(user, article, can_write=True, is_owner=True),
        },
    )


@login_required
@require_POST
def archive(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    article = get_article_for_owner(request, slug)
    archived = request.POST.get("archived") == "1"
    services.set_article_archived(actor=request.user, article=article, archived=archived)
    if archived:
        messages.success(
            request,
            _(
                "Der Artikel ist archiviert. Nur Themen-Zuständige und die Koordination sehen "
                "ihn noch."
            ),
        )
    else:
        messages.success(request, _("Der Artikel ist wieder aktiv."))
    return redirect("wiki:article", slug=article.slug)
