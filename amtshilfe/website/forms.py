"""Forms of the website: the public join form and the coordination's editors (German msgids)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amtshilfe.experts.models import TopicCluster
from amtshilfe.tenancy.models import Municipality, Network
from amtshilfe.website.spam import HONEYPOT_FIELD, too_fast

REQUIRED = {"required": _("Bitte füllen Sie dieses Feld aus.")}


class JoinRequestForm(forms.Form):
    municipality_name = forms.CharField(
        label=_("Name der Kommune"), max_length=150, error_messages=REQUIRED
    )
    kind = forms.ChoiceField(
        label=_("Art der Kommune"), choices=Municipality.Kind.choices, initial="gemeinde"
    )
    ags = forms.CharField(
        label=_("Amtlicher Gemeindeschlüssel (optional)"),
        max_length=8,
        required=False,
        help_text=_("8 Ziffern, z. B. 14627230"),
    )
    population = forms.IntegerField(
        label=_("Einwohnerzahl"),
        min_value=1,
        max_value=10_000_000,
        error_messages={
            **REQUIRED,
            "invalid": _("Bitte geben Sie die Einwohnerzahl als ganze Zahl an."),
            "min_value": _("Die Einwohnerzahl muss mindestens 1 sein."),
        },
    )
    contact_name = forms.CharField(
        label=_("Ansprechperson"), max_length=150, error_messages=REQUIRED
    )
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        error_messages={
            **REQUIRED,
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an."),
        },
    )
    phone = forms.CharField(label=_("Telefon (optional)"), max_length=50, required=False)
    clusters = forms.ModelMultipleChoiceField(
        label=_("In welchen Themen kann Ihre Kommune mitarbeiten?"),
        queryset=TopicCluster.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    contribution = forms.CharField(
        label=_("Was kann Ihre Kommune beitragen?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        required=False,
        help_text=_("Zum Beispiel: Erfahrungen, Stunden im Monat, besondere Fachverfahren."),
    )
    consent = forms.BooleanField(
        label=_(
            "Ich willige ein, dass meine Angaben zur Bearbeitung der Anfrage gespeichert werden."
        ),
        error_messages={
            "required": _(
                "Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu; ohne sie können wir die "
                "Anfrage nicht bearbeiten."
            )
        },
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)
    homepage = forms.CharField(required=False, label=_("Bitte leer lassen"))

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clusters"].queryset = TopicCluster.objects.in_network(network).active()  # type: ignore[attr-defined]

    def clean_ags(self) -> str:
        ags = str(self.cleaned_data.get("ags") or "").strip()
        if ags and (len(ags) != 8 or not ags.isdigit()):
            raise forms.ValidationError(
                _("Der Amtliche Gemeindeschlüssel besteht aus genau 8 Ziffern.")
            )
        return ags

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if too_fast(str(cleaned.get("stamp") or "")):
            raise forms.ValidationError(
                _(
                    "Das Formular wurde sehr schnell oder aus einer veralteten Seite abgeschickt. "
                    "Bitte prüfen Sie Ihre Angaben und senden Sie es erneut."
                ),
                code="too_fast",
            )
        return cleaned

    @property
    def is_trap(self) -> bool:
        """The honeypot is filled: a bot, not a person."""
        return bool(str(self.data.get(HONEYPOT_FIELD, "")).strip())


class SitePageForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200, error_messages=REQUIRED)
    body = forms.CharField(
        label=_("Text (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 24, "class": "markdown-input"}),
        error_messages=REQUIRED,
        help_text=_("Überschriften mit ##, Listen mit -, Links als [Text](https://…)."),
    )
    message = forms.CharField(
        label=_("Änderungsnotiz (optional)"),
        max_length=300,
        required=False,
        help_text=_("Was haben Sie geändert? Erscheint in den Versionen."),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PublicContactForm(forms.Form):
    label = forms.CharField(
        label=_("Bezeichnung"),
        max_length=150,
        error_messages=REQUIRED,
        help_text=_("z. B. „IT-Stelle im Hauptamt“ – bitte keine Personennamen ohne Einwilligung."),
    )
    email = forms.EmailField(
        label=_("E-Mail"),
        required=False,
        error_messages={"invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an.")},
    )
    phone = forms.CharField(label=_("Telefon"), max_length=50, required=False)
    note = forms.CharField(label=_("Hinweis"), max_length=300, required=False)


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Nachricht an die Kommune"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        required=False,
        help_text=_(
            "Wird per E-Mail an die Ansprechperson geschickt. Bei einer Ablehnung Pflicht."
        ),
    )
    create_member = forms.BooleanField(
        label=_("Beim Annehmen die Kommune im Netzwerk anlegen"), required=False, initial=True
    )
