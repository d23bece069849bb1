"""Reading an article: text, contents, attachments, feedback; owners confirm it is current."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.lib.service_errors import flash_form_errors
from amtshilfe.wiki import services
from amtshilfe.wiki.access import get_article_for_user, is_topic_owner
from amtshilfe.wiki.forms import FeedbackForm
from amtshilfe.wiki.models import Article, Feedback, Revision
from amtshilfe.wiki.owner_queues import is_stale
from amtshilfe.wiki.views.rendering import render_for_reader

FEEDBACK_COMMENTS_SHOWN = 20


def _stand(article: Article) -> object:
    """The date the content is from: imported articles keep the date of their source."""
    revision = article.current_revision
    if revision is None:
        return article.updated_at
    if revision.author_id is None and article.source_updated:
        return article.source_updated
    return revision.created_at


@login_required
def article(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    article, can_write = get_article_for_user(request, slug)
    user = request.user
    owner = is_topic_owner(user, article.cluster)
    rendered = render_for_reader(article.body, user=user, network=article.network)
    pending = (
        list(
            article.revisions.filter(state=Revision.State.PENDING)
            .select_related("author")
            .order_by("number")
        )
        if can_write
        else []
    )
    returned = None
    if can_write:
        newer_than = article.current_revision.number if article.current_revision else 0
        returned = (
            article.revisions.filter(
                author=user, state=Revision.State.REJECTED, number__gt=newer_than
            )
            .order_by("-number")
            .first()
        )
    attachments = list(article.attachments.all())
    own_feedback = Feedback.objects.filter(article=article, user=user).first()
    tally, comments = None, []
    if owner:
        tally = article.feedback.aggregate(
            yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False))
        )
        comments = list(article.feedback.exclude(comment="")[:FEEDBACK_COMMENTS_SHOWN])
    initial = (
        {"helpful": "ja" if own_feedback.helpful else "nein", "comment": own_feedback.comment}
        if own_feedback
        else None
    )
    return render(
        request,
        "wiki/article.html",
        {
            "article": article,
            "html": rendered.html,
            "toc": [h for h in rendered.headings if h.level >= 2],
            "can_write": can_write,
            "is_owner": owner,
            "pending": pending,
            "pending_count": len(pending) if owner else 0,
            "own_pending": [r for r in pending if r.author_id == user.pk],
            "returned": returned,
            "attachments": [
                {"file": a, "can_delete": owner or a.uploaded_by_id == user.pk} for a in attachments
            ],
            "images": [a for a in attachments if a.is_image],
            "feedback_form": FeedbackForm(initial=initial, auto_id="feedback_%s"),
            "own_feedback": own_feedback,
            "tally": tally,
            "feedback_comments": comments,
            "stale": owner and is_stale(article),
            "stand": _stand(article),
        },
    )


@login_required
@require_POST
def feedback(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    article, _can_write = get_article_for_user(request, slug)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        services.record_feedback(
            actor=request.user,
            article=article,
            helpful=form.cleaned_data["helpful"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, _("Danke für Ihre Rückmeldung!"))
    return redirect(reverse("wiki:article", kwargs={"slug": article.slug}) + "#feedback_section")


@login_required
@require_POST
def confirm_current(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    article, _can_write = get_article_for_user(request, slug)
    services.confirm_article_current(actor=request.user, article=article)
    messages.success(
        request,
        _("Danke! „%(title)s“ ist als aktuell bestätigt.") % {"title": article.title},
    )
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("wiki:article", slug=article.slug)
