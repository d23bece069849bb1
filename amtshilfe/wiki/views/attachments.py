"""Attachments: upload (editors), download (whoever may read the article), remove."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.lib.service_errors import add_service_errors
from amtshilfe.wiki import services
from amtshilfe.wiki.access import get_article_for_user, get_article_for_user_rw, is_topic_owner
from amtshilfe.wiki.attachments import max_bytes
from amtshilfe.wiki.forms import AttachmentForm
from amtshilfe.wiki.views.rendering import nav_context

# Even if a browser were to render a file itself, it could run nothing and load nothing.
ATTACHMENT_CSP = "default-src 'none'; sandbox"


# Room for the boundaries, part headers and the CSRF field around the file itself.
MULTIPART_OVERHEAD = 64 * 1024


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops an upload as soon as it is known to be too large, before anything is stored.

    First in the handler chain: when the declared ``Content-Length`` already exceeds the
    limit, the file part is refused at its start; otherwise the bytes are counted as they
    arrive (a client may declare no length or a wrong one). Either way the rest of the body
    is read and thrown away (``StopUpload(connection_reset=False)``), so that the browser
    gets the page with the German message instead of a broken connection.
    """

    def __init__(self, request: HttpRequest | None = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_large = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        if content_length > self.limit + MULTIPART_OVERHEAD:
            self.too_large = True

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        if self.too_large:
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@login_required
@csrf_exempt  # only to put the size limit in front of the parsing; checked right below
def upload(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    limit = SizeLimitUploadHandler(request, limit=max_bytes())
    if request.method == "POST":
        request.upload_handlers = [limit, *request.upload_handlers]
    return _upload(request, slug, limit)


@csrf_protect
def _upload(
    request: AuthenticatedRequest, slug: str, limit: SizeLimitUploadHandler
) -> HttpResponse:
    article = get_article_for_user_rw(request, slug)
    max_mb = settings.AMTSHILFE_ATTACHMENT_MAX_MB
    form = AttachmentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        max_mb=max_mb,
        too_large=limit.too_large,
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
