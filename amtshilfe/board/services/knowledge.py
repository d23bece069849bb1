"""Where requests meet the knowledge base: self-help successes and articles from solved requests."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.board import access
from amtshilfe.board.models import RequestEvent, SelfHelpSuccess, ServiceRequest
from amtshilfe.board.services.history import record_request_event
from amtshilfe.core.audit import record_event
from amtshilfe.tenancy.access import current_memberships
from amtshilfe.tenancy.models import Municipality, Network
from amtshilfe.wiki.models import Article
from amtshilfe.wiki.services import create_article


def record_self_help(
    *,
    actor: User,
    network: Network,
    query: str,
    article: Article | None = None,
    municipality: Municipality | None = None,
) -> SelfHelpSuccess:
    """ "Das hat geholfen" on the help page: counts as a request that never had to be filed.

    ``municipality`` defaults to the person's first current municipality; the article must
    be one they may read.
    """
    memberships = current_memberships(actor, network)
    if not memberships:
        raise PermissionDenied
    if municipality is None:
        municipality = memberships[0].municipality
    elif municipality.pk not in {m.municipality_id for m in memberships}:
        raise PermissionDenied
    if (
        article is not None
        and not Article.objects.readable_by(actor, network).filter(pk=article.pk).exists()
    ):
        raise ValidationError({"article": _("Diesen Artikel gibt es nicht.")})
    with transaction.atomic():
        success = SelfHelpSuccess.objects.create(
            network=network,
            municipality=municipality,
            user=actor,
            query=query.strip()[:300],
            article=article,
        )
        record_event(
            action="self_help.recorded",
            actor=actor,
            network=network,
            municipality=municipality,
            obj=success,
            after={"article": article.slug if article else None},
        )
    return success


def article_draft(request: ServiceRequest) -> tuple[str, str]:
    """Title and Markdown body prefilled from the request and its public comments."""
    parts = [_("## Ausgangslage"), "", request.description.strip() or request.title, ""]
    comments = [c.body.strip() for c in request.comments.public().order_by("created_at", "id")]
    if comments:
        parts += [_("## Lösung"), "", "\n\n".join(comments), ""]
    return request.title, "\n".join(parts)


def create_article_from_request(
    *,
    actor: User,
    request: ServiceRequest,
    title: str | None = None,
    body: str | None = None,
) -> Article:
    """Turn a solved request into a knowledge-base article of its cluster (once).

    The article goes through the wiki's own service: topic owners' articles are published,
    everyone else's wait for a topic owner's review. Internal comments are never copied.
    """
    if not access.can_work(actor, request):
        raise PermissionDenied
    if not request.is_finished:
        raise ValidationError(_("Ein Artikel entsteht aus einer erledigten Anfrage."))
    if request.cluster is None:
        raise ValidationError(_("Bitte ordnen Sie die Anfrage zuerst einem Themencluster zu."))
    if request.article_created_id is not None:
        raise ValidationError(_("Aus dieser Anfrage ist bereits ein Artikel entstanden."))
    draft_title, draft_body = article_draft(request)
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
        if locked.article_created_id is not None:
            raise ValidationError(_("Aus dieser Anfrage ist bereits ein Artikel entstanden."))
        article = create_article(
            actor=actor,
            network=locked.network,
            cluster=request.cluster,
            title=title if title is not None else draft_title,
            body=body if body is not None else draft_body,
            message=_("Aus Anfrage #%(number)s") % {"number": locked.number},
            publish=False,
        )
        locked.article_created = article
        locked.save(update_fields=["article_created", "updated_at"])
        record_request_event(
            request=locked,
            actor=actor,
            kind=RequestEvent.Kind.ARTICLE,
            data={"article": {"id": article.pk, "slug": article.slug, "title": article.title}},
        )
        record_event(
            action="request.article_created",
            actor=actor,
            network=locked.network,
            obj=locked,
            after={"article": article.slug},
        )
    return article
