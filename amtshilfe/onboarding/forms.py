"""Forms of the onboarding screens; choices are limited to what the services accept."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amtshilfe.accounts.models import User
from amtshilfe.experts.models import TopicCluster
from amtshilfe.onboarding.models import ItemKind
from amtshilfe.tenancy.forms import DateInput
from amtshilfe.tenancy.models import Membership, Municipality
from amtshilfe.wiki.models import Article


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name


def cluster_people(cluster: TopicCluster) -> Any:
    """Members and owners of ``cluster`` (possible mentors and people to meet)."""
    return User.objects.filter(cluster_memberships__cluster=cluster, is_active=True).order_by(
        "last_name", "first_name"
    )


def network_articles(cluster: TopicCluster) -> Any:
    """Published articles the whole network may read, the cluster's own first."""
    return (
        Article.objects.in_network(cluster.network)
        .published()
        .filter(visibility__in=[Article.Visibility.PUBLIC, Article.Visibility.NETWORK])
        .order_by("title")
    )


class ItemForm(forms.Form):
    """A checklist item (template or plan): kind, text and, by kind, article or person."""

    kind = forms.ChoiceField(label=_("Art"), choices=ItemKind.choices)
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        error_messages={"required": _("Bitte geben Sie einen Titel an.")},
    )
    description = forms.CharField(
        label=_("Beschreibung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text=_("Markdown. Bei „Erste Anfrage begleiten“: welche Art Anfrage."),
    )
    article: forms.ModelChoiceField[Article] = forms.ModelChoiceField(
        label=_("Artikel (bei „Artikel lesen“)"),
        queryset=Article.objects.none(),
        required=False,
    )
    person = PersonChoiceField(
        label=_("Person (bei „Person kennenlernen“)"),
        queryset=User.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, cluster: TopicCluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = network_articles(cluster)  # type: ignore[attr-defined]
        self.fields["person"].queryset = cluster_people(cluster)  # type: ignore[attr-defined]


class StartForm(forms.Form):
    newcomer = PersonChoiceField(
        label=_("Neue Person"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("IT-Fachkräfte der Mitgliedskommunen."),
    )
    municipality: forms.ModelChoiceField[Municipality] = forms.ModelChoiceField(
        label=_("… oder alle IT-Fachkräfte einer neuen Kommune"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=_("Statt einer Person: je ein Plan für jede IT-Fachkraft der Kommune."),
    )
    mentor = PersonChoiceField(
        label=_("Mentor/in aus dem Cluster"),
        queryset=User.objects.none(),
        error_messages={"required": _("Bitte wählen Sie einen Mentor oder eine Mentorin.")},
    )
    started_on = forms.DateField(label=_("Beginn"), widget=DateInput())
    due_on = forms.DateField(
        label=_("Abschließen bis (optional)"), widget=DateInput(), required=False
    )

    def __init__(self, *args: Any, cluster: TopicCluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        it_people = User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.current().filter(
                municipality__network=cluster.network,
                municipality__status="active",
                role=Membership.Role.IT,
            ),
        ).distinct()
        self.fields["newcomer"].queryset = it_people.order_by("last_name", "first_name")  # type: ignore[attr-defined]
        self.fields["mentor"].queryset = cluster_people(cluster)  # type: ignore[attr-defined]
        municipalities = Municipality.objects.in_network(cluster.network).filter(status="active")
        self.fields["municipality"].queryset = municipalities.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("newcomer") and not data.get("municipality"):
            self.add_error("newcomer", _("Bitte wählen Sie die neue Person oder eine Kommune."))
        elif data.get("newcomer") and data.get("municipality"):
            self.add_error(
                "municipality", _("Bitte wählen Sie entweder eine Person oder eine Kommune.")
            )
        return data


class TickForm(forms.Form):
    note = forms.CharField(
        label=_("Notiz (optional)"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(),
    )


class MentorForm(forms.Form):
    mentor = PersonChoiceField(
        label=_("Neuer Mentor / neue Mentorin"),
        queryset=User.objects.none(),
        error_messages={"required": _("Bitte wählen Sie einen Mentor oder eine Mentorin.")},
    )

    def __init__(self, *args: Any, cluster: TopicCluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = cluster_people(cluster)  # type: ignore[attr-defined]


class RequestNumberForm(forms.Form):
    number = forms.IntegerField(
        label=_("Nummer der Anfrage"),
        required=False,
        min_value=1,
        error_messages={"invalid": _("Bitte geben Sie die Nummer der Anfrage an.")},
    )
