"""The request event log for process-mining tools (PM4Py, Disco, ProM): CSV and XES.

One row per ``RequestEvent`` of the network in the period (half-open, like every period),
of the kinds that describe the flow of a request (``EXPORTED_KINDS``):

- ``created`` → "Anfrage gestellt"; ``column`` → "verschoben nach <Spalte>" (the column's
  name at that time; reorders inside one column are left out); ``cluster`` → "Themencluster
  geändert"; ``urgency`` → "Dringlichkeit geändert auf <Stufe>"; ``assignee`` →
  "Zuständigkeit geändert"; ``rating`` → "bewertet"; ``article`` → "Artikel aus der Anfrage
  erstellt".
- Left out: ``status`` (the board writes one with every move – the column event says the
  same), comments and attachments (free text, and who talks to whom), time bookings,
  watching (personal).

Staff council: the log names no person – no actor, no assignee (an assignment is only
"Zuständigkeit geändert"), no rating value, no title or other free text. Case attributes are
the request's *current* topic cluster, urgency and municipality; a municipality is an
authority, not a person, and process analysis by municipality is legitimate, so it is kept.
The case id is the request number of the network.

Columns of the CSV (UTF-8 with BOM, ``;`` like the other exports): Fall, Aktivität,
Zeitpunkt (ISO 8601, UTC), Lebenszyklus (always "complete"), Ereignisart, Spaltenart,
Themencluster, Dringlichkeit, Kommune. The XES file follows IEEE 1849-2016 with the
Concept, Time and Lifecycle extensions (no Organizational extension: no resources), global
attributes and two classifiers.

Both writers are generators over ``QuerySet.iterator(chunk_size=…)`` ordered by request and
time, so memory stays flat for hundreds of thousands of events (the view streams them).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple
from xml.sax.saxutils import quoteattr

from django.db.models import F, IntegerField, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _

from amtshilfe.board.models import Column, RequestEvent, ServiceRequest
from amtshilfe.indicators.figures import Period
from amtshilfe.indicators.registry import as_datetime_range
from amtshilfe.lib.spreadsheet import safe_cell
from amtshilfe.tenancy.models import Network

Kind = RequestEvent.Kind
EXPORTED_KINDS: list[str] = [
    Kind.CREATED,
    Kind.COLUMN,
    Kind.CLUSTER,
    Kind.URGENCY,
    Kind.ASSIGNEE,
    Kind.RATING,
    Kind.ARTICLE,
]
LIFECYCLE = "complete"
CHUNK_SIZE = 2000
FLUSH_EVERY = 500  # rows per yielded piece of the response


class LogEvent(NamedTuple):
    """One exported event; the case attributes repeat on every event of the case."""

    case: str
    activity: str
    timestamp: dt.datetime  # UTC
    kind: str  # German label of the event kind
    column_kind: str  # German label of the column kind entered ("" if none)
    cluster: str
    urgency: str
    municipality: str


def log_events(
    network: Network, period: Period, *, chunk_size: int = CHUNK_SIZE
) -> Iterator[LogEvent]:
    """The exported events of ``network`` in ``period``, by request, then time."""
    start, end = as_datetime_range(period)
    rows = (
        RequestEvent.objects.filter(
            network=network, kind__in=EXPORTED_KINDS, created_at__gte=start, created_at__lt=end
        )
        .annotate(
            from_id=Cast(KT("data__from__id"), output_field=IntegerField()),
            to_id=Cast(KT("data__to__id"), output_field=IntegerField()),
        )
        .exclude(Q(kind=Kind.COLUMN) & Q(from_id=F("to_id")))
        .annotate(
            to_name=KT("data__to__name"),
            to_value=KT("data__to__value"),
            entered_kind=Coalesce(KT("data__to__kind"), KT("data__column__kind")),
        )
        .order_by("request_id", "created_at", "id")
        .values_list(
            "request__number",
            "kind",
            "created_at",
            "to_name",
            "to_value",
            "entered_kind",
            "request__cluster__name",
            "request__urgency",
            "request__municipality__name",
        )
    )
    kinds = {str(value): str(label) for value, label in Kind.choices}
    column_kinds = {str(value): str(label) for value, label in Column.Kind.choices}
    urgencies = {str(value): str(label) for value, label in ServiceRequest.Urgency.choices}
    fixed: dict[str, str] = {
        Kind.CREATED: _("Anfrage gestellt"),
        Kind.CLUSTER: _("Themencluster geändert"),
        Kind.ASSIGNEE: _("Zuständigkeit geändert"),
        Kind.RATING: _("bewertet"),
        Kind.ARTICLE: _("Artikel aus der Anfrage erstellt"),
    }
    moved = _("verschoben nach %(column)s")
    urgency_changed = _("Dringlichkeit geändert auf %(urgency)s")
    no_cluster = _("ohne Themencluster")
    for row in rows.iterator(chunk_size=chunk_size):
        number, kind, at, to_name, to_value, entered, cluster, urgency, municipality = row
        if kind == Kind.COLUMN:
            activity = moved % {"column": to_name or column_kinds.get(entered or "", "")}
        elif kind == Kind.URGENCY:
            activity = urgency_changed % {"urgency": urgencies.get(to_value or "", to_value)}
        else:
            activity = fixed[kind]
        yield LogEvent(
            case=str(number),
            activity=activity,
            timestamp=at.astimezone(dt.UTC),
            kind=kinds.get(kind, kind),
            column_kind=column_kinds.get(entered or "", "")
            if kind in (Kind.CREATED, Kind.COLUMN)
            else "",
            cluster=cluster or no_cluster,
            urgency=urgencies.get(urgency, urgency),
            municipality=municipality,
        )


def iso_utc(moment: dt.datetime) -> str:
    """ISO 8601 in UTC with milliseconds, e.g. ``2026-09-01T07:00:00.000+00:00``."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")


def filename(period: Period, extension: str) -> str:
    """``ereignisprotokoll-2026-09-01-2026-11-30.xes`` (first and last day of the period)."""
    return f"ereignisprotokoll-{period.start.isoformat()}-{period.last_day.isoformat()}.{extension}"


# --- CSV ----------------------------------------------------------------------------------


class _Echo:
    """A file-like object that hands back what ``csv.writer`` writes (for streaming)."""

    def write(self, value: str) -> str:
        return value


def csv_header() -> list[str]:
    return [
        _("Fall"),
        _("Aktivität"),
        _("Zeitpunkt"),
        _("Lebenszyklus"),
        _("Ereignisart"),
        _("Spaltenart"),
        _("Themencluster"),
        _("Dringlichkeit"),
        _("Kommune"),
    ]


def csv_chunks(events: Iterable[LogEvent]) -> Iterator[bytes]:
    """UTF-8 (with BOM) CSV, ``;``-separated, in pieces of ``FLUSH_EVERY`` rows."""
    writer: Any = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield ("\ufeff" + writer.writerow(csv_header())).encode("utf-8")
    lines: list[str] = []
    for event in events:
        cells = [
            event.case,
            event.activity,
            iso_utc(event.timestamp),
            LIFECYCLE,
            event.kind,
            event.column_kind,
            event.cluster,
            event.urgency,
            event.municipality,
        ]
        lines.append(writer.writerow([safe_cell(cell) for cell in cells]))
        if len(lines) >= FLUSH_EVERY:
            yield "".join(lines).encode("utf-8")
            lines = []
    if lines:
        yield "".join(lines).encode("utf-8")


# --- XES (IEEE 1849-2016) -----------------------------------------------------------------

# Characters XML 1.0 does not allow, even escaped (control characters other than tab/newline).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))


def _string(key: str, value: str, indent: str) -> str:
    return f"{indent}<string key={_attr(key)} value={_attr(value)}/>\n"


def xes_header(log_name: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<log xes.version="1849-2016" xes.features="" xmlns="http://www.xes-standard.org/">\n'
        '  <extension name="Concept" prefix="concept" '
        'uri="http://www.xes-standard.org/concept.xesext"/>\n'
        '  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>\n'
        '  <extension name="Lifecycle" prefix="lifecycle" '
        'uri="http://www.xes-standard.org/lifecycle.xesext"/>\n'
        '  <global scope="trace">\n'
        '    <string key="concept:name" value="__INVALID__"/>\n'
        "  </global>\n"
        '  <global scope="event">\n'
        '    <string key="concept:name" value="__INVALID__"/>\n'
        '    <date key="time:timestamp" value="1970-01-01T00:00:00.000+00:00"/>\n'
        f'    <string key="lifecycle:transition" value="{LIFECYCLE}"/>\n'
        "  </global>\n"
        f'  <classifier name={_attr(_("Aktivität"))} keys="concept:name"/>\n'
        f"  <classifier name={_attr(_('Aktivität und Übergang'))} "
        'keys="concept:name lifecycle:transition"/>\n'
        f'  <string key="concept:name" value={_attr(log_name)}/>\n'
        '  <string key="lifecycle:model" value="standard"/>\n'
    )


def _trace_start(event: LogEvent) -> str:
    return (
        "  <trace>\n"
        + _string("concept:name", event.case, "    ")
        + _string("cluster", event.cluster, "    ")
        + _string("urgency", event.urgency, "    ")
        + _string("municipality", event.municipality, "    ")
    )


def _event(event: LogEvent) -> str:
    parts = [
        "    <event>\n",
        _string("concept:name", event.activity, "      "),
        f'      <date key="time:timestamp" value="{iso_utc(event.timestamp)}"/>\n',
        _string("lifecycle:transition", LIFECYCLE, "      "),
        _string("kind", event.kind, "      "),
    ]
    if event.column_kind:
        parts.append(_string("column_kind", event.column_kind, "      "))
    parts.append("    </event>\n")
    return "".join(parts)


def xes_chunks(events: Iterable[LogEvent], *, log_name: str) -> Iterator[bytes]:
    """The XES document in pieces; one ``<trace>`` per request, events in time order.

    ``events`` must come grouped by case (``log_events`` orders them by request).
    """
    yield xes_header(log_name).encode("utf-8")
    parts: list[str] = []
    current: str | None = None
    for event in events:
        if event.case != current:
            if current is not None:
                parts.append("  </trace>\n")
            parts.append(_trace_start(event))
            current = event.case
        parts.append(_event(event))
        if len(parts) >= FLUSH_EVERY:
            yield "".join(parts).encode("utf-8")
            parts = []
    if current is not None:
        parts.append("  </trace>\n")
    parts.append("</log>\n")
    yield "".join(parts).encode("utf-8")


def log_name(network: Network, period: Period) -> str:
    return _("Anfragen im Netzwerk %(network)s, %(period)s") % {
        "network": network.name,
        "period": period.label,
    }
