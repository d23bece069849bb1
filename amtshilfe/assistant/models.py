"""The assistant's conversations: questions, answers, citations and "Hat das geholfen?".

A conversation belongs to exactly one person (only they see it) and to the municipality they
asked from (for the indicators). Conversations are kept for feedback and improvement for
``AMTSHILFE_ASSISTANT_RETENTION_DAYS`` (default 30) after the last message, then deleted by
``amtshilfe delete-old-conversations``; people delete theirs at once (services).
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amtshilfe.core.models import TimeStampedModel


class ConversationQuerySet(models.QuerySet["Conversation"]):
    def for_user(self, user: Any) -> ConversationQuerySet:
        """The person's own conversations; nobody else's, not even the coordination's."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def in_network(self, network: Any) -> ConversationQuerySet:
        return self.filter(network=network)

    def inactive_since(self, cutoff: Any) -> ConversationQuerySet:
        """Conversations whose last activity (``updated_at``, touched by every message) is
        older than ``cutoff``."""
        return self.filter(updated_at__lt=cutoff)


class Conversation(TimeStampedModel):
    """One person's conversation with the assistant (``updated_at`` = last activity)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(
        "tenancy.Network", on_delete=models.CASCADE, related_name="assistant_conversations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assistant_conversations",
    )
    # The asker's municipality when the conversation started (None for people without one,
    # e.g. coordination staff); it is what the indicators count.
    municipality = models.ForeignKey(
        "tenancy.Municipality",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assistant_conversations",
    )
    title = models.CharField(_("Titel"), max_length=200)

    objects: ClassVar[ConversationQuerySet] = ConversationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-updated_at", "-created_at"]
        verbose_name = _("Gespräch mit dem Assistenten")
        verbose_name_plural = _("Gespräche mit dem Assistenten")
        indexes = [
            models.Index(fields=["user", "-updated_at"], name="assistant_conv_user_recent"),
            models.Index(fields=["updated_at"], name="assistant_conv_activity"),
        ]

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    """A question of the person or an answer of the assistant within a conversation."""

    class Role(models.TextChoices):
        USER = "user", _("Frage")
        ASSISTANT = "assistant", _("Antwort")

    class Kind(models.TextChoices):
        ANSWER = "answer", _("Antwort aus dem Wissen")
        UNKNOWN = "unknown", _("keine passende Anleitung")
        OFF_TOPIC = "off_topic", _("außerhalb der IT-Unterstützung")
        QUESTION = "question", _("Frage")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    role = models.CharField(_("Rolle"), max_length=10, choices=Role.choices)
    text = models.TextField(_("Text (Markdown)"))
    # [{"slug", "title", "url"}] of the articles the answer rests on, best first.
    citations = models.JSONField(_("Quellen"), default=list, blank=True)
    confident = models.BooleanField(_("sicher"), default=False)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.QUESTION)
    used_llm = models.BooleanField(_("mit Sprachmodell"), default=False)
    latency_ms = models.PositiveIntegerField(_("Antwortzeit (ms)"), default=0)
    helped = models.BooleanField(_("hat geholfen"), null=True, blank=True)
    feedback_comment = models.TextField(_("Rückmeldung"), blank=True)
    # Set with the first "hat geholfen": the board's self-help indicator counts it once.
    self_help_recorded = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)

    class Meta:
        ordering = ["conversation", "created_at", "id"]
        verbose_name = _("Nachricht an den Assistenten")
        verbose_name_plural = _("Nachrichten an den Assistenten")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="user", kind="question")
                | Q(role="assistant") & ~Q(kind="question"),
                name="assistant_message_role_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(role="assistant") | Q(helped__isnull=True),
                name="assistant_message_feedback_only_on_answers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.text[:40]}"
