"""Forms of the knowledge-base screens. Labels, help and errors are German (msgids)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amtshilfe.experts.forms import split_list
from amtshilfe.experts.models import TopicCluster
from amtshilfe.tenancy.models import Municipality
from amtshilfe.wiki.attachments import allowed_types_text
from amtshilfe.wiki.models import Article

BODY_HELP = _(
    "Markdown: „## Überschrift“ für Abschnitte, **fett**, „- “ für Aufzählungen, "
    "[[kuerzel]] verlinkt einen anderen Artikel, [Text](https://…) einen Link."
)


class VisibilityFieldsMixin(forms.Form):
    """Visibility, and the municipality when only one municipality may read the article."""

    visibility = forms.ChoiceField(
        label=_("Wer darf den Artikel lesen?"),
        choices=Article.Visibility.choices,
        initial=Article.Visibility.NETWORK,
    )
    municipality: forms.ModelChoiceField[Municipality] = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=_("Nur nötig, wenn der Artikel nur für eine Kommune sichtbar sein soll."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("visibility") == Article.Visibility.MUNICIPALITY:
            if not data.get("municipality"):
                self.add_error(
                    "municipality",
                    _("Bitte wählen Sie die Kommune, für die der Artikel sichtbar sein soll."),
                )
        else:
            data["municipality"] = None
        return data


class ContentFieldsMixin(forms.Form):
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        error_messages={"required": _("Bitte geben Sie dem Artikel einen Titel.")},
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=200_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 22, "class": "wiki-body-input", "spellcheck": "true"}),
        help_text=BODY_HELP,
    )
    tags = forms.CharField(
        label=_("Schlagwörter"),
        required=False,
        max_length=500,
        help_text=_("Durch Komma getrennt, z. B. Drucker, Toner, Scan-to-Folder"),
    )
    message = forms.CharField(
        label=_("Was haben Sie geändert?"),
        required=False,
        max_length=300,
        help_text=_("Eine kurze Notiz für die Versionsgeschichte."),
    )

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Bitte geben Sie dem Artikel einen Titel."))
        return title

    def clean_body(self) -> str:
        # Browsers send CRLF from a textarea; revisions and diffs work on "\n".
        body: str = self.cleaned_data["body"]
        return body.replace("\r\n", "\n").replace("\r", "\n")

    def clean_tags(self) -> list[str]:
        return split_list(self.cleaned_data["tags"])


class ArticleCreateForm(VisibilityFieldsMixin, ContentFieldsMixin):
    cluster: forms.ModelChoiceField[TopicCluster] = forms.ModelChoiceField(
        label=_("Themencluster"),
        queryset=TopicCluster.objects.none(),
        error_messages={"required": _("Bitte wählen Sie ein Themencluster.")},
    )

    field_order = ["cluster", "title", "body", "tags", "visibility", "municipality", "message"]

    def __init__(self, *args: Any, clusters: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


class ArticleEditForm(ContentFieldsMixin):
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ArticleSettingsForm(VisibilityFieldsMixin):
    cluster: forms.ModelChoiceField[TopicCluster] = forms.ModelChoiceField(
        label=_("Themencluster"), queryset=TopicCluster.objects.none()
    )

    field_order = ["cluster", "visibility", "municipality"]

    def __init__(self, *args: Any, clusters: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


class RestoreForm(forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReviewForm(forms.Form):
    ACCEPT, REJECT = "accept", "reject"

    revision = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[(ACCEPT, _("Freigeben")), (REJECT, _("Zurückgeben"))])
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pflicht beim Zurückgeben: Was fehlt noch?"),
    )


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("War dieser Artikel hilfreich?"),
        choices=[("ja", _("Ja")), ("nein", _("Nein"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie „Ja“ oder „Nein“.")},
    )
    comment = forms.CharField(
        label=_("Was können wir besser machen? (freiwillig)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Datei"),
        error_messages={
            "required": _("Bitte wählen Sie eine Datei aus."),
            "empty": _("Die Datei ist leer."),
        },
    )

    def __init__(self, *args: Any, max_mb: int, too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_mb = max_mb
        self.too_large = too_large  # the upload was stopped at the limit (SizeLimitUploadHandler)
        self.fields["file"].help_text = _("Erlaubt: %(types)s; höchstens %(mb)s MB.") % {
            "types": allowed_types_text(),
            "mb": max_mb,
        }

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and self.too_large:
            self.errors.pop("file", None)
            self.add_error("file", too_large_message(self.max_mb))


def too_large_message(max_mb: int) -> str:
    return _("Die Datei ist zu groß. Erlaubt sind höchstens %(mb)s MB.") % {"mb": max_mb}


class ArticleFilterForm(forms.Form):
    cluster: forms.ModelChoiceField[TopicCluster] = forms.ModelChoiceField(
        label=_("Themencluster"),
        queryset=TopicCluster.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("alle Themencluster"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("alle")), *Article.Status.choices],
    )

    def __init__(self, *args: Any, clusters: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]
