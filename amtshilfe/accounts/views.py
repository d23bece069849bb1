"""Login, logout, password and the person's own account page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtshilfe.accounts.forms import LoginForm, ProfileForm, TokenForm
from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.accounts.models import ApiToken, User
from amtshilfe.accounts.services import update_own_account
from amtshilfe.accounts.tokens import create_api_token, revoke_api_token


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite="Lax",
    )


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # The person's saved language applies from the first page after login.
        set_language_cookie(response, form.get_user().language)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Ihr Passwort wurde geändert."))
        return response


def lockout_response(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this after too many failed logins: a German page with status 429."""
    return render(request, "accounts/locked_out.html", status=429)


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            update_own_account(user=user, **form.cleaned_data)
            messages.success(request, _("Ihre Angaben wurden gespeichert."))
            response = redirect("accounts:profile")
            set_language_cookie(response, form.cleaned_data["language"])
            return response
    else:
        form = ProfileForm(
            initial={
                f: getattr(user, f)
                for f in ("first_name", "last_name", "email", "phone", "language")
            }
        )
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "tokens": tokens,
            "token_form": TokenForm(),
            "new_token": request.session.pop("amtshilfe_new_token", None),
        },
    )


@login_required
@require_POST
def create_token(request: AuthenticatedRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte geben Sie dem Token eine Bezeichnung."))
        return redirect("accounts:profile")
    _token, raw = create_api_token(user=request.user, name=form.cleaned_data["name"])
    # Shown once on the next page, never stored in clear text.
    request.session["amtshilfe_new_token"] = raw
    return redirect("accounts:profile")


@login_required
@require_POST
def revoke_token(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    revoke_api_token(token=token, actor=request.user)
    messages.success(request, _("Der Token wurde widerrufen."))
    return redirect("accounts:profile")
