"""The throughput ceiling for `make bench` (``amtshilfe/bench.py``).

Routed only when the environment sets AMTSHILFE_BENCH_CEILING=1 (see ``amtshilfe/urls.py``):
a view without database access or template, behind the same middleware and the same server
as the real pages, so the benchmark shows how much of a page's time is the page's own.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path


def ceiling(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path("ceiling/", ceiling, name="bench_ceiling")]
