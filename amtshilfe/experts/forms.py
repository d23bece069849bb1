from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amtshilfe.accounts.models import User
from amtshilfe.experts.models import ClusterMembership, TopicCluster
from amtshilfe.tenancy.forms import DateInput


def split_list(text: str) -> list[str]:
    """'VPN, Scan-to-Folder;  Outlook' -> ['VPN', 'Scan-to-Folder', 'Outlook']."""
    return [
        part.strip()
        for part in text.replace(";", ",").replace("\n", ",").split(",")
        if part.strip()
    ]


class ClusterForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        error_messages={"required": _("Bitte geben Sie dem Themencluster einen Namen.")},
    )
    description = forms.CharField(
        label=_("Beschreibung"),
        widget=forms.Textarea,
        required=False,
        help_text=_("Welche Fragen gehören in dieses Cluster?"),
    )
    keywords = forms.CharField(
        label=_("Schlagwörter"),
        required=False,
        help_text=_("Durch Komma getrennt, z. B. VPN, WLAN, Netzlaufwerk"),
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Bitte geben Sie dem Themencluster einen Namen."))
        return name

    def clean_keywords(self) -> list[str]:
        return split_list(self.cleaned_data["keywords"])


class ClusterEditForm(ClusterForm):
    is_active = forms.BooleanField(label=_("aktiv"), required=False)


class ClusterMemberForm(forms.Form):
    person: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.none()
    )
    role = forms.ChoiceField(label=_("Rolle im Cluster"), choices=ClusterMembership.Role.choices)

    def __init__(
        self, *args: object, people: object, can_set_owner: bool, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        if not can_set_owner:
            role_field = self.fields["role"]
            assert isinstance(role_field, forms.ChoiceField)
            role_field.choices = [
                (ClusterMembership.Role.MEMBER, ClusterMembership.Role.MEMBER.label)
            ]


class ExpertProfileForm(forms.Form):
    skills = forms.CharField(
        label=_("Fähigkeiten"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Durch Komma getrennt, z. B. Scan-to-Folder, VPN-Client, Outlook-Profile"),
    )
    clusters = forms.ModelMultipleChoiceField(
        label=_("Themencluster"),
        required=False,
        queryset=TopicCluster.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("In welchen Themen Sie Anfragen übernehmen können."),
    )
    pledged_hours_per_month = forms.IntegerField(
        label=_("Zugesagte Stunden pro Monat"),
        min_value=0,
        max_value=200,
        help_text=_("Wie viele Stunden im Monat Sie dem Netzwerk zur Verfügung stellen."),
        error_messages={
            "invalid": _("Bitte geben Sie eine ganze Zahl an."),
            "min_value": _("Bitte geben Sie zwischen 0 und 200 Stunden im Monat an."),
            "max_value": _("Bitte geben Sie zwischen 0 und 200 Stunden im Monat an."),
        },
    )
    absent_from = forms.DateField(label=_("Abwesend ab"), required=False, widget=DateInput())
    absent_until = forms.DateField(
        label=_("Abwesend bis"),
        required=False,
        widget=DateInput(),
        help_text=_("z. B. Urlaub oder Fortbildung; leer = verfügbar"),
    )
    availability_note = forms.CharField(
        label=_("Hinweis zur Erreichbarkeit"),
        max_length=200,
        required=False,
        help_text=_("z. B. „dienstags und donnerstags vormittags“"),
    )
    bio = forms.CharField(
        label=_("Über mich"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: object, clusters: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["clusters"].queryset = clusters  # type: ignore[attr-defined]

    def clean_skills(self) -> list[str]:
        return split_list(self.cleaned_data["skills"])
