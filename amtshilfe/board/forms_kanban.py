"""Forms of the Kanban boards: filters, moving a card, columns and board settings.

The forms only parse and check input; the services in ``board/services`` decide and write.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amtshilfe.accounts.models import User
from amtshilfe.board.models import Column, ServiceRequest
from amtshilfe.experts.models import TopicCluster
from amtshilfe.tenancy.models import Municipality, Network

NO_CLUSTER = "ohne"
NOBODY = "niemand"
MAX_AGE_DAYS = 3650


class BoardFilterForm(forms.Form):
    """The board's GET filters; every field is optional and kept in the URL."""

    kommune = forms.ChoiceField(label=_("Kommune"), required=False)
    cluster = forms.ChoiceField(label=_("Themencluster"), required=False)
    zustaendig = forms.ChoiceField(label=_("Bearbeitet von"), required=False)
    dringlichkeit = forms.ChoiceField(label=_("Dringlichkeit"), required=False)
    aelter_als = forms.IntegerField(
        label=_("Älter als (Tage)"),
        required=False,
        min_value=0,
        max_value=MAX_AGE_DAYS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(
        self,
        data: Any,
        *,
        municipalities: list[Municipality],
        clusters: list[TopicCluster],
        assignees: list[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        everyone = [("", _("alle"))]
        fields = self.fields
        fields["kommune"].choices = everyone + [(m.slug, m.name) for m in municipalities]  # type: ignore[attr-defined]
        fields["cluster"].choices = (  # type: ignore[attr-defined]
            everyone
            + [(NO_CLUSTER, _("ohne Themencluster (Triage)"))]
            + [(c.slug, c.name) for c in clusters]
        )
        fields["zustaendig"].choices = (  # type: ignore[attr-defined]
            everyone
            + [(NOBODY, _("nicht zugewiesen"))]
            + [(u.username, u.full_name) for u in assignees]
        )
        fields["dringlichkeit"].choices = everyone + list(ServiceRequest.Urgency.choices)  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    """Where a card goes: ``ziel`` is "<column id>:<position>" (empty position = at the end).

    ``version`` is the card's version the page showed; a changed card is refused as stale.
    """

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    ziel = forms.RegexField(
        regex=r"^\d{1,10}:\d{0,6}$",
        error_messages={
            "invalid": _("Unbekanntes Ziel für die Karte."),
            "required": _("Bitte wählen Sie, wohin die Karte soll."),
        },
    )
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        target = cleaned.get("ziel")
        if target:
            column, position = target.split(":")
            cleaned["column_id"] = int(column)
            cleaned["position"] = int(position) if position else None
        return cleaned


class ColumnForm(forms.Form):
    """Name and WIP limit of an existing column."""

    name = forms.CharField(label=_("Name"), max_length=80)
    wip_limit = forms.IntegerField(
        label=_("WIP-Limit"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("Höchstens so viele Karten in der Spalte; leer = ohne Grenze."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class NewColumnForm(ColumnForm):
    """A new column: also its kind, which fixes the status of its cards."""

    kind = forms.ChoiceField(
        label=_("Bedeutung"),
        choices=Column.Kind.choices,
        help_text=_("Die Bedeutung bestimmt den Status der Anfragen in der Spalte."),
    )

    field_order = ["name", "kind", "wip_limit"]


class BoardSettingsForm(forms.Form):
    """The board's name and (network board only) the triage threshold."""

    name = forms.CharField(label=_("Name des Boards"), max_length=120)
    triage_threshold = forms.FloatField(
        label=_("Schwelle der automatischen Zuordnung"),
        min_value=0,
        max_value=1,
        localize=True,
        help_text=_(
            "Zwischen 0 und 1, z. B. 0,6: Ab dieser Sicherheit ordnet die Triage eine neue "
            "Anfrage selbst einem Themencluster zu; darunter landet sie in der Spalte „Triage“."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, with_threshold: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_threshold:
            del self.fields["triage_threshold"]


def network_filter_choices(network: Network) -> dict[str, Any]:
    """The option lists of the filter form (three queries, independent of the cards)."""
    return {
        "municipalities": list(
            Municipality.objects.in_network(network).filter(status="active").order_by("name")
        ),
        "clusters": list(TopicCluster.objects.in_network(network).active().order_by("name")),
        "assignees": list(
            User.objects.filter(
                pk__in=ServiceRequest.objects.in_network(network).open().values("assignee_id")
            ).order_by("last_name", "first_name", "username")
        ),
    }
