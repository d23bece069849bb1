"""Forms of the coordination screens. Validation that needs the database lives in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amtshilfe.tenancy.models import Membership, Municipality, NetworkRole, ags_validator


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MunicipalityForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    official_name = forms.CharField(
        label=_("Amtlicher Name"),
        max_length=200,
        required=False,
        help_text=_("z. B. „Große Kreisstadt Riesa“"),
    )
    kind = forms.ChoiceField(label=_("Art"), choices=Municipality.Kind.choices)
    ags = forms.CharField(
        label=_("Amtlicher Gemeindeschlüssel (AGS)"),
        max_length=8,
        required=False,
        validators=[ags_validator],
        help_text=_("8 Ziffern, z. B. 14627230"),
        error_messages={
            "max_length": _("Der Amtliche Gemeindeschlüssel besteht aus genau 8 Ziffern.")
        },
    )
    population = forms.IntegerField(
        label=_("Einwohnerzahl"),
        required=False,
        min_value=0,
        max_value=10_000_000,
        error_messages={
            "invalid": _("Bitte geben Sie die Einwohnerzahl als ganze Zahl ohne Punkte an."),
            "min_value": _("Die Einwohnerzahl darf nicht negativ sein."),
            "max_value": _("Diese Einwohnerzahl ist für eine Kommune nicht plausibel."),
        },
    )
    population_date = forms.DateField(
        label=_("Stichtag der Einwohnerzahl"), required=False, widget=DateInput()
    )
    contact_email = forms.EmailField(label=_("Kontakt-E-Mail"), required=False)
    contact_phone = forms.CharField(label=_("Kontakt-Telefon"), max_length=50, required=False)

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Bitte geben Sie den Namen der Kommune an."))
        return name


class MunicipalityCreateForm(MunicipalityForm):
    joined_on = forms.DateField(
        label=_("Beitritt am"),
        required=False,
        widget=DateInput(),
        help_text=_("Leer lassen für heute."),
    )


class DateForm(forms.Form):
    day = forms.DateField(
        label=_("Datum"), required=False, widget=DateInput(), help_text=_("Leer lassen für heute.")
    )


class PersonCreateForm(forms.Form):
    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    username = forms.RegexField(
        label=_("Benutzername"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text=_("z. B. vorname.nachname – Buchstaben, Ziffern und . @ + - _"),
        error_messages={
            "invalid": _("Der Benutzername darf nur Buchstaben, Ziffern und . @ + - _ enthalten.")
        },
    )
    email = forms.EmailField(
        label=_("E-Mail"), required=False, help_text=_("An diese Adresse geht die Einladung.")
    )
    phone = forms.CharField(label=_("Telefon"), max_length=50, required=False)
    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=Municipality.objects.none())
    role = forms.ChoiceField(label=_("Rolle"), choices=Membership.Role.choices)

    def __init__(self, *args: object, municipalities: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


class PersonEditForm(forms.Form):
    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    email = forms.EmailField(label=_("E-Mail"), required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=50, required=False)


class MembershipAddForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=Municipality.objects.none())
    role = forms.ChoiceField(label=_("Rolle"), choices=Membership.Role.choices)

    def __init__(self, *args: object, municipalities: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rolle"), choices=Membership.Role.choices)


class NetworkRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Netzwerkrolle"), choices=NetworkRole.Role.choices)


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Name oder Benutzername"), required=False)
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        required=False,
        queryset=Municipality.objects.none(),
        empty_label=_("alle"),
    )
    role = forms.ChoiceField(
        label=_("Rolle"),
        required=False,
        choices=[("", _("alle")), *Membership.Role.choices, *NetworkRole.Role.choices],
    )

    def __init__(self, *args: object, municipalities: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Aktion"), required=False, help_text=_("z. B. municipality oder person.created")
    )
    actor = forms.CharField(label=_("Benutzername"), required=False)
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        required=False,
        queryset=Municipality.objects.none(),
        empty_label=_("alle"),
    )
    date_from = forms.DateField(label=_("von"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("bis"), required=False, widget=DateInput())

    def __init__(self, *args: object, municipalities: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise forms.ValidationError(_("Das Ende des Zeitraums liegt vor dem Anfang."))
        return data
