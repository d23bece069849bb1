"""Who hears about news and events, and what they are told (through ``notifications.notify``).

E-mail or digest follows each person's preference for the kinds ``news`` and ``event``;
the notify service decides that, not this module.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.communication.models import Event, EventRegistration, News
from amtshilfe.lib.markdown import plain_text
from amtshilfe.notifications.models import Kind
from amtshilfe.notifications.services import notify
from amtshilfe.tenancy.models import Network

TEASER_CHARS = 280


def audience(network: Network, cluster_id: int | None) -> list[User]:
    """Everybody who belongs to the network today; for a cluster only its members and owners."""
    people = User.objects.filter(is_active=True).filter(
        Q(network_roles__network=network)
        | Q(
            memberships__municipality__network=network,
            memberships__municipality__status="active",
            memberships__ended_on__isnull=True,
        )
    )
    if cluster_id is not None:
        people = people.filter(cluster_memberships__cluster_id=cluster_id)
    return list(people.distinct().order_by("pk"))


def teaser(markdown: str) -> str:
    text = " ".join(plain_text(markdown).split())
    return text if len(text) <= TEASER_CHARS else text[: TEASER_CHARS - 1].rstrip() + "…"


def announce_news(news: News) -> int:
    """Tell the audience of a published news item (not its author); returns how many."""
    recipients = [u for u in audience(news.network, news.cluster_id) if u.pk != news.author_id]
    created = notify(
        recipients=recipients,
        network=news.network,
        kind=Kind.NEWS,
        title=news.title,
        body=teaser(news.body),
        url=reverse("communication:news_detail", kwargs={"slug": news.slug}),
    )
    return len(created)


def _when(event: Event) -> str:
    return timezone.localtime(event.starts_at).strftime("%d.%m.%Y, %H:%M Uhr")


def _event_url(event: Event) -> str:
    return reverse("communication:event_detail", kwargs={"pk": event.pk})


def confirm_registration(registration: EventRegistration) -> None:
    event = registration.event
    if registration.status == EventRegistration.Status.REGISTERED:
        title = _("Anmeldung bestätigt: %(title)s") % {"title": event.title}
        body = _("Sie sind für „%(title)s“ am %(when)s angemeldet.")
    else:
        title = _("Warteliste: %(title)s") % {"title": event.title}
        body = _(
            "„%(title)s“ am %(when)s ist ausgebucht. Sie stehen auf der Warteliste und rücken "
            "automatisch nach, wenn ein Platz frei wird."
        )
    notify(
        recipients=[registration.user],
        network=event.network,
        kind=Kind.EVENT,
        title=title,
        body=body % {"title": event.title, "when": _when(event)},
        url=_event_url(event),
    )


def confirm_cancellation(registration: EventRegistration) -> None:
    event = registration.event
    notify(
        recipients=[registration.user],
        network=event.network,
        kind=Kind.EVENT,
        title=_("Abgemeldet: %(title)s") % {"title": event.title},
        body=_("Sie haben sich von „%(title)s“ am %(when)s abgemeldet.")
        % {"title": event.title, "when": _when(event)},
        url=_event_url(event),
    )


def announce_moved_up(registration: EventRegistration) -> None:
    event = registration.event
    notify(
        recipients=[registration.user],
        network=event.network,
        kind=Kind.EVENT,
        title=_("Platz frei: %(title)s") % {"title": event.title},
        body=_(
            "Ein Platz ist frei geworden: Sie sind jetzt für „%(title)s“ am %(when)s angemeldet."
        )
        % {"title": event.title, "when": _when(event)},
        url=_event_url(event),
    )


def announce_event_cancelled(event: Event, people: list[User]) -> None:
    notify(
        recipients=people,
        network=event.network,
        kind=Kind.EVENT,
        title=_("Abgesagt: %(title)s") % {"title": event.title},
        body=_("Der Termin „%(title)s“ am %(when)s findet nicht statt.")
        % {"title": event.title, "when": _when(event)},
        url=_event_url(event),
    )
