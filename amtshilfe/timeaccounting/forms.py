"""Forms of the time pages: an entry, the stopwatch, the CSV upload."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amtshilfe.tenancy.models import Municipality
from amtshilfe.timeaccounting.models import MAX_MINUTES_PER_ENTRY, Activity

DURATION = re.compile(r"^\s*(?:(\d{1,2})\s*:\s*(\d{1,2})|(\d{1,4}))\s*$")
MAX_UPLOAD_MB = 20


def parse_duration(text: str) -> int | None:
    """Minutes from "90" (minutes) or "1:30" (hours:minutes); None if neither."""
    match = DURATION.match(text or "")
    if match is None:
        return None
    if match[3] is not None:
        return int(match[3])
    minutes = int(match[2])
    if minutes >= 60:
        return None
    return int(match[1]) * 60 + minutes


def format_duration(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


class DurationField(forms.Field):
    """Minutes typed as "90" or "1:30"; cleaned to an int."""

    widget = forms.TextInput

    def prepare_value(self, value: Any) -> Any:
        return format_duration(value) if isinstance(value, int) else value

    def to_python(self, value: Any) -> Any:
        text = str(value).strip() if value is not None else ""
        if text in self.empty_values:
            return None
        minutes = parse_duration(text)
        if minutes is None:
            raise forms.ValidationError(
                _("Bitte geben Sie die Dauer als Minuten (90) oder Stunden:Minuten (1:30) an.")
            )
        if not 1 <= minutes <= MAX_MINUTES_PER_ENTRY:
            raise forms.ValidationError(
                _("Die Dauer muss zwischen 1 Minute und 24 Stunden liegen.")
            )
        return minutes


class _EmployerMixin(forms.Form):
    """Adds the choice of the providing municipality when the person has several employers."""

    def set_employers(self, employers: list[Municipality]) -> None:
        if len(employers) > 1:
            self.fields["providing_municipality"] = forms.ModelChoiceField(
                label=_("Geleistet für"),
                queryset=Municipality.objects.filter(pk__in=[m.pk for m in employers]),
                empty_label=None,
                help_text=_("Die Kommune, bei der Sie beschäftigt sind und für die Sie arbeiten."),
            )


class TimeEntryForm(_EmployerMixin):
    date = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    duration = DurationField(
        label=_("Dauer"),
        help_text=_("Minuten (z. B. 90) oder Stunden:Minuten (z. B. 1:30)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    activity = forms.ChoiceField(label=_("Tätigkeit"), choices=Activity.choices)
    note = forms.CharField(
        label=_("Notiz"),
        required=False,
        max_length=500,
        help_text=_("Optional, höchstens 500 Zeichen. Sichtbar nur für Sie."),
    )
    request = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("Zeit lässt sich nicht im Voraus buchen; das Datum liegt in der Zukunft.")
            )
        return day


class TimerStartForm(_EmployerMixin):
    activity = forms.ChoiceField(
        label=_("Tätigkeit"), choices=Activity.choices, initial=Activity.SUPPORT
    )
    note = forms.CharField(label=_("Notiz"), required=False, max_length=500)
    request = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-Datei"),
        help_text=_(
            "Kopfzeile mit Datum; Person; leistende Kommune; empfangende Kommune; Minuten; "
            "Tätigkeit; Anfrage; Notiz – getrennt durch Semikolon oder Komma, UTF-8."
        ),
    )
    skip_invalid = forms.BooleanField(
        label=_("Fehlerhafte Zeilen überspringen und die übrigen importieren"), required=False
    )
    dry_run = forms.BooleanField(label=_("Nur prüfen, nichts speichern"), required=False)

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        if uploaded.size and uploaded.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("Die Datei ist zu groß (höchstens %(mb)d MB).") % {"mb": MAX_UPLOAD_MB}
            )
        return uploaded
