"""Comments (with @mentions), watching, and attachments on a request. Atomic and audited.

Internal comments belong to the IT side: their notifications and e-mails only go to people
who work on the request (``access.users_who_work``), never to administration staff.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.board import access
from amtshilfe.board.models import Comment, RequestAttachment, RequestEvent, ServiceRequest, Watcher
from amtshilfe.board.services.history import followers, notify_about, record_request_event
from amtshilfe.core.audit import record_event
from amtshilfe.lib.markdown import plain_text, render
from amtshilfe.notifications.models import Kind as NotificationKind
from amtshilfe.wiki.attachments import check_upload
from amtshilfe.wiki.models import Article

# @username: Django's username characters; a trailing dot ends the sentence, not the name.
MENTION = re.compile(r"(?<![\w.@+-])@([\w.+-]*[\w+-])")


def parse_mentions(body: str) -> list[str]:
    """The usernames mentioned in ``body``, in order, each once."""
    return list(dict.fromkeys(MENTION.findall(body)))


def _render(request: ServiceRequest, body: str) -> str:
    def resolve(slug: str) -> str | None:
        if not Article.objects.filter(network_id=request.network_id, slug=slug).exists():
            return None
        try:
            return reverse("wiki:article", kwargs={"slug": slug})
        except NoReverseMatch:
            return None

    return render(body, resolve_link=resolve).html


def add_comment(
    *, actor: User, request: ServiceRequest, body: str, internal: bool = False
) -> Comment:
    """Comment on a request. Everyone who sees it may comment; internal only the IT side.

    1. Render the Markdown (sanitised) and resolve @mentions among the people who may read
       this comment – for an internal one only the IT side; others are plain text.
    2. The author and the mentioned become watchers.
    3. Mentioned people get a "mention", the other watchers a "comment" notification –
       both limited to who may read the comment.
    """
    if not access.can_see(actor, request):
        raise PermissionDenied
    if internal and not access.can_work(actor, request):
        raise PermissionDenied
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Bitte schreiben Sie einen Kommentar.")})
    if len(body) > 20_000:
        raise ValidationError({"body": _("Der Kommentar ist zu lang (höchstens 20.000 Zeichen).")})
    audience = access.users_who_work(request) if internal else access.users_who_see(request)
    with transaction.atomic():
        comment = Comment.objects.create(
            request=request,
            author=actor,
            body=body,
            body_html=_render(request, body),
            internal=internal,
        )
        mentioned = list(audience.filter(username__in=parse_mentions(body)).exclude(pk=actor.pk))
        comment.mentions.set(mentioned)
        for person in [actor, *mentioned]:
            Watcher.objects.get_or_create(request=request, user=person)
        record_request_event(
            request=request,
            actor=actor,
            kind=RequestEvent.Kind.COMMENT,
            internal=internal,
            data={
                "comment": comment.pk,
                "internal": internal,
                "mentions": [user.pk for user in mentioned],
            },
        )
        record_event(
            action="request.commented",
            actor=actor,
            network=request.network,
            obj=request,
            after={"comment": comment.pk, "internal": internal},
        )
        excerpt = plain_text(body)[:1000]
        label = _("interner Kommentar") if internal else _("Kommentar")
        if mentioned:
            notify_about(
                request,
                recipients=User.objects.filter(pk__in=[user.pk for user in mentioned]),
                actor=actor,
                kind=NotificationKind.MENTION,
                title=_("%(name)s hat Sie erwähnt") % {"name": actor.full_name},
                body=f"{label}: {excerpt}",
                internal=internal,
            )
        notify_about(
            request,
            recipients=followers(request).exclude(pk__in=[user.pk for user in mentioned]),
            actor=actor,
            kind=NotificationKind.REQUEST_COMMENT,
            title=_("neuer %(label)s von %(name)s") % {"label": label, "name": actor.full_name},
            body=excerpt,
            internal=internal,
        )
    return comment


def watch_request(*, actor: User, request: ServiceRequest) -> Watcher:
    if not access.can_see(actor, request):
        raise PermissionDenied
    with transaction.atomic():
        watcher, created = Watcher.objects.get_or_create(request=request, user=actor)
        if created:
            record_request_event(request=request, actor=actor, kind=RequestEvent.Kind.WATCH)
            record_event(
                action="request.watched", actor=actor, network=request.network, obj=request
            )
    return watcher


def unwatch_request(*, actor: User, request: ServiceRequest) -> None:
    with transaction.atomic():
        deleted, _detail = Watcher.objects.filter(request=request, user=actor).delete()
        if deleted:
            record_request_event(request=request, actor=actor, kind=RequestEvent.Kind.UNWATCH)
            record_event(
                action="request.unwatched", actor=actor, network=request.network, obj=request
            )


def add_request_attachment(
    *, actor: User, request: ServiceRequest, file: File, name: str, size: int
) -> RequestAttachment:
    """Attach a file (anyone who sees the request); type and size checked like in the wiki."""
    if not access.can_see(actor, request):
        raise PermissionDenied
    checked = check_upload(file, name=name, size=size)
    with transaction.atomic():
        attachment = RequestAttachment(
            request=request,
            stored_name=checked.stored_name,
            original_name=checked.display_name,
            content_type=checked.mime,
            size=checked.size,
            uploaded_by=actor,
        )
        attachment.file.save(checked.stored_name, file, save=False)
        stored = attachment.file.name
        try:
            attachment.save()
            record_request_event(
                request=request,
                actor=actor,
                kind=RequestEvent.Kind.ATTACHMENT,
                data={
                    "attachment": attachment.pk,
                    "name": attachment.original_name,
                    "content_type": attachment.content_type,
                    "size": attachment.size,
                },
            )
            record_event(
                action="request.attachment_added",
                actor=actor,
                network=request.network,
                obj=request,
                after={"attachment": attachment.original_name, "size": attachment.size},
            )
        except BaseException:
            attachment.file.storage.delete(stored)
            raise
    return attachment
