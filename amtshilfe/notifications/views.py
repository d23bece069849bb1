"""The own notifications: the list, marking read (htmx or plain forms), e-mail preferences.

A person only ever sees and marks their own notifications; anybody else's answer 404 like
missing ones. Marking read works without JavaScript (POST, redirect back to the same page);
with htmx the list is swapped in place and the header's count and a live region are updated.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.lib.service_errors import add_service_errors
from amtshilfe.notifications.forms import NotificationPreferencesForm
from amtshilfe.notifications.models import Kind, Notification
from amtshilfe.notifications.services import (
    mark_read,
    preference_for,
    set_notification_preferences,
)

PAGE_SIZE = 25


def _page_number(request: AuthenticatedRequest) -> str:
    value = request.POST.get("seite") or request.GET.get("seite") or "1"
    return value if value.isdigit() else "1"


def _render_list(request: AuthenticatedRequest, status_message: str = "") -> HttpResponse:
    rows = Notification.objects.for_user(request.user).order_by("-created_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(_page_number(request))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "has_unread": Notification.objects.for_user(request.user).unread().exists(),
            "status_message": status_message,
        },
    )


def _after_marking(request: AuthenticatedRequest, message: str) -> HttpResponse:
    """htmx: the updated list with the message in the live region; else flash and redirect."""
    if request.htmx:
        return _render_list(request, status_message=message)
    messages.success(request, message)
    url = reverse("notifications:list")
    page = _page_number(request)
    return HttpResponseRedirect(url if page == "1" else f"{url}?seite={page}")


@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    return _render_list(request)


@login_required
@require_POST
def mark_one_read(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    mark_read(user=request.user, notification=notification)
    return _after_marking(
        request,
        _("„%(title)s“ ist als gelesen markiert.") % {"title": notification.title},
    )


@login_required
@require_POST
def mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    count = mark_read(user=request.user)
    message = (
        ngettext(
            "%(count)d Benachrichtigung ist als gelesen markiert.",
            "%(count)d Benachrichtigungen sind als gelesen markiert.",
            count,
        )
        % {"count": count}
        if count
        else _("Es gab keine ungelesenen Benachrichtigungen.")
    )
    return _after_marking(request, message)


@login_required
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    pref = preference_for(request.user)
    initial = {
        "email_kinds": [kind for kind in Kind.values if pref.wants_email(kind)],
        "digest": pref.digest,
    }
    form = NotificationPreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["email_kinds"])
        try:
            set_notification_preferences(
                user=request.user,
                email_off_kinds=[kind for kind in Kind.values if kind not in chosen],
                digest=form.cleaned_data["digest"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ihre Einstellungen sind gespeichert."))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
    )
