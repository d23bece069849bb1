"""News: write, revise (every save is a revision), publish now or later, tell the audience."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.communication import access, announcements
from amtshilfe.communication.models import News, NewsRevision
from amtshilfe.core.audit import record_event, snapshot
from amtshilfe.experts.models import TopicCluster
from amtshilfe.tenancy.access import is_coordinator
from amtshilfe.tenancy.models import Network

AUDITED_FIELDS = ["title", "cluster", "is_public", "published_at"]
MAX_BODY = 50_000
_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


def slug_base(title: str) -> str:
    """A readable German slug: umlauts spelled out ("Übergang" → "uebergang"), at most 70 chars."""
    text = unicodedata.normalize("NFC", title).translate(_UMLAUTS)
    slug = slugify(text)[:70].strip("-")
    return re.sub(r"-{2,}", "-", slug) or "neuigkeit"


# Path segments under /aktuelles/ that are screens, not news items.
RESERVED_SLUGS = {"neu", "feed", "entwuerfe"}


def _unique_slug(network: Network, title: str) -> str:
    base = slug_base(title)
    if base in RESERVED_SLUGS:
        base = f"{base}-meldung"
    taken = set(
        News.objects.filter(network=network, slug__startswith=base).values_list("slug", flat=True)
    )
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _clean(
    *,
    actor: User,
    network: Network,
    title: str,
    body: str,
    cluster: TopicCluster | None,
    is_public: bool,
    message: str,
    was_public: bool = False,
) -> dict[str, Any]:
    """Validated fields. A topic owner may keep an item public that the coordination made so."""
    errors: dict[str, str] = {}
    title = " ".join(title.split())
    body = body.replace("\r\n", "\n").strip()
    if not title:
        errors["title"] = _("Bitte geben Sie einen Titel an.")
    elif len(title) > 200:
        errors["title"] = _("Der Titel darf höchstens 200 Zeichen lang sein.")
    if not body:
        errors["body"] = _("Bitte schreiben Sie einen Text.")
    elif len(body) > MAX_BODY:
        errors["body"] = _("Der Text ist zu lang (höchstens 50.000 Zeichen).")
    if cluster is not None and cluster.network_id != network.pk:
        errors["cluster"] = _("Dieses Themencluster gehört nicht zum Netzwerk.")
    elif not access.can_address(actor, network, cluster.pk if cluster else None):
        errors["cluster"] = _(
            "An das ganze Netzwerk schreibt die Koordination; Sie können nur an Ihre "
            "Themencluster schreiben."
        )
    if is_public and not was_public and not is_coordinator(actor, network):
        errors["is_public"] = _("Nur die Netzwerk-Koordination veröffentlicht auf der Website.")
    message = " ".join(message.split())[:200]
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "body": body,
        "cluster": cluster,
        "is_public": is_public,
        "message": message,
    }


def _revise(news: News, *, actor: User, message: str) -> NewsRevision:
    return NewsRevision.objects.create(
        news=news,
        number=news.version,
        title=news.title,
        body=news.body,
        author=actor,
        message=message,
        created_at=timezone.now(),
    )


def _announce_if_due(news: News, *, now: dt.datetime, announce: bool) -> None:
    """Publishing tells the audience once; ``announce=False`` (demo, imports) marks it told."""
    if news.notified_at is None and news.is_published(now):
        if announce:
            announcements.announce_news(news)
        news.notified_at = now
        news.save(update_fields=["notified_at", "updated_at"])


def create_news(
    *,
    actor: User,
    network: Network,
    title: str,
    body: str,
    cluster: TopicCluster | None = None,
    is_public: bool = False,
    published_at: dt.datetime | None = None,
    message: str = "",
    announce: bool = True,
) -> News:
    """Write a news item: a draft (``published_at`` None), published now, or scheduled."""
    if not access.can_write_some(actor, network):
        raise PermissionDenied
    data = _clean(
        actor=actor,
        network=network,
        title=title,
        body=body,
        cluster=cluster,
        is_public=is_public,
        message=message,
    )
    now = timezone.now()
    with transaction.atomic():
        # Serialises slug choice per network (two writers with the same title).
        Network.objects.select_for_update().filter(pk=network.pk).first()
        news = News.objects.create(
            network=network,
            cluster=data["cluster"],
            slug=_unique_slug(network, data["title"]),
            title=data["title"],
            body=data["body"],
            is_public=data["is_public"],
            published_at=published_at,
            author=actor,
        )
        _revise(news, actor=actor, message=data["message"] or _("Erste Fassung"))
        _announce_if_due(news, now=now, announce=announce)
        record_event(
            action="news.created",
            actor=actor,
            network=network,
            obj=news,
            after=snapshot(news, AUDITED_FIELDS),
        )
    return news


def update_news(
    *,
    actor: User,
    news: News,
    title: str,
    body: str,
    cluster: TopicCluster | None,
    is_public: bool,
    published_at: dt.datetime | None,
    message: str = "",
    expected_version: int | None = None,
) -> News:
    """Save a new version; the slug stays, so links keep working.

    ``expected_version`` guards against overwriting a colleague's save made in between.
    """
    network = news.network
    now = timezone.now()
    with transaction.atomic():
        locked = News.objects.select_for_update().select_related("network").get(pk=news.pk)
        if not access.can_edit_news(actor, locked):
            raise PermissionDenied
        if expected_version is not None and expected_version != locked.version:
            raise ValidationError(
                _(
                    "Inzwischen hat jemand anderes die Neuigkeit geändert (Version %(v)d). "
                    "Bitte laden Sie die Seite neu; Ihr Text steht unten zum Kopieren bereit."
                )
                % {"v": locked.version}
            )
        data = _clean(
            actor=actor,
            network=network,
            title=title,
            body=body,
            cluster=cluster,
            is_public=is_public,
            message=message,
            was_public=locked.is_public,
        )
        before = snapshot(locked, AUDITED_FIELDS)
        locked.title = data["title"]
        locked.body = data["body"]
        locked.cluster = data["cluster"]
        locked.is_public = data["is_public"]
        locked.published_at = published_at
        locked.version += 1
        locked.save()
        _revise(locked, actor=actor, message=data["message"])
        _announce_if_due(locked, now=now, announce=True)
        record_event(
            action="news.updated",
            actor=actor,
            network=network,
            obj=locked,
            before=before,
            after=snapshot(locked, AUDITED_FIELDS),
        )
    return locked


def publish_due_news(*, now: dt.datetime | None = None) -> int:
    """Tell the audiences of scheduled news whose time has come (``amtshilfe publish-news``).

    Each item is locked and checked again, so two runs at once notify nobody twice.
    """
    now = now or timezone.now()
    due = list(
        News.objects.filter(
            published_at__isnull=False, published_at__lte=now, notified_at__isnull=True
        ).values_list("pk", flat=True)
    )
    told = 0
    for pk in due:
        with transaction.atomic():
            news = News.objects.select_for_update().select_related("network").get(pk=pk)
            if news.notified_at is not None:
                continue
            _announce_if_due(news, now=now, announce=True)
            record_event(
                action="news.published",
                actor=None,
                network=news.network,
                obj=news,
                after=snapshot(news, ["published_at", "notified_at"]),
            )
            told += 1
    return told
