"""The preferences form: which kinds also come by e-mail, and the daily digest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amtshilfe.notifications.models import Kind


class NotificationPreferencesForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=_("Per E-Mail benachrichtigen bei"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("In Amtshilfe sehen Sie alle Benachrichtigungen, egal was Sie hier wählen."),
    )
    digest = forms.BooleanField(
        label=_("Tägliche Zusammenfassung statt einzelner E-Mails"),
        required=False,
        help_text=_("Die E-Mails kommen dann einmal am Tag gesammelt."),
    )
