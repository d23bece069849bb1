from django.urls import path

from amtshilfe.tenancy import views

app_name = "tenancy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("wechseln/", views.switch_network, name="switch_network"),
    path("kommunen/neu/", views.municipality_create, name="municipality_create"),
    path("kommunen/<slug:slug>/", views.municipality_detail, name="municipality_detail"),
    path("kommunen/<slug:slug>/bearbeiten/", views.municipality_edit, name="municipality_edit"),
    path("kommunen/<slug:slug>/austritt/", views.municipality_leave, name="municipality_leave"),
    path(
        "kommunen/<slug:slug>/wiedereintritt/",
        views.municipality_readmit,
        name="municipality_readmit",
    ),
    path("personen/", views.person_list, name="person_list"),
    path("personen/neu/", views.person_create, name="person_create"),
    path("personen/<int:pk>/", views.person_detail, name="person_detail"),
    path("personen/<int:pk>/bearbeiten/", views.person_edit, name="person_edit"),
    path("personen/<int:pk>/aktiv/", views.person_set_active, name="person_set_active"),
    path("personen/<int:pk>/einladung/", views.person_invite, name="person_invite"),
    path("personen/<int:pk>/mitgliedschaften/neu/", views.membership_add, name="membership_add"),
    path("mitgliedschaften/<int:pk>/rolle/", views.membership_role, name="membership_role"),
    path("mitgliedschaften/<int:pk>/beenden/", views.membership_end, name="membership_end"),
    path("personen/<int:pk>/rollen/neu/", views.network_role_grant, name="network_role_grant"),
    path("rollen/<int:pk>/entziehen/", views.network_role_revoke, name="network_role_revoke"),
    path("protokoll/", views.audit_log, name="audit_log"),
]
