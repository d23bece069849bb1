"""Attachments: upload (editors), download (whoever may read the article), remove."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.lib.service_errors import add_service_errors
from amtshilfe.wiki import services
from amtshilfe.wiki.access import get_article_for_user, get_article_for_user_rw, is_topic_owner
from amtshilfe.wiki.forms import AttachmentForm
from amtshilfe.wiki.views.rendering import nav_context

# Even if a browser were to render a file itself, it could run nothing and load nothing.
ATTACHMENT_CSP = "default-src 'none'; sandbox"


@login_required
def upload(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    article = get_article_for_user_rw(request, slug)
    max_mb = settings.AMTSHILFE_ATTACHMENT_MAX_MB
    form = AttachmentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        max_mb=max_mb,
    )
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            attachment = services.add_attachment(
                actor=request.user,
                article=article,
                file=uploaded,
                name=uploaded.name or "",
                size=uploaded.size or 0,
            )
        except ValidationError as error:
            add_service_errors(form, ValidationError({"file": error.messages}))
        else:
            messages.success(
                request,
                _("„%(name)s“ ist angehängt.") % {"name": attachment.original_name},
            )
            return redirect("wiki:attachment_upload", slug=article.slug)
    user = request.user
    owner = is_topic_owner(user, article.cluster)
    attachments = [
        {"file": a, "can_delete": owner or a.uploaded_by_id == user.pk}
        for a in article.attachments.all()
    ]
    return render(
        request,
        "wiki/attachments.html",
        {
            "article": article,
            "form": form,
            "attachments": attachments,
            **nav_context(user, article, can_write=True, is_owner=owner),
        },
    )


@login_required
def download(request: AuthenticatedRequest, slug: str, pk: int) -> FileResponse:
    article, _can_write = get_article_for_user(request, slug)
    attachment = get_object_or_404(article.attachments, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_POST
def delete(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    article, _can_write = get_article_for_user(request, slug)
    attachment = get_object_or_404(article.attachments.select_related("article"), pk=pk)
    services.remove_attachment(actor=request.user, attachment=attachment)
    messages.success(request, _("„%(name)s“ ist entfernt.") % {"name": attachment.original_name})
    if request.POST.get("next") == "article":
        return redirect("wiki:article", slug=article.slug)
    return redirect("wiki:attachment_upload", slug=article.slug)
