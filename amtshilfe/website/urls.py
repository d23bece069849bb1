"""Public pages at German top-level paths; the coordination's screens under /website/."""

from django.urls import path

from amtshilfe.website.models import SitePage
from amtshilfe.website.views import knowledge, manage, pages, public

app_name = "website"

urlpatterns = [
    path("", public.home, name="home"),
    path("mitglieder/", public.members, name="members"),
    path("mitglieder/<slug:slug>/", public.member_detail, name="member_detail"),
    path("themen/", public.topics, name="topics"),
    path("kennzahlen/", public.indicator_page, name="indicators"),
    path("oeffentlich/wissen/", knowledge.knowledge_index, name="knowledge"),
    path("oeffentlich/wissen/<slug:slug>/", knowledge.article, name="article"),
    path("mitmachen/", pages.join, name="join"),
    path("mitmachen/danke/", pages.join_thanks, name="join_thanks"),
    path("impressum/", pages.site_page, {"key": SitePage.Key.IMPRINT}, name="imprint"),
    path("datenschutz/", pages.site_page, {"key": SitePage.Key.PRIVACY}, name="privacy"),
    path(
        "barrierefreiheit/",
        pages.site_page,
        {"key": SitePage.Key.ACCESSIBILITY},
        name="accessibility",
    ),
    path("website/", manage.overview, name="manage"),
    path("website/seiten/<str:key>/", manage.page_edit, name="page_edit"),
    path("website/seiten/<str:key>/versionen/", manage.page_history, name="page_history"),
    path(
        "website/seiten/<str:key>/versionen/<int:number>/",
        manage.page_revision,
        name="page_revision",
    ),
    path(
        "website/seiten/<str:key>/versionen/<int:number>/wiederherstellen/",
        manage.page_restore,
        name="page_restore",
    ),
    path("website/kontakte/", manage.contacts, name="contacts"),
    path("website/kontakte/<slug:slug>/", manage.contact_edit, name="contact_edit"),
    path("website/kontakte/<slug:slug>/entfernen/", manage.contact_remove, name="contact_remove"),
    path("website/beitritte/", manage.join_request_list, name="join_requests"),
    path("website/beitritte/<int:pk>/", manage.join_request_detail, name="join_request_detail"),
    path(
        "website/beitritte/<int:pk>/entscheiden/",
        manage.join_request_decide,
        name="join_request_decide",
    ),
]
