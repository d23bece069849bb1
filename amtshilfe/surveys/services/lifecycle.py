"""Opening a survey (inviting its audience), closing it, and reminders (``remind-surveys``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User, UserQuerySet
from amtshilfe.core.audit import record_event
from amtshilfe.surveys.models import Survey, SurveyInvitation
from amtshilfe.surveys.services.mail import (
    absolute,
    in_language,
    notify_in_app,
    send_after_commit,
    wants_mail,
)
from amtshilfe.surveys.tokens import new_token
from amtshilfe.tenancy.access import is_coordinator
from amtshilfe.tenancy.models import Membership, Municipality


def audience_members(survey: Survey) -> UserQuerySet:
    """Active people with a current membership that matches the survey's audience."""
    memberships = Membership.objects.current().filter(
        municipality__network=survey.network, municipality__status=Municipality.Status.ACTIVE
    )
    if survey.audience == Survey.Audience.STAFF:
        memberships = memberships.filter(role=Membership.Role.STAFF)
    elif survey.audience == Survey.Audience.IT:
        memberships = memberships.filter(role=Membership.Role.IT)
    elif survey.audience == Survey.Audience.MUNICIPALITY:
        memberships = memberships.filter(municipality=survey.municipality)
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))


def _link_expiry(survey: Survey) -> dt.datetime:
    """Links work until the end of the survey's last day."""
    end = dt.datetime.combine(survey.closes_at + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(end)


def survey_link(raw: str) -> str:
    return reverse("surveys:answer_by_link", kwargs={"token": raw})


def _mail(user: User, survey: Survey, raw: str, *, reminder: bool) -> tuple[User, str, str]:
    with in_language(user):
        if reminder:
            subject = _("Amtshilfe: Erinnerung an die Umfrage „%(title)s“") % {
                "title": survey.title
            }
            first = _("Sie haben an der Umfrage „%(title)s“ noch nicht teilgenommen.") % {
                "title": survey.title
            }
        else:
            subject = _("Amtshilfe: Umfrage „%(title)s“") % {"title": survey.title}
            first = _("Sie sind zur Umfrage „%(title)s“ eingeladen.") % {"title": survey.title}
        text = "\n".join(
            [
                _("Guten Tag,"),
                "",
                first,
                _("Ihre Antworten sind anonym. Teilnehmen bis %(date)s ohne Anmeldung:")
                % {"date": f"{survey.closes_at:%d.%m.%Y}"},
                absolute(survey_link(raw)),
                "",
                _("Der Link ist nur für Sie bestimmt und kann einmal genutzt werden."),
                _("Oder in Amtshilfe unter „Offene Umfragen“: %(url)s")
                % {"url": absolute(reverse("surveys:index"))},
            ]
        )
    return user, subject, text + "\n"


def open_survey(
    *,
    actor: User | None,
    survey: Survey,
    today: dt.date | None = None,
    send_mails: bool = True,
) -> int:
    """Open a draft and invite its audience; returns the number of invitations.

    ``send_mails=False`` invites in the app only (the demo loader: no e-mail flood).

    1. Under the lock: still a draft, has questions, ends today or later.
    2. One invitation per person of the audience now, each with its own token (hash only).
    3. In-app notification for everybody, the e-mail with the link after commit.
    """
    if actor is not None and not is_coordinator(actor, survey.network):
        raise PermissionDenied
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Survey.objects.select_for_update(of=("self",)).get(pk=survey.pk)
        if locked.status != Survey.Status.DRAFT:
            raise ValidationError(_("Diese Umfrage ist bereits geöffnet worden."))
        if not locked.questions.exists():
            raise ValidationError(_("Fügen Sie zuerst mindestens eine Frage hinzu."))
        if locked.closes_at < today:
            raise ValidationError({"closes_at": _("Das Ende liegt in der Vergangenheit.")})
        people = list(audience_members(locked).order_by("pk"))
        if not people:
            raise ValidationError(_("Zur gewählten Zielgruppe gehört niemand."))
        locked.status, locked.opens_at = Survey.Status.OPEN, today
        locked.save()
        expiry = _link_expiry(locked)
        mails = []
        rows = []
        for person in people:
            raw, digest = new_token()
            rows.append(
                SurveyInvitation(survey=locked, user=person, token_hash=digest, expires_at=expiry)
            )
            if send_mails and wants_mail(person):
                mails.append(_mail(person, locked, raw, reminder=False))
        SurveyInvitation.objects.bulk_create(rows)
        notify_in_app(
            recipients=people,
            network=locked.network,
            title=_("Neue Umfrage: %(title)s") % {"title": locked.title},
            url=reverse("surveys:answer", kwargs={"pk": locked.pk}),
        )
        send_after_commit(mails)
        record_event(
            action="survey.opened",
            actor=actor,
            network=locked.network,
            obj=locked,
            after={"status": locked.status, "invited": len(rows)},
        )
    return len(rows)


def close_survey(*, actor: User | None, survey: Survey) -> Survey:
    """End an open survey: links stop working, results stay."""
    if actor is not None and not is_coordinator(actor, survey.network):
        raise PermissionDenied
    with transaction.atomic():
        locked = Survey.objects.select_for_update(of=("self",)).get(pk=survey.pk)
        if locked.status != Survey.Status.OPEN:
            raise ValidationError(_("Nur eine offene Umfrage kann beendet werden."))
        locked.status = Survey.Status.CLOSED
        locked.save()
        record_event(
            action="survey.closed",
            actor=actor,
            network=locked.network,
            obj=locked,
            after={"status": locked.status},
        )
    return locked


def close_due_surveys(*, today: dt.date | None = None) -> int:
    """Close every open survey whose last day has passed (cron, before reminding)."""
    today = today or timezone.localdate()
    count = 0
    for survey in Survey.objects.open().filter(closes_at__lt=today):
        close_survey(actor=None, survey=survey)
        count += 1
    return count


def send_survey_reminders(*, today: dt.date | None = None) -> int:
    """Remind people who have not answered, at most once per reminder day.

    1. For each open survey, the reminder days are days after opening (e.g. 7 and 14); the
       latest one reached today is "due" (a missed cron run is made up the next day).
    2. Invitations not answered and not reminded since that day get a reminder; the token
       is replaced by a new one (the raw one is never stored), so the newest link counts.
    3. ``last_reminded_on = today`` makes a second run on the same day send nothing.
    """
    today = today or timezone.localdate()
    sent = 0
    for survey in Survey.objects.open().filter(closes_at__gte=today).select_related("network"):
        if survey.opens_at is None:
            continue
        reached = [
            survey.opens_at + dt.timedelta(days=day)
            for day in survey.reminder_days
            if survey.opens_at + dt.timedelta(days=day) <= today
        ]
        if not reached:
            continue
        due = max(reached)
        with transaction.atomic():
            waiting = list(
                SurveyInvitation.objects.select_for_update(of=("self",))
                .filter(survey=survey, answered=False, user__is_active=True)
                .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=due))
                .select_related("user")
            )
            if not waiting:
                continue
            mails = []
            for invitation in waiting:
                raw, digest = new_token()
                invitation.token_hash, invitation.last_reminded_on = digest, today
                if wants_mail(invitation.user):
                    mails.append(_mail(invitation.user, survey, raw, reminder=True))
            SurveyInvitation.objects.bulk_update(waiting, ["token_hash", "last_reminded_on"])
            notify_in_app(
                recipients=[invitation.user for invitation in waiting],
                network=survey.network,
                title=_("Erinnerung: Umfrage „%(title)s“") % {"title": survey.title},
                url=reverse("surveys:answer", kwargs={"pk": survey.pk}),
            )
            send_after_commit(mails)
            record_event(
                action="survey.reminded",
                actor=None,
                network=survey.network,
                obj=survey,
                after={"reminded": len(waiting), "day": today},
            )
            sent += len(waiting)
    return sent
