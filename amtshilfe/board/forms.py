"""Forms of the help page and the request pages. Labels, help and errors are German (msgids).

The forms only check input; every write goes through ``board.services``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from amtshilfe.board.models import ServiceRequest
from amtshilfe.experts.models import TopicCluster
from amtshilfe.tenancy.models import Municipality
from amtshilfe.wiki.attachments import allowed_types_text, check_upload

MAX_QUERY = 2000  # what the help page keeps of the description as "search before the request"
MAX_ATTACHMENTS = 10


def first_line(text: str, limit: int = 120) -> str:
    """The title suggested from what someone typed: its first non-empty line, shortened."""
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            if len(line) > limit:
                cut = line[:limit].rsplit(" ", 1)[0] or line[:limit]
                return cut.rstrip(" ,.;:-") + " …"
            return line
    return ""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked like a knowledge-base attachment."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("Bitte hängen Sie höchstens %(n)s Dateien an.") % {"n": MAX_ATTACHMENTS}
            )
        cleaned: list[UploadedFile] = []
        problems: list[str] = []
        for upload in files:
            try:
                check_upload(upload, name=upload.name or "", size=upload.size or 0)
            except ValidationError as error:
                problems += [f"„{upload.name}“: {message}" for message in error.messages]
            cleaned.append(upload)
        if problems:
            raise ValidationError(problems)
        return cleaned


class RequestFilingForm(forms.Form):
    """The request form of the help page. ``municipality`` only when the user has several."""

    title = forms.CharField(
        label=_("Betreff"),
        max_length=200,
        help_text=_("Eine Zeile, an der man Ihr Anliegen erkennt. Sie können ihn ändern."),
        error_messages={
            "required": _("Bitte beschreiben Sie Ihr Anliegen in einem kurzen Betreff."),
            "max_length": _("Der Betreff darf höchstens 200 Zeichen lang sein."),
        },
    )
    description = forms.CharField(
        label=_("Beschreibung"),
        max_length=20_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 7, "spellcheck": "true"}),
        help_text=_("Was ist passiert, seit wann, was haben Sie schon versucht?"),
        error_messages={
            "required": _("Bitte beschreiben Sie, wobei Sie Hilfe brauchen."),
            "max_length": _("Die Beschreibung ist zu lang (höchstens 20.000 Zeichen)."),
        },
    )
    urgency = forms.ChoiceField(
        label=_("Wie dringend ist es?"),
        choices=ServiceRequest.Urgency.choices,
        initial=ServiceRequest.Urgency.NORMAL,
        help_text=_("„dringend“ nur, wenn Sie gerade gar nicht weiterarbeiten können."),
        error_messages={"invalid_choice": _("Bitte wählen Sie eine Dringlichkeit.")},
    )
    contact_preference = forms.ChoiceField(
        label=_("Wie möchten Sie Rückmeldung bekommen?"),
        choices=ServiceRequest.ContactPreference.choices,
        initial=ServiceRequest.ContactPreference.APP,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Bitte wählen Sie, wie wir uns melden sollen."),
            "invalid_choice": _("Bitte wählen Sie, wie wir uns melden sollen."),
        },
    )
    municipality: forms.ModelChoiceField[Municipality] = forms.ModelChoiceField(
        label=_("Für welche Kommune?"),
        queryset=Municipality.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Bitte wählen Sie eine Ihrer Kommunen.")},
    )
    attachments = MultipleFileField(
        label=_("Anhänge (freiwillig)"),
        required=False,
        widget=MultipleFileInput(attrs={"multiple": True}),
    )
    self_help_query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=5000)

    def __init__(self, *args: Any, municipalities: list[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(  # type: ignore[attr-defined]
            pk__in=[m.pk for m in municipalities]
        ).order_by("name")
        if len(municipalities) == 1:
            self.fields["municipality"].widget = forms.HiddenInput()
            self.fields["municipality"].initial = municipalities[0].pk
        self.fields["attachments"].help_text = _(
            "Zum Beispiel ein Bildschirmfoto der Fehlermeldung. Erlaubt: %(types)s; "
            "höchstens %(mb)s MB je Datei."
        ) % {"types": allowed_types_text(), "mb": settings.AMTSHILFE_ATTACHMENT_MAX_MB}

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError(_("Bitte beschreiben Sie Ihr Anliegen in einem kurzen Betreff."))
        return title

    def clean_description(self) -> str:
        text: str = self.cleaned_data["description"].replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise ValidationError(_("Bitte beschreiben Sie, wobei Sie Hilfe brauchen."))
        return text

    def clean_self_help_query(self) -> str:
        query: str = self.cleaned_data["self_help_query"]
        return query.strip()[:MAX_QUERY]


class SelfHelpForm(forms.Form):
    """ "Das hat geholfen": the article that helped and what the person had typed."""

    article = forms.IntegerField(min_value=1)
    q = forms.CharField(required=False, max_length=5000)


STATUS_FILTERS = [("open", _("offen")), ("closed", _("erledigt")), ("all", _("alle"))]
SORTS = [
    ("mine", _("meine zuerst")),
    ("newest", _("neueste zuerst")),
    ("oldest", _("älteste zuerst")),
    ("urgency", _("dringendste zuerst")),
    ("changed", _("zuletzt geändert")),
]


class RequestFilterForm(forms.Form):
    """Filters of the request list (GET). Invalid values fall back to the defaults."""

    q = forms.CharField(label=_("Betreff oder Nummer"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTERS, required=False)
    municipality: forms.ModelChoiceField[Municipality] = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("alle Kommunen"),
    )
    cluster: forms.ModelChoiceField[TopicCluster] = forms.ModelChoiceField(
        label=_("Themencluster"),
        queryset=TopicCluster.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("alle Themencluster"),
    )
    urgency = forms.ChoiceField(
        label=_("Dringlichkeit"),
        choices=[("", _("alle")), *ServiceRequest.Urgency.choices],
        required=False,
    )
    mine = forms.BooleanField(label=_("Nur meine Anfragen"), required=False)
    assigned = forms.BooleanField(label=_("Mir zugewiesen"), required=False)
    sort = forms.ChoiceField(label=_("Sortierung"), choices=SORTS, required=False)

    def __init__(
        self, *args: Any, municipalities: Any, clusters: Any, it_side: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]
        if not it_side:
            del self.fields["assigned"]


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Ihr Kommentar"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Markdown ist möglich. Mit @benutzername erwähnen Sie jemanden, "
            "der die Anfrage sehen darf; er wird benachrichtigt."
        ),
        error_messages={
            "required": _("Bitte schreiben Sie einen Kommentar."),
            "max_length": _("Der Kommentar ist zu lang (höchstens 20.000 Zeichen)."),
        },
    )
    internal = forms.BooleanField(
        label=_("Intern – nur für IT-Fachkräfte sichtbar"), required=False
    )


class AttachmentUploadForm(forms.Form):
    attachments = MultipleFileField(
        label=_("Dateien"), widget=MultipleFileInput(attrs={"multiple": True})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attachments"]
        field.error_messages["required"] = _("Bitte wählen Sie eine Datei aus.")
        field.help_text = _("Erlaubt: %(types)s; höchstens %(mb)s MB je Datei.") % {
            "types": allowed_types_text(),
            "mb": settings.AMTSHILFE_ATTACHMENT_MAX_MB,
        }


class VersionedForm(forms.Form):
    """Changes of the card carry the version the person saw (optimistic locking)."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ColumnMoveForm(VersionedForm):
    column = forms.IntegerField(label=_("Spalte"))


class ClusterForm(VersionedForm):
    cluster = forms.CharField(label=_("Themencluster"), required=False)


class UrgencyForm(VersionedForm):
    urgency = forms.ChoiceField(label=_("Dringlichkeit"), choices=ServiceRequest.Urgency.choices)


class AssignForm(VersionedForm):
    assignee = forms.CharField(required=False)


class CloseForm(VersionedForm):
    comment = forms.CharField(
        label=_("Abschließender Kommentar (freiwillig)"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Zum Beispiel, was die Lösung war. Die anfragende Kommune sieht ihn."),
    )


class ReopenForm(VersionedForm):
    reason = forms.CharField(
        label=_("Warum ist das Problem nicht gelöst? (freiwillig)"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Bewertung"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        error_messages={
            "required": _("Bitte vergeben Sie 1 bis 5 Sterne."),
            "invalid_choice": _("Bitte vergeben Sie 1 bis 5 Sterne."),
        },
    )
    comment = forms.CharField(
        label=_("Möchten Sie noch etwas sagen? (freiwillig)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Der Kommentar ist zu lang (höchstens 5.000 Zeichen).")},
    )
