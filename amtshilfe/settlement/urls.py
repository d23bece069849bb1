"""URLs of settlement under /abrechnung/ (periods by label: 2026-10, 2026-Q4, 2026)."""

from django.urls import URLPattern, URLResolver, path, register_converter

from amtshilfe.settlement.views import actions, pages


class PeriodLabelConverter:
    regex = r"[0-9]{4}(?:-[0-9]{2}|-Q[1-4])?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class FormatConverter:
    regex = r"csv|pdf"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PeriodLabelConverter, "period")
register_converter(FormatConverter, "fmt")

app_name = "settlement"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", pages.index, name="index"),
    path("modell/", actions.scheme, name="scheme"),
    path("<period:label>/", pages.period, name="period"),
    path("<period:label>/pruefung/", actions.start_review, name="start_review"),
    path("<period:label>/abschliessen/", actions.close, name="close"),
    path("<period:label>/einspruch/<int:pk>/", actions.resolve, name="resolve"),
    path("<period:label>/abrechnung.<fmt:fmt>", pages.period_download, name="period_download"),
    path("<period:label>/<slug:slug>/", pages.statement, name="statement"),
    path("<period:label>/<slug:slug>/einspruch/", actions.object_to, name="object"),
    path(
        "<period:label>/<slug:slug>/abrechnung.<fmt:fmt>",
        pages.statement_download,
        name="statement_download",
    ),
]
