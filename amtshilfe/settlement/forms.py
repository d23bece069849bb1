"""Forms of the settlement screens. Amounts are entered in euros and hours, stored in
cents and minutes (the views convert). Labels, help and errors are German (msgids)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amtshilfe.decisions.forms import format_euro, parse_euro
from amtshilfe.settlement.models import ClearingMode, CompensationScheme, LevyKey, SchemeKind
from amtshilfe.settlement.periods import parse_period
from amtshilfe.tenancy.models import Municipality, Network
from amtshilfe.timeaccounting.models import Activity


class EuroField(forms.CharField):
    """A euro amount in German notation ("12.500,00"); cleaned to cents (int) or None."""

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        amount = parse_euro(text or "")
        return None if amount is None else int(amount * 100)


def _cents_text(cents: int | None) -> str:
    return "" if cents is None else format_euro(Decimal(cents) / 100)


class SchemeForm(forms.Form):
    valid_from = forms.CharField(
        label=_("Gilt ab Monat"),
        max_length=7,
        help_text=_("Erster Monat, für den das Modell gilt, z. B. 2026-11."),
    )
    kind = forms.ChoiceField(
        label=_("Vergütungsmodell"), choices=SchemeKind.choices, widget=forms.RadioSelect
    )
    free_quota_hours = forms.IntegerField(
        label=_("Freikontingent je Kommune und Monat (Stunden)"),
        min_value=0,
        max_value=10_000,
        initial=0,
        help_text=_("Nur Kombination: so viele Stunden Hilfe erhält jede Kommune ohne Vergütung."),
    )
    levy_key = forms.ChoiceField(
        label=_("Umlageschlüssel"), choices=LevyKey.choices, widget=forms.RadioSelect
    )
    population_percent = forms.IntegerField(
        label=_("Anteil nach Einwohnerzahl bei Mischung (Prozent)"),
        min_value=0,
        max_value=100,
        initial=50,
    )
    common_rate = EuroField(
        label=_("Bewertung gemeinsamer Arbeit (Euro je Stunde)"),
        required=False,
        help_text=_("Wissensartikel, Treffen und Koordination für das ganze Netzwerk."),
    )
    annual_budget = EuroField(
        label=_("Jahresbudget für gemeinsame Kosten (Euro, optional)"), required=False
    )
    account_limit_hours = forms.IntegerField(
        label=_("Grenze des Zeitkontos (Stunden)"),
        min_value=0,
        max_value=100_000,
        initial=0,
        help_text=_(
            "Nur Zeitkonto: Kommunen, die mehr Stunden empfangen als geben, werden markiert."
        ),
    )
    clearing_mode = forms.ChoiceField(
        label=_("Zahlungsweg"), choices=ClearingMode.choices, widget=forms.RadioSelect
    )
    clearing_municipality = forms.ModelChoiceField(
        label=_("Verrechnungskonto bei"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("– keine –"),
    )
    objection_days = forms.IntegerField(
        label=_("Einspruchsfrist (Tage)"), min_value=0, max_value=90, initial=14
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        holder = self.fields["clearing_municipality"]
        assert isinstance(holder, forms.ModelChoiceField)
        holder.queryset = Municipality.objects.in_network(network).active()
        for value, label in Activity.choices:
            self.fields[f"rate_{value}"] = EuroField(
                label=_("Stundensatz %(activity)s (Euro)") % {"activity": label}, required=False
            )

    @classmethod
    def initial_from(cls, scheme: CompensationScheme | None, valid_from: str) -> dict[str, Any]:
        if scheme is None:
            return {
                "valid_from": valid_from,
                "kind": SchemeKind.COMBINED,
                "levy_key": LevyKey.MIX,
                "clearing_mode": ClearingMode.DIRECT,
            }
        initial = {
            "valid_from": valid_from,
            "kind": scheme.kind,
            "free_quota_hours": scheme.free_quota_minutes // 60,
            "levy_key": scheme.levy_key,
            "population_percent": scheme.population_percent,
            "common_rate": _cents_text(scheme.common_rate_cents),
            "annual_budget": _cents_text(scheme.annual_budget_cents),
            "account_limit_hours": scheme.account_limit_minutes // 60,
            "clearing_mode": scheme.clearing_mode,
            "clearing_municipality": scheme.clearing_municipality_id,
            "objection_days": scheme.objection_days,
        }
        for value, _label in Activity.choices:
            initial[f"rate_{value}"] = _cents_text(scheme.rates.get(value))
        return initial

    def clean_valid_from(self) -> str:
        value = self.cleaned_data["valid_from"]
        spec = parse_period(value)  # ValidationError in German
        if spec.kind != "month":
            raise forms.ValidationError(_("Bitte geben Sie einen Monat an, z. B. 2026-11."))
        return spec.label

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "valid_from": data["valid_from"],
            "kind": data["kind"],
            "rates": {
                value: data[f"rate_{value}"]
                for value, _label in Activity.choices
                if data.get(f"rate_{value}") is not None
            },
            "free_quota_minutes": data["free_quota_hours"] * 60,
            "levy_key": data["levy_key"],
            "population_percent": data["population_percent"],
            "common_rate_cents": data["common_rate"] or 0,
            "annual_budget_cents": data["annual_budget"],
            "account_limit_minutes": data["account_limit_hours"] * 60,
            "clearing_mode": data["clearing_mode"],
            "clearing_municipality": data["clearing_municipality"],
            "objection_days": data["objection_days"],
        }


class ObjectionForm(forms.Form):
    comment = forms.CharField(
        label=_("Begründung des Einspruchs"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Bitte begründen Sie den Einspruch.")},
    )


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=[("accepted", _("berücksichtigen")), ("rejected", _("zurückweisen"))],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=_("Begründung"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Bitte begründen Sie die Entscheidung.")},
    )


class CloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ich habe die Abrechnungen geprüft. Der Zeitraum wird endgültig abgeschlossen."),
        error_messages={"required": _("Bitte bestätigen Sie den Abschluss.")},
    )


class PeriodPickForm(forms.Form):
    zeitraum = forms.CharField(
        label=_("Zeitraum"),
        max_length=7,
        help_text=_("Monat (2026-10), Quartal (2026-Q4) oder Jahr (2026)."),
    )

    def clean_zeitraum(self) -> str:
        return parse_period(self.cleaned_data["zeitraum"]).label
