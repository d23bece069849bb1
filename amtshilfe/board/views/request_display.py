"""How requests read on screen: relative times, the status line, the history as German sentences.

Pure functions over rows already loaded (no queries), so the list and the detail page keep a
constant number of SQL queries however many rows they show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amtshilfe.board.models import RequestEvent, ServiceRequest

Kind = RequestEvent.Kind
Status = ServiceRequest.Status


def relative_time(when: dt.datetime, now: dt.datetime | None = None) -> str:
    """ "vor 5 Min.", "vor 2 Std.", "vor 3 Tagen" – older than a week: the date."""
    now = now or timezone.now()
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 60:
        return _("gerade eben")
    if seconds < 3600:
        return _("vor %(n)d Min.") % {"n": seconds // 60}
    if seconds < 86400:
        return _("vor %(n)d Std.") % {"n": seconds // 3600}
    days = seconds // 86400
    if days < 7:
        return ngettext("vor %(n)d Tag", "vor %(n)d Tagen", days) % {"n": days}
    return _("am %(date)s") % {
        "date": formats.date_format(timezone.localtime(when), "SHORT_DATE_FORMAT")
    }


def status_line(request: ServiceRequest, *, requesting_side: bool) -> str:
    """One clear sentence about where the request stands, for the person looking at it."""
    cluster = request.cluster.name if request.cluster else ""
    assignee = request.assignee.full_name if request.assignee else ""
    if request.status == Status.TRIAGE:
        return _(
            "Eingegangen. Die Koordination ordnet die Anfrage gerade dem passenden "
            "Themencluster zu."
        )
    if request.status == Status.NEW:
        return _(
            "Eingegangen. Die IT-Fachkräfte des Themenclusters „%(cluster)s“ sind informiert; "
            "bald übernimmt jemand die Anfrage."
        ) % {"cluster": cluster}
    if request.status == Status.IN_PROGRESS:
        if assignee:
            return _("In Arbeit: %(name)s kümmert sich darum.") % {"name": assignee}
        return _("In Arbeit.")
    if request.status == Status.WAITING:
        if requesting_side:
            return _(
                "Wartet auf Ihre Rückmeldung. Bitte beantworten Sie die Rückfrage unten "
                "in einem Kommentar."
            )
        return _("Wartet auf Rückmeldung der anfragenden Kommune.")
    if request.status == Status.DONE:
        if requesting_side and request.rating is None:
            return _(
                "Erledigt. Bitte sagen Sie uns, wie zufrieden Sie mit der Hilfe waren. "
                "Ist das Problem doch nicht gelöst, öffnen Sie die Anfrage wieder."
            )
        return _("Erledigt.")
    return _("Abgeschlossen.")


def what_happens_next(request: ServiceRequest) -> str:
    """The second sentence of the message after filing."""
    if request.cluster is not None:
        return _(
            "Sie wurde dem Themencluster „%(cluster)s“ zugeordnet; die IT-Fachkräfte dort "
            "sind benachrichtigt. Sie erhalten eine Nachricht, sobald sich etwas tut."
        ) % {"cluster": request.cluster.name}
    return _(
        "Die Koordination ordnet sie jetzt dem passenden Themencluster zu. "
        "Sie erhalten eine Nachricht, sobald sich etwas tut."
    )


@dataclass(frozen=True)
class HistoryEntry:
    sentence: str
    when: dt.datetime
    relative: str
    internal: bool


def _name(data: dict[str, Any] | None, key: str = "name") -> str:
    return str((data or {}).get(key) or "")


def _label(data: dict[str, Any] | None) -> str:
    return str((data or {}).get("label") or (data or {}).get("name") or "")


def _sentence(event: RequestEvent, actor: str, it_side: bool) -> str | None:
    data = event.data or {}
    before, after = data.get("from"), data.get("to")
    if event.kind == Kind.CREATED:
        if data.get("cluster"):
            return _(
                "%(actor)s hat die Anfrage gestellt; die automatische Triage hat sie dem "
                "Themencluster „%(cluster)s“ zugeordnet."
            ) % {"actor": actor, "cluster": _name(data.get("cluster"))}
        return _("%(actor)s hat die Anfrage gestellt.") % {"actor": actor}
    if event.kind == Kind.STATUS:
        return _("%(actor)s hat den Status von „%(from)s“ auf „%(to)s“ geändert.") % {
            "actor": actor,
            "from": _label(before),
            "to": _label(after),
        }
    if event.kind == Kind.COLUMN:
        if not it_side:
            return None
        return _("%(actor)s hat die Karte von „%(from)s“ nach „%(to)s“ verschoben.") % {
            "actor": actor,
            "from": _name(before),
            "to": _name(after),
        }
    if event.kind == Kind.ASSIGNEE:
        if after is None:
            return _("%(actor)s hat die Anfrage abgegeben.") % {"actor": actor}
        if event.actor_id is not None and after.get("id") == event.actor_id:
            return _("%(actor)s hat die Anfrage übernommen.") % {"actor": actor}
        return _("%(actor)s hat die Anfrage %(name)s zugewiesen.") % {
            "actor": actor,
            "name": _name(after),
        }
    if event.kind == Kind.CLUSTER:
        if after is None:
            return _("%(actor)s hat die Anfrage zurück in die Triage gegeben.") % {"actor": actor}
        return _("%(actor)s hat die Anfrage dem Themencluster „%(cluster)s“ zugeordnet.") % {
            "actor": actor,
            "cluster": _name(after),
        }
    if event.kind == Kind.URGENCY:
        return _("%(actor)s hat die Dringlichkeit von „%(from)s“ auf „%(to)s“ geändert.") % {
            "actor": actor,
            "from": _label(before),
            "to": _label(after),
        }
    if event.kind == Kind.ATTACHMENT:
        return _("%(actor)s hat „%(name)s“ angehängt.") % {"actor": actor, "name": _name(data)}
    if event.kind == Kind.TIME:
        return _("%(actor)s hat Zeit erfasst.") % {"actor": actor}
    if event.kind == Kind.RATING:
        return _("%(actor)s hat die Hilfe mit %(rating)s von 5 Sternen bewertet.") % {
            "actor": actor,
            "rating": data.get("rating", "?"),
        }
    if event.kind == Kind.ARTICLE:
        return _("%(actor)s hat daraus den Artikel „%(title)s“ angelegt.") % {
            "actor": actor,
            "title": _name(data.get("article"), "title"),
        }
    return None  # comments are shown as comments; watching is not history


def history(
    events: Iterable[RequestEvent], *, it_side: bool, now: dt.datetime | None = None
) -> list[HistoryEntry]:
    """The events as sentences, oldest first. The requesting side never gets internal ones.

    A move records a column and a status event; the IT side reads the move, the requesting
    side the status change (columns are the IT side's business).
    """
    now = now or timezone.now()
    entries: list[HistoryEntry] = []
    previous: RequestEvent | None = None
    for event in events:
        if event.internal and not it_side:
            continue
        merged_into_move = (
            it_side
            and event.kind == Kind.STATUS
            and previous is not None
            and previous.kind == Kind.COLUMN
            and previous.actor_id == event.actor_id
            and abs((event.created_at - previous.created_at).total_seconds()) < 5
        )
        previous = event
        if merged_into_move:
            continue
        actor = event.actor_name or _("Amtshilfe")
        sentence = _sentence(event, actor, it_side)
        if sentence is None:
            continue
        entries.append(
            HistoryEntry(
                sentence=sentence,
                when=event.created_at,
                relative=relative_time(event.created_at, now),
                internal=event.internal,
            )
        )
    return entries
