"""Surveys: the rating invitation after a closed request, periodic surveys, anonymous answers.

Anonymity is built into the schema (ADR 0017): an invitation knows *who* was asked and
*whether* they answered, a response knows *what* was answered and on which *day*, and nothing
connects the two – no user, no invitation and no timestamp finer than the day on
``Response``/``Answer``, and a random UUID as the response's key so that row ids do not tell
the order of answers either.

Tokens of one-click links are stored only as SHA-256 hashes (``token_hash``); the raw token
exists only in the e-mail.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amtshilfe.core.models import TimeStampedModel
from amtshilfe.tenancy.models import Network


class RatingInvitation(TimeStampedModel):
    """The requester's one-click link to rate a closed request (one per closing).

    ``solved_at`` is the moment the request was closed: a request that is reopened and
    closed again gets a new ``solved_at`` and may invite again; the same closing never twice.
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        "board.ServiceRequest", on_delete=models.CASCADE, related_name="rating_invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rating_invitations"
    )
    solved_at = models.DateTimeField(_("erledigt am"))
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("gültig bis"))
    used_at = models.DateTimeField(_("genutzt am"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Einladung zur Bewertung")
        verbose_name_plural = _("Einladungen zur Bewertung")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "solved_at"], name="rating_invitation_once_per_closing"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("solved_at")),
                name="rating_invitation_expires_after_closing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.solved_at:%Y-%m-%d}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class SurveyQuerySet(models.QuerySet["Survey"]):
    def in_network(self, network: Network) -> SurveyQuerySet:
        return self.filter(network=network)

    def open(self) -> SurveyQuerySet:
        return self.filter(status=Survey.Status.OPEN)


class Survey(TimeStampedModel):
    """A periodic survey the coordination builds and sends to a group of people."""

    class Audience(models.TextChoices):
        STAFF = "staff", _("Verwaltungsmitarbeitende")
        IT = "it", _("IT-Fachkräfte")
        MUNICIPALITY = "municipality", _("eine Kommune")
        EVERYBODY = "everybody", _("alle")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        OPEN = "open", _("offen")
        CLOSED = "closed", _("abgeschlossen")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(_("Titel"), max_length=200)
    intro = models.TextField(_("Einleitung"), blank=True)
    audience = models.CharField(
        _("Zielgruppe"), max_length=20, choices=Audience.choices, default=Audience.EVERYBODY
    )
    municipality = models.ForeignKey(
        "tenancy.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Kommune"),
    )
    opens_at = models.DateField(_("geöffnet am"), null=True, blank=True)
    closes_at = models.DateField(_("endet am"))
    reminder_days = models.JSONField(_("Erinnerung nach Tagen"), default=list, blank=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    template = models.CharField(_("Vorlage"), max_length=30, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects: ClassVar[SurveyQuerySet] = SurveyQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Umfrage")
        verbose_name_plural = _("Umfragen")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="survey_title_not_empty"),
            models.CheckConstraint(
                condition=Q(audience="municipality", municipality__isnull=False)
                | (~Q(audience="municipality") & Q(municipality__isnull=True)),
                name="survey_municipality_iff_audience",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__gte=models.F("opens_at")),
                name="survey_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(opens_at__isnull=False),
                name="survey_opened_has_date",
            ),
        ]
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return self.title


class Question(TimeStampedModel):
    """One question of a survey; ``options`` are the labels of a choice question."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("Skala 1 bis 5")
        SINGLE = "single", _("Einfachauswahl")
        MULTIPLE = "multiple", _("Mehrfachauswahl")
        TEXT = "text", _("Freitext")

    class Metric(models.TextChoices):
        NONE = "", _("keine")
        HOURS_SAVED = "hours_saved", _("gesparte Stunden")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("Reihenfolge"))
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("Frage"), max_length=300)
    required = models.BooleanField(_("Pflichtfrage"), default=False)
    options = models.JSONField(_("Antwortmöglichkeiten"), default=list, blank=True)
    low_label = models.CharField(_("Beschriftung für 1"), max_length=60, blank=True)
    high_label = models.CharField(_("Beschriftung für 5"), max_length=60, blank=True)
    # Ties a question to an indicator (e.g. the hours saved per quarter, ``metrics.py``).
    metric = models.CharField(max_length=20, choices=Metric.choices, blank=True, default="")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")
        constraints = [
            models.UniqueConstraint(fields=["survey", "order"], name="question_unique_order"),
            models.CheckConstraint(condition=~Q(text=""), name="question_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        return f"frage_{self.pk}"

    @property
    def has_options(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)


class SurveyInvitationQuerySet(models.QuerySet["SurveyInvitation"]):
    def for_user(self, user: Any) -> SurveyInvitationQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def waiting(self) -> SurveyInvitationQuerySet:
        """Invitations to open surveys that have not been answered yet."""
        return self.filter(
            answered=False,
            survey__status=Survey.Status.OPEN,
            survey__closes_at__gte=timezone.localdate(),
        )


class SurveyInvitation(models.Model):
    """That a person was asked, and *whether* they answered – never what or when.

    No ``updated_at`` on purpose: the moment of answering would link the person to the
    response (ADR 0017). ``last_reminded_on`` makes reminders once per reminder day.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("gültig bis"))
    answered = models.BooleanField(_("beantwortet"), default=False)
    last_reminded_on = models.DateField(_("zuletzt erinnert am"), null=True, blank=True)
    created_at = models.DateTimeField(_("eingeladen am"), auto_now_add=True)

    objects: ClassVar[SurveyInvitationQuerySet] = SurveyInvitationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["id"]
        verbose_name = _("Einladung zu einer Umfrage")
        verbose_name_plural = _("Einladungen zu Umfragen")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="survey_invitation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.user_id}"


class Response(models.Model):
    """One anonymous set of answers: no person, no invitation, only the day.

    ``municipality`` and ``role`` allow breakdowns, which are shown only for groups of at
    least ``AMTSHILFE_MIN_GROUP_SIZE``. No ``created_at``/``updated_at`` (ADR 0017).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField(_("Tag der Antwort"))
    municipality = models.ForeignKey(
        "tenancy.Municipality", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["submitted_on"]
        verbose_name = _("Antwort auf eine Umfrage")
        verbose_name_plural = _("Antworten auf Umfragen")
        indexes = [models.Index(fields=["survey", "submitted_on"])]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.submitted_on}"


class Answer(models.Model):
    """The answer to one question: ``number`` is the scale value or the option's index.

    A multiple-choice question has one row per chosen option, so counts are plain SQL.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["question_id"]
        verbose_name = _("Einzelantwort")
        verbose_name_plural = _("Einzelantworten")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__isnull=False) | ~Q(text=""), name="answer_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}"
