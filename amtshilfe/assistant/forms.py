"""Forms of the assistant's screens. They only check input; every write goes through
``assistant.services`` (asking, feedback, deleting) or ``board.services`` (the hand-over)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amtshilfe.assistant.services import MAX_QUESTION_LENGTH
from amtshilfe.board.forms import RequestFilingForm


class QuestionForm(forms.Form):
    """A question to the assistant. The conversation it continues (``conversation``) is
    looked up by the view with the access helper: somebody else's id is a 404, not a form
    error."""

    question = forms.CharField(
        label=_("Ihre Frage"),
        max_length=MAX_QUESTION_LENGTH,
        strip=True,
        error_messages={
            "required": _("Bitte stellen Sie eine Frage."),
            "max_length": _(
                "Bitte fassen Sie die Frage kürzer (höchstens %(limit_value)d Zeichen)."
            ),
        },
    )


class FeedbackForm(forms.Form):
    """ "Hat das geholfen?": the button pressed (ja/nein) and an optional comment."""

    helped = forms.ChoiceField(
        choices=[("ja", _("Ja")), ("nein", _("Nein"))],
        error_messages={
            "required": _("Bitte wählen Sie „Ja“ oder „Nein“."),
            "invalid_choice": _("Bitte wählen Sie „Ja“ oder „Nein“."),
        },
    )
    comment = forms.CharField(
        label=_("Ihr Kommentar zur Antwort"),
        required=False,
        max_length=MAX_QUESTION_LENGTH,
        error_messages={
            "max_length": _(
                "Bitte fassen Sie die Rückmeldung kürzer (höchstens %(limit_value)d Zeichen)."
            )
        },
    )


class HandoverForm(RequestFilingForm):
    """The help page's request form without attachments (they are added on the request's page
    afterwards: files cannot be carried over from the chat, and a failed upload must not cost
    the person the text they wrote)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["attachments"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["attachments"] = []
        return cleaned
