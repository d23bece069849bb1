"""Writes on articles: edits as revisions, review, restore, status, feedback. Atomic, audited.

Index updates for search are scheduled with ``transaction.on_commit`` (see tasks.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.core.audit import record_event
from amtshilfe.experts.models import TopicCluster
from amtshilfe.tenancy.models import Municipality, Network
from amtshilfe.wiki.access import can_edit, is_topic_owner
from amtshilfe.wiki.attachments import check_upload
from amtshilfe.wiki.models import Article, Attachment, Feedback, Revision
from amtshilfe.wiki.notifications import notify_author_of_review, notify_owners_of_pending_revision


class EditConflict(Exception):
    """Someone else saved the article after the editor opened it."""

    def __init__(self, article: Article, current: Revision | None) -> None:
        super().__init__(f"article {article.slug} changed to version {article.version}")
        self.article = article
        self.current = current


@dataclass(frozen=True)
class Content:
    title: str
    body: str
    tags: list[str]


def clean_tags(tags: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for tag in tags:
        tag = tag.strip().lower()[:50]
        if tag and tag not in seen:
            seen[tag] = tag
    return list(seen.values())


def _validate_content(title: str, body: str) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Bitte geben Sie dem Artikel einen Titel.")
    elif len(title.strip()) > 200:
        errors["title"] = _("Der Titel darf höchstens 200 Zeichen lang sein.")
    if len(body) > 200_000:
        errors["body"] = _("Der Text ist zu lang (höchstens 200.000 Zeichen).")
    if errors:
        raise ValidationError(errors)


def _validate_visibility(
    network: Network, visibility: str, municipality: Municipality | None
) -> None:
    if visibility not in Article.Visibility.values:
        raise ValidationError({"visibility": _("Unbekannte Sichtbarkeit.")})
    if visibility == Article.Visibility.MUNICIPALITY:
        if municipality is None:
            raise ValidationError(
                {
                    "municipality": _(
                        "Bitte wählen Sie die Kommune, für die der Artikel sichtbar sein soll."
                    )
                }
            )
        if municipality.network_id != network.pk:
            raise ValidationError({"municipality": _("Die Kommune gehört nicht zum Netzwerk.")})


# Fixed pages under /wissen/ that an article slug must not shadow (see wiki/urls.py).
RESERVED_SLUGS = frozenset({"neu", "veraltet", "cluster", "suche", "api"})


def unique_slug(network: Network, title: str) -> str:
    base = slugify(title.replace("ß", "ss").replace("&", "und"))[:100] or "artikel"
    if base in RESERVED_SLUGS:
        base = f"{base}-artikel"
    slug, counter = base, 2
    while Article.objects.filter(network=network, slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def next_revision_number(article: Article) -> int:
    return (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1


def apply_revision(article: Article, revision: Revision, *, reviewed: bool) -> None:
    """Make ``revision`` the article's current content (the caller holds the row lock)."""
    article.title, article.body, article.tags = revision.title, revision.body, revision.tags
    article.current_revision = revision
    article.version += 1
    if article.status in (Article.Status.DRAFT, Article.Status.REVIEW):
        article.status = Article.Status.PUBLISHED
    if reviewed:
        article.last_reviewed_at = timezone.now()
    article.save()
    schedule_reindex(article)


# Set by deferred_indexing(): bulk loads rebuild the index once instead of per article.
_indexing_deferred: ContextVar[bool] = ContextVar("wiki_indexing_deferred", default=False)


@contextmanager
def deferred_indexing() -> Iterator[None]:
    """Within this block, writes schedule no per-article index update (demo, bulk loads).

    The caller must bring the index up to date afterwards (e.g. ``reindex_network``).
    """
    token = _indexing_deferred.set(True)
    try:
        yield
    finally:
        _indexing_deferred.reset(token)


def schedule_reindex(article: Article) -> None:
    """Update the article's search passages after the transaction commits."""
    if _indexing_deferred.get():
        return
    from amtshilfe.wiki.tasks import enqueue_index_article

    article_id = article.pk
    transaction.on_commit(lambda: enqueue_index_article(article_id))


def create_article(
    *,
    actor: User | None,
    network: Network,
    cluster: TopicCluster,
    title: str,
    body: str,
    tags: Iterable[str] = (),
    visibility: str = Article.Visibility.NETWORK,
    municipality: Municipality | None = None,
    slug: str = "",
    message: str = "",
    publish: bool | None = None,
    source_updated: dt.date | None = None,
) -> Article:
    """Create an article. Topic owners publish at once; others' articles wait for review.

    ``actor=None`` (import, demo) publishes directly unless ``publish=False``.
    """
    _validate_content(title, body)
    _validate_visibility(network, visibility, municipality)
    if cluster.network_id != network.pk:
        raise ValidationError({"cluster": _("Das Themencluster gehört nicht zum Netzwerk.")})
    if actor is not None and not can_edit(actor, Article(network=network, cluster=cluster)):
        raise PermissionDenied
    owner = actor is None or is_topic_owner(actor, cluster)
    publish = owner if publish is None else (publish and owner)
    try:
        with transaction.atomic():
            if slug in RESERVED_SLUGS:
                raise ValidationError(
                    {"slug": _("Das Kürzel „%(slug)s“ ist reserviert.") % {"slug": slug}}
                )
            if slug and Article.objects.filter(network=network, slug=slug).exists():
                raise ValidationError(
                    {"slug": _("Das Kürzel „%(slug)s“ ist bereits vergeben.") % {"slug": slug}}
                )
            article = Article.objects.create(
                network=network,
                cluster=cluster,
                slug=slug or unique_slug(network, title),
                title=title.strip(),
                body=body,
                tags=clean_tags(tags),
                visibility=visibility,
                municipality=municipality
                if visibility == Article.Visibility.MUNICIPALITY
                else None,
                status=Article.Status.REVIEW if not publish else Article.Status.DRAFT,
                created_by=actor,
                source_updated=source_updated,
            )
            revision = Revision.objects.create(
                article=article,
                number=1,
                title=article.title,
                body=body,
                tags=article.tags,
                message=message or _("Artikel angelegt"),
                author=actor,
                base_version=0,
                state=Revision.State.PUBLISHED if publish else Revision.State.PENDING,
            )
            if publish:
                apply_revision(article, revision, reviewed=True)
            else:
                article.save()
                transaction.on_commit(lambda: notify_owners_of_pending_revision(revision.pk))
            record_event(
                action="article.created",
                actor=actor,
                network=network,
                obj=article,
                after={
                    "slug": article.slug,
                    "title": article.title,
                    "status": article.status,
                    "visibility": visibility,
                },
            )
    except IntegrityError as exc:
        raise ValidationError({"slug": _("Dieses Kürzel ist bereits vergeben.")}) from exc
    return article


def edit_article(
    *,
    actor: User,
    article: Article,
    title: str,
    body: str,
    tags: Iterable[str],
    base_version: int,
    message: str = "",
) -> Revision:
    """Save an edit. Raises EditConflict when the article changed since ``base_version``.

    Topic owners' edits are published at once; others' wait for review (pending revision).
    """
    _validate_content(title, body)
    if not can_edit(actor, article):
        raise PermissionDenied
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if locked.version != base_version:
            raise EditConflict(locked, locked.current_revision)
        owner = is_topic_owner(actor, locked.cluster)
        revision = Revision.objects.create(
            article=locked,
            number=next_revision_number(locked),
            title=title.strip(),
            body=body,
            tags=clean_tags(tags),
            message=message.strip()[:300],
            author=actor,
            base_version=base_version,
            state=Revision.State.PUBLISHED if owner else Revision.State.PENDING,
        )
        if owner:
            apply_revision(locked, revision, reviewed=True)
        else:
            transaction.on_commit(lambda: notify_owners_of_pending_revision(revision.pk))
        record_event(
            action="article.edited" if owner else "article.change_proposed",
            actor=actor,
            network=locked.network,
            obj=locked,
            after={"revision": revision.number, "message": revision.message},
        )
    return revision


def accept_revision(*, actor: User, revision: Revision, comment: str = "") -> Revision:
    """A topic owner publishes a pending revision (refused if the article moved on)."""
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=revision.article_id)
        revision = Revision.objects.select_for_update().get(pk=revision.pk)
        if not is_topic_owner(actor, locked.cluster):
            raise PermissionDenied
        if revision.state != Revision.State.PENDING:
            raise ValidationError(_("Diese Änderung wurde bereits geprüft."))
        if revision.base_version != locked.version:
            raise EditConflict(locked, locked.current_revision)
        revision.state = Revision.State.PUBLISHED
        revision.reviewed_by, revision.reviewed_at = actor, timezone.now()
        revision.review_comment = comment.strip()
        revision.save()
        apply_revision(locked, revision, reviewed=True)
        record_event(
            action="article.change_accepted",
            actor=actor,
            network=locked.network,
            obj=locked,
            after={"revision": revision.number},
        )
        transaction.on_commit(lambda: notify_author_of_review(revision.pk))
    return revision


def reject_revision(*, actor: User, revision: Revision, comment: str) -> Revision:
    """A topic owner sends a pending revision back to its author with a comment."""
    if not comment.strip():
        raise ValidationError(
            {"comment": _("Bitte schreiben Sie kurz, was an der Änderung noch fehlt.")}
        )
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=revision.article_id)
        revision = Revision.objects.select_for_update().get(pk=revision.pk)
        if not is_topic_owner(actor, locked.cluster):
            raise PermissionDenied
        if revision.state != Revision.State.PENDING:
            raise ValidationError(_("Diese Änderung wurde bereits geprüft."))
        revision.state = Revision.State.REJECTED
        revision.reviewed_by, revision.reviewed_at = actor, timezone.now()
        revision.review_comment = comment.strip()
        revision.save()
        if (
            locked.status == Article.Status.REVIEW
            and not locked.revisions.filter(state=Revision.State.PENDING).exists()
            and locked.current_revision_id is None
        ):
            locked.status = Article.Status.DRAFT
            locked.save(update_fields=["status", "updated_at"])
        record_event(
            action="article.change_rejected",
            actor=actor,
            network=locked.network,
            obj=locked,
            after={"revision": revision.number, "comment": comment.strip()},
        )
        transaction.on_commit(lambda: notify_author_of_review(revision.pk))
    return revision


def restore_revision(*, actor: User, revision: Revision, base_version: int) -> Revision:
    """Bring back an old state as a new revision (history is never rewritten)."""
    return edit_article(
        actor=actor,
        article=revision.article,
        title=revision.title,
        body=revision.body,
        tags=revision.tags,
        base_version=base_version,
        message=_("Version %(number)s wiederhergestellt") % {"number": revision.number},
    )


def update_article_settings(
    *,
    actor: User,
    article: Article,
    cluster: TopicCluster,
    visibility: str,
    municipality: Municipality | None,
) -> Article:
    """Move an article to another cluster or change who may read it (topic owners only)."""
    _validate_visibility(article.network, visibility, municipality)
    if cluster.network_id != article.network_id:
        raise ValidationError({"cluster": _("Das Themencluster gehört nicht zum Netzwerk.")})
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if not is_topic_owner(actor, locked.cluster) or not is_topic_owner(actor, cluster):
            raise PermissionDenied
        before = {
            "cluster": locked.cluster.slug,
            "visibility": locked.visibility,
            "municipality": locked.municipality_id,
        }
        locked.cluster, locked.visibility = cluster, visibility
        locked.municipality = (
            municipality if visibility == Article.Visibility.MUNICIPALITY else None
        )
        locked.save()
        after = {
            "cluster": cluster.slug,
            "visibility": visibility,
            "municipality": locked.municipality_id,
        }
        if before != after:
            record_event(
                action="article.settings_changed",
                actor=actor,
                network=locked.network,
                obj=locked,
                before=before,
                after=after,
            )
            schedule_reindex(locked)
    return locked


def set_article_archived(*, actor: User, article: Article, archived: bool) -> Article:
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if not is_topic_owner(actor, locked.cluster):
            raise PermissionDenied
        target = (
            Article.Status.ARCHIVED
            if archived
            else (Article.Status.PUBLISHED if locked.current_revision_id else Article.Status.DRAFT)
        )
        if locked.status == target:
            return locked
        before = locked.status
        locked.status = target
        locked.save(update_fields=["status", "updated_at"])
        record_event(
            action="article.archived" if archived else "article.unarchived",
            actor=actor,
            network=locked.network,
            obj=locked,
            before={"status": before},
            after={"status": target},
        )
        schedule_reindex(locked)
    return locked


def confirm_article_current(*, actor: User, article: Article) -> Article:
    """A topic owner confirms "Ja, das ist noch aktuell" without changing the text."""
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if not is_topic_owner(actor, locked.cluster):
            raise PermissionDenied
        locked.last_reviewed_at = timezone.now()
        locked.save(update_fields=["last_reviewed_at", "updated_at"])
        record_event(
            action="article.confirmed_current", actor=actor, network=locked.network, obj=locked
        )
    return locked


def record_feedback(*, actor: User, article: Article, helpful: bool, comment: str = "") -> Feedback:
    """ "War dieser Artikel hilfreich?" – one answer per person, the latest counts."""
    with transaction.atomic():
        feedback, _created = Feedback.objects.update_or_create(
            article=article,
            user=actor,
            defaults={"helpful": helpful, "comment": comment.strip()[:2000]},
        )
    return feedback


def add_attachment(
    *, actor: User, article: Article, file: File, name: str, size: int
) -> Attachment:
    """Attach a file to an article (editors only). Its type is checked on the content."""
    if not can_edit(actor, article):
        raise PermissionDenied
    checked = check_upload(file, name=name, size=size)
    with transaction.atomic():
        attachment = Attachment(
            article=article,
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
            record_event(
                action="article.attachment_added",
                actor=actor,
                network=article.network,
                obj=article,
                after={
                    "attachment": attachment.original_name,
                    "content_type": attachment.content_type,
                    "size": attachment.size,
                },
            )
        except BaseException:
            attachment.file.storage.delete(stored)
            raise
    return attachment


def remove_attachment(*, actor: User, attachment: Attachment) -> None:
    """Remove an attachment (topic owners and the person who uploaded it)."""
    article = attachment.article
    if attachment.uploaded_by_id != actor.pk and not is_topic_owner(actor, article.cluster):
        raise PermissionDenied
    storage, stored = attachment.file.storage, attachment.file.name
    with transaction.atomic():
        record_event(
            action="article.attachment_removed",
            actor=actor,
            network=article.network,
            obj=article,
            before={"attachment": attachment.original_name},
        )
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(stored))
