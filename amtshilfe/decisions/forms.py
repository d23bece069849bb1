"""Forms of the decision screens. Labels, help and errors are German (msgids)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amtshilfe.decisions.models import DecisionSettings, Proposal, Vote
from amtshilfe.wiki.attachments import allowed_types_text

_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_euro(text: str) -> Decimal | None:
    """ "12.500,00", "12500,5", "12 500 €", "12500.50" -> Decimal; "" -> None.

    A dot is a thousands separator when a comma follows or when it groups digits by three
    ("12.500"); otherwise it is the decimal point.
    """
    text = text.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif _THOUSANDS.match(text):
        text = text.replace(".", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        raise forms.ValidationError(
            _("Bitte geben Sie einen Betrag in Euro an, z. B. 12.500,00."), code="invalid"
        )
    return amount.quantize(Decimal("0.01"))


def format_euro(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


MARKDOWN_HELP = _("Markdown: **fett**, „- “ für Aufzählungen, [Text](https://…) für einen Link.")


class ProposalForm(forms.Form):
    subject = forms.CharField(
        label=_("Gegenstand"),
        max_length=200,
        error_messages={"required": _("Bitte nennen Sie den Gegenstand der Vorlage.")},
    )
    background = forms.CharField(
        label=_("Sachverhalt"),
        required=False,
        max_length=50_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=MARKDOWN_HELP,
    )
    options = forms.CharField(
        label=_("Optionen"),
        max_length=4_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Eine Option je Zeile, mindestens eine (höchstens 10, je 300 Zeichen)."),
        error_messages={"required": _("Bitte nennen Sie mindestens eine Option.")},
    )
    recommendation = forms.CharField(
        label=_("Empfehlung"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=MARKDOWN_HELP,
        error_messages={"required": _("Bitte geben Sie eine Empfehlung an.")},
    )
    costs_amount = forms.CharField(
        label=_("Kosten in Euro"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("Optional, z. B. 12.500,00"),
    )
    costs_text = forms.CharField(
        label=_("Erläuterung der Kosten"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: einmalig oder jährlich, wer sie trägt, Finanzierung."),
    )
    result_visibility = forms.ChoiceField(
        label=_("Wer darf das Ergebnis sehen?"),
        choices=Proposal.Visibility.choices,
        initial=Proposal.Visibility.MEMBERS,
        widget=forms.RadioSelect,
        help_text=_(
            "Öffentlich: Gegenstand, Ergebnis, Begründung und Datum stehen im öffentlichen "
            "Beschlussregister – nie, wer wie abgestimmt hat."
        ),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean_costs_amount(self) -> Decimal | None:
        return parse_euro(self.cleaned_data["costs_amount"])

    def clean_options(self) -> list[str]:
        text: str = self.cleaned_data["options"]
        return [line.strip() for line in text.splitlines() if line.strip()]

    @staticmethod
    def initial_for(proposal: Proposal) -> dict[str, Any]:
        return {
            "subject": proposal.subject,
            "background": proposal.background,
            "options": "\n".join(proposal.options),
            "recommendation": proposal.recommendation,
            "costs_amount": format_euro(proposal.costs_amount),
            "costs_text": proposal.costs_text,
            "result_visibility": proposal.result_visibility,
            "base_version": proposal.version,
        }


class OpenVotingForm(forms.Form):
    deadline_date = forms.DateField(
        label=_("Frist: Datum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Bitte wählen Sie das Datum der Frist."),
            "invalid": _("Bitte geben Sie ein gültiges Datum an."),
        },
    )
    deadline_time = forms.TimeField(
        label=_("Frist: Uhrzeit"),
        initial=dt.time(16, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Bitte wählen Sie die Uhrzeit der Frist."),
            "invalid": _("Bitte geben Sie eine gültige Uhrzeit an, z. B. 16:00."),
        },
    )

    def deadline(self) -> dt.datetime:
        moment = dt.datetime.combine(
            self.cleaned_data["deadline_date"], self.cleaned_data["deadline_time"]
        )
        return timezone.make_aware(moment)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Ihre Stimme"),
        choices=Vote.Choice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie Zustimmung, Ablehnung oder Vertagung.")},
    )
    reason = forms.CharField(
        label=_("Begründung (optional)"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Kommentar"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=MARKDOWN_HELP,
        error_messages={"required": _("Bitte schreiben Sie einen Kommentar.")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund (optional)"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonsForm(forms.Form):
    text = forms.CharField(
        label=_("Begründung der Entscheidung"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Wird einmal festgehalten und danach nicht mehr geändert. Markdown: **fett**, "
            "„- “ für Aufzählungen, [Text](https://…) für einen Link."
        ),
        error_messages={"required": _("Bitte begründen Sie die Entscheidung.")},
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Datei"),
        error_messages={"required": _("Bitte wählen Sie eine Datei aus.")},
    )

    def __init__(self, *args: Any, max_mb: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Erlaubt: %(types)s; höchstens %(mb)s MB.") % {
            "types": allowed_types_text(),
            "mb": max_mb,
        }


class DecisionSettingsForm(forms.ModelForm[DecisionSettings]):
    class Meta:
        model = DecisionSettings
        fields = ["quorum_kind", "quorum_value", "majority_rule", "voting_days", "reminder_hours"]
        widgets = {
            "quorum_kind": forms.RadioSelect,
            "majority_rule": forms.RadioSelect,
        }
