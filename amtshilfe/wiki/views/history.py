"""Versions of an article: the history, a diff of any two versions, restoring an old one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.lib.service_errors import flash_form_errors, flash_service_error
from amtshilfe.wiki import services
from amtshilfe.wiki.access import get_article_for_user, get_article_for_user_rw, is_topic_owner
from amtshilfe.wiki.diff import diff_texts
from amtshilfe.wiki.forms import RestoreForm
from amtshilfe.wiki.models import Article, Revision
from amtshilfe.wiki.views.rendering import nav_context

PAGE_SIZE = 50
MAX_CHOICES = 300


def visible_revisions(article: Article, can_write: bool) -> QuerySet[Revision]:
    """Readers see the published history; editors also proposals and returned changes."""
    revisions = article.revisions.select_related("author", "reviewed_by").order_by("-number")
    if not can_write:
        revisions = revisions.filter(state=Revision.State.PUBLISHED)
    return revisions


@login_required
def history(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    article, can_write = get_article_for_user(request, slug)
    page = Paginator(visible_revisions(article, can_write), PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    revisions = list(page.object_list)
    owner = is_topic_owner(request.user, article.cluster)
    return render(
        request,
        "wiki/history.html",
        {
            "article": article,
            "page": page,
            "revisions": revisions,
            "numbers": _numbers(article, can_write),
            "default_from": revisions[1].number if len(revisions) > 1 else None,
            "default_to": revisions[0].number if revisions else None,
            **nav_context(request.user, article, can_write=can_write, is_owner=owner),
        },
    )


def _numbers(article: Article, can_write: bool) -> list[int]:
    """Version numbers offered in the comparison form (the newest few hundred)."""
    return list(
        visible_revisions(article, can_write).values_list("number", flat=True)[:MAX_CHOICES]
    )


def _number(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise Http404 from None


@login_required
def diff(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    article, can_write = get_article_for_user(request, slug)
    revisions = visible_revisions(article, can_write)
    to_number, from_number = _number(request.GET.get("bis")), _number(request.GET.get("von"))
    if to_number is None:
        to_number = (
            article.current_revision.number
            if article.current_revision
            else getattr(revisions.first(), "number", None)
        )
    new = get_object_or_404(revisions, number=to_number)
    if from_number is None:
        older = revisions.filter(number__lt=new.number).first()
        from_number = older.number if older else new.number
    old = get_object_or_404(revisions, number=from_number)
    return render(
        request,
        "wiki/diff.html",
        {
            "article": article,
            "old": old,
            "new": new,
            "diff": diff_texts(old.body, new.body),
            "title_changed": old.title != new.title,
            "tags_removed": [t for t in old.tags if t not in new.tags],
            "tags_added": [t for t in new.tags if t not in old.tags],
            "pair": [old, new],
            "numbers": _numbers(article, can_write),
            **nav_context(
                request.user,
                article,
                can_write=can_write,
                is_owner=is_topic_owner(request.user, article.cluster),
            ),
        },
    )


@login_required
@require_POST
def restore(request: AuthenticatedRequest, slug: str, number: int) -> HttpResponse:
    article = get_article_for_user_rw(request, slug)
    revision = get_object_or_404(
        article.revisions.filter(state=Revision.State.PUBLISHED), number=number
    )
    form = RestoreForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("wiki:history", slug=article.slug)
    try:
        new = services.restore_revision(
            actor=request.user, revision=revision, base_version=form.cleaned_data["base_version"]
        )
    except services.EditConflict:
        messages.error(
            request,
            _(
                "Jemand anders hat den Artikel inzwischen geändert. Bitte prüfen Sie die "
                "Versionen und stellen Sie die gewünschte Version dann erneut wieder her."
            ),
        )
        return redirect("wiki:history", slug=article.slug)
    except ValidationError as error:
        flash_service_error(request, error)
        return redirect("wiki:history", slug=article.slug)
    if new.state == Revision.State.PUBLISHED:
        messages.success(
            request,
            _("Version %(number)s ist als neue Version %(new)s wiederhergestellt.")
            % {"number": revision.number, "new": new.number},
        )
    else:
        messages.success(
            request,
            _(
                "Die Wiederherstellung von Version %(number)s wartet auf die Prüfung durch "
                "die Themen-Zuständigen."
            )
            % {"number": revision.number},
        )
    return redirect("wiki:history", slug=article.slug)
