"""Downloads of the request event log (CSV and XES) for the chosen period.

Readers of the indicators only (coordination, steering group, auditor; others 403, people
outside the network 404). The period comes from the same GET parameters as the dashboard
(``zeitraum``, ``von``, ``bis``); a bad one is answered with 400 and the German message –
a download has no page to show it on. The file is streamed (``eventlog`` writes it piece by
piece), so even a network's whole history does not sit in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseBadRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.decorators.http import require_GET

from amtshilfe.indicators import eventlog
from amtshilfe.indicators.access import require_indicator_reader
from amtshilfe.indicators.figures import Period
from amtshilfe.indicators.periods import parse_period
from amtshilfe.tenancy.models import Network

Writer = Callable[[Network, Period], Iterator[bytes]]


def _download(
    request: HttpRequest, write: Writer, extension: str, content_type: str
) -> HttpResponseBase:
    network = require_indicator_reader(request)
    try:
        period = parse_period(request.GET, today=timezone.localdate())
    except ValidationError as error:
        return HttpResponseBadRequest(
            " ".join(error.messages), content_type="text/plain; charset=utf-8"
        )
    response = StreamingHttpResponse(write(network, period), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{eventlog.filename(period, extension)}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _csv(network: Network, period: Period) -> Iterator[bytes]:
    return eventlog.csv_chunks(eventlog.log_events(network, period))


def _xes(network: Network, period: Period) -> Iterator[bytes]:
    return eventlog.xes_chunks(
        eventlog.log_events(network, period), log_name=eventlog.log_name(network, period)
    )


@login_required
@require_GET
def eventlog_csv(request: HttpRequest) -> HttpResponseBase:
    return _download(request, _csv, "csv", "text/csv; charset=utf-8")


@login_required
@require_GET
def eventlog_xes(request: HttpRequest) -> HttpResponseBase:
    return _download(request, _xes, "xes", "application/xml; charset=utf-8")
