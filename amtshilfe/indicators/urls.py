"""The indicators dashboard and the process analysis under /auswertung/."""

from django.urls import path

from amtshilfe.indicators.views import dashboard, eventlog

app_name = "indicators"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("ablauf/", dashboard.process, name="process"),
    path("ablauf/ereignisprotokoll.csv", eventlog.eventlog_csv, name="eventlog_csv"),
    path("ablauf/ereignisprotokoll.xes", eventlog.eventlog_xes, name="eventlog_xes"),
    path("<slug:key>.csv", dashboard.figure_csv, name="figure_csv"),
]
