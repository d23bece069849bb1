"""The rating after a closed request: invitation with a one-click link, and rating by link.

The board calls ``invite_requester_after_close`` right after ``close_request`` (inside its
transaction). The link needs no login; the rating itself goes through the board's
``rate_request`` with the requester as actor, so it shows wherever ratings already show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amtshilfe.board.access import can_rate
from amtshilfe.board.models import ServiceRequest
from amtshilfe.board.services import rate_request
from amtshilfe.core.audit import record_event
from amtshilfe.surveys.models import RatingInvitation
from amtshilfe.surveys.services.mail import (
    absolute,
    in_language,
    notify_in_app,
    send_after_commit,
    wants_mail,
)
from amtshilfe.surveys.tokens import find_by_token, new_token

LINK_VALIDITY = dt.timedelta(days=30)
RATING_LABELS = {
    1: gettext_lazy("sehr unzufrieden"),
    2: gettext_lazy("unzufrieden"),
    3: gettext_lazy("teils, teils"),
    4: gettext_lazy("zufrieden"),
    5: gettext_lazy("sehr zufrieden"),
}


def rating_label(value: int) -> str:
    return str(RATING_LABELS[value])


def invite_requester_after_close(*, service_request: ServiceRequest) -> RatingInvitation | None:
    """Invite the requester to rate this closing of ``service_request`` (at most once).

    1. Nothing when the request is not done, already rated, has no (active) requester, or
       the requester may no longer rate it (left the municipality).
    2. Lock the request; nothing when this closing (``solved_at``) already has an invitation –
       a reopened and closed-again request has a new ``solved_at`` and is invited again.
    3. Store the token's hash, notify in the app (link to the request) and e-mail the
       one-click links after commit.
    """
    with transaction.atomic():
        request = (
            ServiceRequest.objects.select_for_update(of=("self",))
            .select_related("requester", "network", "municipality")
            .get(pk=service_request.pk)
        )
        requester = request.requester
        if (
            request.status != ServiceRequest.Status.DONE
            or request.rating is not None
            or request.solved_at is None
            or requester is None
            or not requester.is_active
            or not can_rate(requester, request)
        ):
            return None
        if RatingInvitation.objects.filter(request=request, solved_at=request.solved_at).exists():
            return None
        raw, digest = new_token()
        invitation = RatingInvitation.objects.create(
            network=request.network,
            request=request,
            user=requester,
            solved_at=request.solved_at,
            token_hash=digest,
            expires_at=timezone.now() + LINK_VALIDITY,
        )
        record_event(
            action="rating_invitation.created",
            actor=None,
            network=request.network,
            municipality=request.municipality,
            obj=invitation,
            after={"request": request.pk, "expires_at": invitation.expires_at},
        )
        with in_language(requester):
            title = _("Wie zufrieden sind Sie mit der Hilfe zu Anfrage %(number)s?") % {
                "number": request.number
            }
            notify_in_app(
                recipients=[requester],
                network=request.network,
                title=title,
                url=request.get_absolute_url(),
            )
            if wants_mail(requester):
                send_after_commit(
                    [
                        (
                            requester,
                            _("Amtshilfe: %(t)s") % {"t": title},
                            rating_mail_text(request, raw),
                        )
                    ]
                )
    return invitation


def rating_link(raw: str, value: int | None = None) -> str:
    url = reverse("surveys:rate_by_link", kwargs={"token": raw})
    return url + (f"?wert={value}" if value else "")


def rating_mail_text(request: ServiceRequest, raw: str) -> str:
    lines = [
        _("Guten Tag,"),
        "",
        _("Ihre Anfrage %(number)s „%(title)s“ ist erledigt. Wie zufrieden sind Sie mit der Hilfe?")
        % {"number": request.number, "title": request.title},
        _(
            "Klicken Sie auf Ihre Bewertung – Sie bestätigen sie danach mit einem Klick "
            "und können einen Kommentar ergänzen:"
        ),
        "",
    ]
    for value in range(5, 0, -1):
        lines.append(f"{value} – {rating_label(value)}: {absolute(rating_link(raw, value))}")
    lines += [
        "",
        _("Der Link gilt 30 Tage und nur einmal; er ist nur für Sie bestimmt."),
        _("Sie können auch in Amtshilfe bewerten: %(url)s")
        % {"url": absolute(request.get_absolute_url())},
    ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class RatingLinkState:
    """What the landing page shows: the invitation, or why the link cannot be used."""

    invitation: RatingInvitation | None
    problem: str  # "" | "unknown" | "used" | "expired" | "rated" | "reopened" | "not_allowed"

    @property
    def usable(self) -> bool:
        return self.invitation is not None and not self.problem


def rating_link_state(raw: str) -> RatingLinkState:
    """Read only (the GET of the landing page must never write)."""
    invitation = find_by_token(
        RatingInvitation.objects.select_related("request", "request__network", "user"), raw
    )
    return RatingLinkState(invitation, _problem(invitation))


def _problem(invitation: RatingInvitation | None) -> str:
    if invitation is None:
        return "unknown"
    if invitation.used_at is not None:
        return "used"
    if invitation.expires_at <= timezone.now():
        return "expired"
    request = invitation.request
    if request.rating is not None:
        return "rated"
    if request.status != ServiceRequest.Status.DONE or request.solved_at != invitation.solved_at:
        return "reopened"
    if not invitation.user.is_active or not can_rate(invitation.user, request):
        return "not_allowed"
    return ""


class RatingLinkUnusable(Exception):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def rate_request_by_link(*, token: str, rating: int, comment: str = "") -> ServiceRequest:
    """Rate through the link: once, before it expires, as the invited requester.

    Raises ``RatingLinkUnusable`` (with the reason) for unknown, used or expired links and
    ``ValidationError`` for a bad rating or comment (the link stays usable then).
    """
    with transaction.atomic():
        found = find_by_token(RatingInvitation.objects.all(), token)
        if found is None:
            raise RatingLinkUnusable("unknown")
        invitation = (
            RatingInvitation.objects.select_for_update(of=("self",))
            .select_related("request", "user")
            .get(pk=found.pk)
        )
        problem = _problem(invitation)
        if problem:
            raise RatingLinkUnusable(problem)
        try:
            rated = rate_request(
                actor=invitation.user, request=invitation.request, rating=rating, comment=comment
            )
        except PermissionDenied as error:
            raise RatingLinkUnusable("not_allowed") from error
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at", "updated_at"])
        record_event(
            action="rating_invitation.used",
            actor=invitation.user,
            network=invitation.network,
            obj=invitation,
        )
    return rated
