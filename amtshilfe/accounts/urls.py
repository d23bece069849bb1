from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from amtshilfe.accounts import views

app_name = "accounts"

urlpatterns = [
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.profile, name="profile"),
    path("passwort/", views.PasswordChangeView.as_view(), name="password_change"),
    path("tokens/neu/", views.create_token, name="create_token"),
    path("tokens/<int:pk>/widerrufen/", views.revoke_token, name="revoke_token"),
    path(
        "passwort-vergessen/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "passwort-vergessen/gesendet/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "passwort-setzen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_set.html",
            success_url=reverse_lazy("accounts:password_set_done"),
        ),
        name="password_set",
    ),
    path(
        "passwort-setzen/fertig/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_set_done.html"
        ),
        name="password_set_done",
    ),
]
