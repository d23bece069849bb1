"""Root URL map. Each app owns its URLs; German paths for the user interface."""

from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language

from amtshilfe.api.api import api

urlpatterns = [
    path("", include("amtshilfe.website.urls")),
    path("start/", include("amtshilfe.dashboard.urls")),
    path("konto/", include("amtshilfe.accounts.urls")),
    path("netzwerk/", include("amtshilfe.tenancy.urls")),
    path("cluster/", include("amtshilfe.experts.urls")),
    path("wissen/suche/", include("amtshilfe.wiki.search.urls")),
    path("wissen/", include("amtshilfe.wiki.urls")),
    path("entscheidungen/", include("amtshilfe.decisions.urls")),
    path("zeit/", include("amtshilfe.timeaccounting.urls")),
    path("abrechnung/", include("amtshilfe.settlement.urls")),
    path("assistent/", include("amtshilfe.assistant.urls")),
    path("einarbeitung/", include("amtshilfe.onboarding.urls")),
    path("umfragen/", include("amtshilfe.surveys.urls")),
    path("auswertung/", include("amtshilfe.indicators.urls")),
    path("", include("amtshilfe.communication.urls")),
    path("", include("amtshilfe.board.urls")),
    path("benachrichtigungen/", include("amtshilfe.notifications.urls")),
    path("sprache/", set_language, name="set_language"),
    path("api/v1/", api.urls),
]

# `make bench` only (amtshilfe/bench.py): a minimal view as the server's throughput ceiling.
if settings.AMTSHILFE_BENCH_CEILING:
    urlpatterns.append(path("bench/", include("amtshilfe.demo.bench_urls")))

handler404 = "amtshilfe.website.views.not_found"
handler403 = "amtshilfe.website.views.forbidden"
