"""E-mails about reviews: to topic owners when a change waits, to the author when it is decided."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from amtshilfe.experts.models import ClusterMembership
from amtshilfe.wiki.models import Revision


def notify_owners_of_pending_revision(revision_id: int) -> int:
    """Returns the number of e-mails sent."""
    revision = Revision.objects.select_related("article__cluster", "author").get(pk=revision_id)
    article = revision.article
    owners = (
        ClusterMembership.objects.filter(
            cluster=article.cluster, role=ClusterMembership.Role.OWNER, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
    )
    url = settings.SITE_URL + reverse("wiki:review", kwargs={"slug": article.slug})
    author = revision.author.full_name if revision.author else _("Unbekannt")
    messages = [
        (
            _("Amtshilfe: Änderung an „%(title)s“ wartet auf Ihre Prüfung")
            % {"title": article.title},
            _(
                "%(author)s hat eine Änderung am Artikel „%(title)s“ vorgeschlagen:\n%(message)s\n\n"
                "Vergleichen und freigeben: %(url)s\n"
            )
            % {
                "author": author,
                "title": article.title,
                "message": revision.message or "–",
                "url": url,
            },
            settings.DEFAULT_FROM_EMAIL,
            [membership.user.email],
        )
        for membership in owners
    ]
    return send_mass_mail(messages, fail_silently=True) if messages else 0


def notify_author_of_review(revision_id: int) -> int:
    revision = Revision.objects.select_related("article", "author", "reviewed_by").get(
        pk=revision_id
    )
    if (
        revision.author is None
        or not revision.author.email
        or revision.author == revision.reviewed_by
    ):
        return 0
    article = revision.article
    url = settings.SITE_URL + reverse("wiki:article", kwargs={"slug": article.slug})
    if revision.state == Revision.State.PUBLISHED:
        subject = _("Amtshilfe: Ihre Änderung an „%(title)s“ ist veröffentlicht")
    else:
        subject = _("Amtshilfe: Ihre Änderung an „%(title)s“ braucht noch Arbeit")
    body = _("%(comment)s\n\nZum Artikel: %(url)s\n") % {
        "comment": revision.review_comment or "",
        "url": url,
    }
    return send_mass_mail(
        [
            (
                subject % {"title": article.title},
                body,
                settings.DEFAULT_FROM_EMAIL,
                [revision.author.email],
            )
        ],
        fail_silently=True,
    )
