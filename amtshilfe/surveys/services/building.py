"""Building periodic surveys (coordination only): drafts, questions, templates.

Every service is keyword-only, atomic, locks the survey it changes, checks the state under
the lock and records one audit event. Questions change only while the survey is a draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amtshilfe.accounts.models import User
from amtshilfe.core.audit import record_event, snapshot
from amtshilfe.surveys.models import Question, Survey
from amtshilfe.tenancy.access import is_coordinator
from amtshilfe.tenancy.models import Municipality, Network

MAX_QUESTIONS = 30
MAX_OPTIONS = 12
MAX_REMINDERS = 5
SURVEY_FIELDS = ["title", "intro", "audience", "municipality", "closes_at", "reminder_days"]

# Hours-saved answers and the hours each one counts for in ``metrics.hours_saved_per_quarter``
# (the middle of the range; "mehr als 10" counts as 12). Kept here so a template and the
# metric can never disagree.
HOURS_SAVED_OPTIONS: list[tuple[Any, float]] = [
    (gettext_lazy("keine"), 0.0),
    (gettext_lazy("bis 2 Stunden"), 1.0),
    (gettext_lazy("2 bis 5 Stunden"), 3.5),
    (gettext_lazy("5 bis 10 Stunden"), 7.5),
    (gettext_lazy("mehr als 10 Stunden"), 12.0),
]


def _lock(survey: Survey) -> Survey:
    return Survey.objects.select_for_update(of=("self",)).get(pk=survey.pk)


def _require_coordinator(actor: User | None, network: Network) -> None:
    if actor is not None and not is_coordinator(actor, network):
        raise PermissionDenied


def _require_draft(survey: Survey) -> None:
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(_("Eine geöffnete Umfrage kann nicht mehr geändert werden."))


def _clean_survey(
    *,
    network: Network,
    title: str,
    audience: str,
    municipality: Municipality | None,
    closes_at: dt.date,
    reminder_days: Sequence[int],
    today: dt.date | None = None,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    title = title.strip()
    if not title:
        errors["title"] = _("Bitte geben Sie einen Titel an.")
    elif len(title) > 200:
        errors["title"] = _("Der Titel ist zu lang (höchstens 200 Zeichen).")
    if audience not in Survey.Audience.values:
        errors["audience"] = _("Bitte wählen Sie eine Zielgruppe.")
    if audience == Survey.Audience.MUNICIPALITY:
        if municipality is None or municipality.network_id != network.pk:
            errors["municipality"] = _("Bitte wählen Sie die Kommune.")
    else:
        municipality = None
    if closes_at < (today or timezone.localdate()):
        errors["closes_at"] = _("Das Ende darf nicht in der Vergangenheit liegen.")
    days = sorted(set(reminder_days))
    if any(day < 1 or day > 365 for day in days) or len(days) > MAX_REMINDERS:
        errors["reminder_days"] = _(
            "Erinnerungen: bis zu fünf Tage zwischen 1 und 365 nach dem Öffnen."
        )
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "audience": audience,
        "municipality": municipality,
        "closes_at": closes_at,
        "reminder_days": days,
    }


def create_survey(
    *,
    actor: User | None,
    network: Network,
    title: str,
    intro: str = "",
    audience: str = Survey.Audience.EVERYBODY,
    municipality: Municipality | None = None,
    closes_at: dt.date,
    reminder_days: Sequence[int] = (),
    template: str = "",
    today: dt.date | None = None,
) -> Survey:
    """A new draft survey of the network (``today``: the day it is built, default now)."""
    _require_coordinator(actor, network)
    values = _clean_survey(
        network=network,
        title=title,
        audience=audience,
        municipality=municipality,
        closes_at=closes_at,
        reminder_days=reminder_days,
        today=today,
    )
    with transaction.atomic():
        survey = Survey.objects.create(
            network=network, intro=intro.strip(), template=template, created_by=actor, **values
        )
        record_event(
            action="survey.created",
            actor=actor,
            network=network,
            obj=survey,
            after=snapshot(survey, SURVEY_FIELDS),
        )
    return survey


def update_survey(
    *,
    actor: User | None,
    survey: Survey,
    title: str,
    intro: str = "",
    audience: str,
    municipality: Municipality | None = None,
    closes_at: dt.date,
    reminder_days: Sequence[int] = (),
) -> Survey:
    """Change a draft's title, introduction, audience, end and reminders."""
    _require_coordinator(actor, survey.network)
    values = _clean_survey(
        network=survey.network,
        title=title,
        audience=audience,
        municipality=municipality,
        closes_at=closes_at,
        reminder_days=reminder_days,
    )
    with transaction.atomic():
        locked = _lock(survey)
        _require_draft(locked)
        before = snapshot(locked, SURVEY_FIELDS)
        for name, value in {**values, "intro": intro.strip()}.items():
            setattr(locked, name, value)
        locked.save()
        record_event(
            action="survey.updated",
            actor=actor,
            network=locked.network,
            obj=locked,
            before=before,
            after=snapshot(locked, SURVEY_FIELDS),
        )
    return locked


def add_question(
    *,
    actor: User | None,
    survey: Survey,
    kind: str,
    text: str,
    required: bool = False,
    options: Sequence[str] = (),
    low_label: str = "",
    high_label: str = "",
    metric: str = "",
) -> Question:
    """Append a question to a draft survey."""
    _require_coordinator(actor, survey.network)
    errors: dict[str, str] = {}
    text = text.strip()
    if not text:
        errors["text"] = _("Bitte formulieren Sie die Frage.")
    elif len(text) > 300:
        errors["text"] = _("Die Frage ist zu lang (höchstens 300 Zeichen).")
    if kind not in Question.Kind.values:
        errors["kind"] = _("Bitte wählen Sie die Art der Frage.")
    cleaned = [option.strip() for option in options if option.strip()]
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        if len(cleaned) < 2:
            errors["options"] = _("Eine Auswahlfrage braucht mindestens zwei Antworten.")
        elif len(cleaned) > MAX_OPTIONS or any(len(option) > 200 for option in cleaned):
            errors["options"] = _("Höchstens zwölf Antworten mit je bis zu 200 Zeichen.")
        elif len(set(cleaned)) != len(cleaned):
            errors["options"] = _("Jede Antwort darf nur einmal vorkommen.")
    else:
        cleaned = []
    if len(low_label) > 60 or len(high_label) > 60:
        errors["low_label"] = _("Beschriftungen haben höchstens 60 Zeichen.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _lock(survey)
        _require_draft(locked)
        if locked.questions.count() >= MAX_QUESTIONS:
            raise ValidationError(_("Eine Umfrage hat höchstens 30 Fragen."))
        last = locked.questions.aggregate(last=Max("order"))["last"] or 0
        question = Question.objects.create(
            survey=locked,
            order=last + 1,
            kind=kind,
            text=text,
            required=required,
            options=cleaned,
            low_label=low_label.strip() if kind == Question.Kind.SCALE else "",
            high_label=high_label.strip() if kind == Question.Kind.SCALE else "",
            metric=metric,
        )
        record_event(
            action="survey.question_added",
            actor=actor,
            network=locked.network,
            obj=locked,
            after={"question": question.pk, "kind": kind, "text": text},
        )
    return question


def delete_question(*, actor: User | None, question: Question) -> None:
    """Remove a question from a draft survey."""
    survey = question.survey
    _require_coordinator(actor, survey.network)
    with transaction.atomic():
        locked = _lock(survey)
        _require_draft(locked)
        text = question.text
        Question.objects.filter(pk=question.pk, survey=locked).delete()
        record_event(
            action="survey.question_removed",
            actor=actor,
            network=locked.network,
            obj=locked,
            before={"question": question.pk, "text": text},
        )


# --- templates --------------------------------------------------------------------------------


def _quarter(today: dt.date) -> tuple[int, int]:
    return (today.month - 1) // 3 + 1, today.year


TEMPLATES: dict[str, str] = {
    "quartal": "Quartalsumfrage: gesparte Zeit und Gelerntes",
    "gelernt": "Was haben Sie gelernt?",
}


def create_survey_from_template(
    *, actor: User | None, network: Network, template: str, today: dt.date | None = None
) -> Survey:
    """One click: a draft with the template's questions, ending in three weeks.

    - ``quartal``: "Wie viel Zeit hat Ihnen das Netzwerk gespart?" (hours, counted by the
      indicators), "Was haben Sie gelernt?" (free text) and overall satisfaction (1–5);
    - ``gelernt``: only the learning questions, e.g. for IT specialists after onboarding.
    """
    if template not in TEMPLATES:
        raise ValidationError(_("Diese Vorlage gibt es nicht."))
    today = today or timezone.localdate()
    quarter, year = _quarter(today)
    with transaction.atomic():
        if template == "quartal":
            survey = create_survey(
                actor=actor,
                network=network,
                title=_("Quartalsumfrage %(q)d/%(y)d") % {"q": quarter, "y": year},
                intro=_(
                    "Zwei Minuten für das Netzwerk: Wie viel Zeit hat es Ihnen in diesem "
                    "Quartal gespart, und was haben Sie gelernt? Ihre Antworten sind anonym; "
                    "Ergebnisse zeigen wir erst ab fünf Antworten."
                ),
                closes_at=today + dt.timedelta(days=21),
                reminder_days=[7, 14],
                template=template,
                today=today,
            )
            add_question(
                actor=actor,
                survey=survey,
                kind=Question.Kind.SINGLE,
                text=_("Wie viel Zeit hat Ihnen das Netzwerk in diesem Quartal gespart?"),
                required=True,
                options=[str(label) for label, _hours in HOURS_SAVED_OPTIONS],
                metric=Question.Metric.HOURS_SAVED,
            )
            add_question(
                actor=actor,
                survey=survey,
                kind=Question.Kind.TEXT,
                text=_("Was haben Sie gelernt?"),
            )
            add_question(
                actor=actor,
                survey=survey,
                kind=Question.Kind.SCALE,
                text=_("Wie zufrieden sind Sie insgesamt mit dem Netzwerk?"),
                required=True,
                low_label=_("sehr unzufrieden"),
                high_label=_("sehr zufrieden"),
            )
        else:
            survey = create_survey(
                actor=actor,
                network=network,
                title=_("Was haben Sie gelernt? (%(q)d/%(y)d)") % {"q": quarter, "y": year},
                intro=_("Erzählen Sie uns, was Sie durch das Netzwerk gelernt haben – anonym."),
                audience=Survey.Audience.IT,
                closes_at=today + dt.timedelta(days=21),
                reminder_days=[7],
                template=template,
                today=today,
            )
            add_question(
                actor=actor,
                survey=survey,
                kind=Question.Kind.TEXT,
                text=_("Was haben Sie gelernt?"),
                required=True,
            )
            add_question(
                actor=actor,
                survey=survey,
                kind=Question.Kind.SCALE,
                text=_("Wie sicher fühlen Sie sich jetzt in Ihren Themen?"),
                low_label=_("unsicher"),
                high_label=_("sehr sicher"),
            )
    return survey


def move_question(*, actor: User | None, question: Question, direction: str) -> Question:
    """Swap a draft's question with its neighbour ("up" or "down"); nothing at the ends."""
    survey = question.survey
    _require_coordinator(actor, survey.network)
    if direction not in ("up", "down"):
        raise ValidationError(_("Unbekannte Richtung."))
    with transaction.atomic():
        locked = _lock(survey)
        _require_draft(locked)
        current = Question.objects.get(pk=question.pk, survey=locked)
        neighbours = locked.questions.exclude(pk=current.pk)
        if direction == "up":
            other = neighbours.filter(order__lt=current.order).order_by("-order").first()
        else:
            other = neighbours.filter(order__gt=current.order).order_by("order").first()
        if other is None:
            return current
        mine, theirs = current.order, other.order
        # Three steps keep (survey, order) unique at every moment; 0 is never a real place.
        Question.objects.filter(pk=current.pk).update(order=0)
        Question.objects.filter(pk=other.pk).update(order=mine)
        Question.objects.filter(pk=current.pk).update(order=theirs)
        record_event(
            action="survey.question_moved",
            actor=actor,
            network=locked.network,
            obj=locked,
            before={"question": current.pk, "order": mine},
            after={"question": current.pk, "order": theirs},
        )
        current.order = theirs
    return current
