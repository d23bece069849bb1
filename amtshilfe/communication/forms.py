"""Forms of the communication screens. Labels, help and errors are German (msgids).

The forms check shapes (a date is a date); the services check the rules (who may write to
which audience, ends after starts) so that the API gets the same answers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amtshilfe.communication.models import DirectoryEntry, Event, News
from amtshilfe.experts.models import TopicCluster
from amtshilfe.tenancy.models import Municipality, Network

MARKDOWN_HELP = _("Markdown: **fett**, „- “ für Aufzählungen, [Text](https://…) für einen Link.")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y, %H:%M"]


class LocalDateTimeInput(forms.DateTimeInput):
    """A native date-and-time picker; values in Europe/Berlin (the site's time zone)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def local_datetime_field(label: Any, *, required: bool, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_FORMATS,
        widget=LocalDateTimeInput(),
        help_text=help_text,
        error_messages={
            "invalid": _("Bitte geben Sie Datum und Uhrzeit an, z. B. 14.03.2027 09:30."),
            "required": _("Bitte geben Sie Datum und Uhrzeit an."),
        },
    )


class AudienceField(forms.ModelChoiceField):
    """Whole network (empty) or one topic cluster the writer may address."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=TopicCluster.objects.none(),
            required=False,
            label=_("An wen"),
            empty_label=_("das ganze Netzwerk"),
            **kwargs,
        )


def _limit_audience(field: Any, network: Network, allowed: set[int] | None) -> None:
    clusters = TopicCluster.objects.in_network(network).active()
    if allowed is not None:
        clusters = clusters.filter(pk__in=allowed)
        field.empty_label = None
        field.required = True
        field.error_messages["required"] = _("Bitte wählen Sie eines Ihrer Themencluster.")
    field.queryset = clusters


class NewsForm(forms.Form):
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        error_messages={"required": _("Bitte geben Sie einen Titel an.")},
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=50_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=MARKDOWN_HELP,
        error_messages={"required": _("Bitte schreiben Sie einen Text.")},
    )
    cluster = AudienceField()
    is_public = forms.BooleanField(
        label=_("Auch öffentlich auf der Website zeigen"), required=False
    )
    publish = forms.ChoiceField(
        label=_("Veröffentlichung"),
        choices=[
            ("draft", _("Entwurf – noch nicht veröffentlichen")),
            ("now", _("Jetzt veröffentlichen")),
            ("later", _("Zu einem Zeitpunkt veröffentlichen")),
        ],
        widget=forms.RadioSelect,
        initial="draft",
    )
    published_at = local_datetime_field(
        _("Zeitpunkt der Veröffentlichung"),
        required=False,
        help_text=_("Nur bei „Zu einem Zeitpunkt veröffentlichen“."),
    )
    message = forms.CharField(
        label=_("Änderungsnotiz"),
        max_length=200,
        required=False,
        help_text=_("Was haben Sie geändert? Erscheint in den Versionen."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        network: Network,
        allowed_clusters: set[int] | None,
        may_publish_publicly: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _limit_audience(self.fields["cluster"], network, allowed_clusters)
        if not may_publish_publicly:
            self.fields["is_public"].disabled = True
            self.fields["is_public"].help_text = _(
                "Über die öffentliche Website entscheidet die Netzwerk-Koordination."
            )

    @staticmethod
    def initial_for(news: News) -> dict[str, Any]:
        now = timezone.now()
        if news.published_at is None:
            publish = "draft"
        elif news.published_at <= now:
            publish = "now"
        else:
            publish = "later"
        return {
            "title": news.title,
            "body": news.body,
            "cluster": news.cluster_id,
            "is_public": news.is_public,
            "publish": publish,
            "published_at": news.published_at,
            "version": news.version,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("publish") == "later":
            when = data.get("published_at")
            if when is None:
                self.add_error(
                    "published_at", _("Bitte geben Sie an, wann veröffentlicht werden soll.")
                )
            elif when <= timezone.now():
                self.add_error("published_at", _("Der Zeitpunkt muss in der Zukunft liegen."))
        return data

    def publication_time(self, current: dt.datetime | None = None) -> dt.datetime | None:
        """Draft → None; now → now (or the earlier date of an already published item)."""
        choice = self.cleaned_data["publish"]
        if choice == "draft":
            return None
        if choice == "later":
            when: dt.datetime = self.cleaned_data["published_at"]
            return when
        now = timezone.now()
        return current if current is not None and current <= now else now


class EventForm(forms.Form):
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        error_messages={"required": _("Bitte geben Sie einen Titel an.")},
    )
    kind = forms.ChoiceField(label=_("Art"), choices=Event.Kind.choices)
    description = forms.CharField(
        label=_("Beschreibung"),
        required=False,
        max_length=20_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )
    starts_at = local_datetime_field(_("Beginn"), required=True)
    ends_at = local_datetime_field(_("Ende"), required=True)
    location = forms.CharField(
        label=_("Ort"),
        max_length=200,
        required=False,
        help_text=_("Zum Beispiel: Rathaus Riesa, Sitzungssaal 2. Ort oder Online-Zugang angeben."),
    )
    online_url = forms.URLField(
        label=_("Online-Zugang"),
        max_length=300,
        required=False,
        assume_scheme="https",
        help_text=_("Link zur Videokonferenz, falls online."),
        error_messages={"invalid": _("Bitte geben Sie eine Adresse mit https:// an.")},
    )
    cluster = AudienceField()
    is_public = forms.BooleanField(
        label=_("Auch öffentlich auf der Website zeigen"), required=False
    )
    capacity = forms.IntegerField(
        label=_("Plätze"),
        required=False,
        min_value=1,
        max_value=10_000,
        help_text=_("Leer lassen, wenn die Zahl nicht begrenzt ist."),
        error_messages={
            "invalid": _("Bitte geben Sie eine ganze Zahl an."),
            "min_value": _("Die Zahl der Plätze muss mindestens 1 sein (leer: unbegrenzt)."),
        },
    )
    registration_deadline = local_datetime_field(
        _("Anmeldeschluss"), required=False, help_text=_("Leer: bis zum Beginn.")
    )

    def __init__(
        self,
        *args: Any,
        network: Network,
        allowed_clusters: set[int] | None,
        may_publish_publicly: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _limit_audience(self.fields["cluster"], network, allowed_clusters)
        if not may_publish_publicly:
            self.fields["is_public"].disabled = True
            self.fields["is_public"].help_text = _(
                "Über die öffentliche Website entscheidet die Netzwerk-Koordination."
            )

    @staticmethod
    def initial_for(event: Event) -> dict[str, Any]:
        return {
            name: getattr(event, name)
            for name in [
                "title",
                "kind",
                "description",
                "starts_at",
                "ends_at",
                "location",
                "online_url",
                "is_public",
                "capacity",
                "registration_deadline",
            ]
        } | {"cluster": event.cluster_id}


class DirectoryEntryForm(forms.ModelForm):
    class Meta:
        model = DirectoryEntry
        fields = ["show_in_directory", "show_email", "show_phone", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    kommune = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("alle Kommunen"),
        to_field_name="slug",
    )
    cluster = forms.ModelChoiceField(
        label=_("Themencluster"),
        queryset=TopicCluster.objects.none(),
        required=False,
        empty_label=_("alle Themencluster"),
        to_field_name="slug",
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kommune"].queryset = Municipality.objects.in_network(network).active()  # type: ignore[attr-defined]
        self.fields["cluster"].queryset = TopicCluster.objects.in_network(network).active()  # type: ignore[attr-defined]


class ClusterFilterForm(forms.Form):
    cluster = forms.ModelChoiceField(
        label=_("Themencluster"),
        queryset=TopicCluster.objects.none(),
        required=False,
        empty_label=_("alle"),
        to_field_name="slug",
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = TopicCluster.objects.in_network(network).active()  # type: ignore[attr-defined]
