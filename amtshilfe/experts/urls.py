from django.urls import path

from amtshilfe.experts import views

app_name = "experts"

urlpatterns = [
    path("", views.cluster_list, name="cluster_list"),
    path("neu/", views.cluster_create, name="cluster_create"),
    path("mein-profil/", views.profile, name="profile"),
    path("<slug:slug>/", views.cluster_detail, name="cluster_detail"),
    path("<slug:slug>/bearbeiten/", views.cluster_edit, name="cluster_edit"),
    path("<slug:slug>/mitglieder/", views.cluster_member_set, name="cluster_member_set"),
    path(
        "<slug:slug>/mitglieder/<int:pk>/entfernen/",
        views.cluster_member_remove,
        name="cluster_member_remove",
    ),
]
