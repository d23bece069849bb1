"""Forms of the survey screens. Labels, help and errors are German (msgids).

``AnswerForm`` is built from a survey's questions: each choice or scale question is a group
of radio buttons or checkboxes (rendered as a fieldset with the question as legend), free
text a textarea; the service checks the answers again (``validate_answers``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from amtshilfe.surveys.models import Question, Survey
from amtshilfe.surveys.services.ratings import RATING_LABELS
from amtshilfe.tenancy.models import Municipality, Network

REQUIRED = {"required": _("Bitte beantworten Sie diese Frage.")}


def parse_days(text: str) -> list[int]:
    """ "7, 14" → [7, 14]; raises a German error for anything else."""
    parts = [part for part in re.split(r"[\s,;]+", text.strip()) if part]
    if not all(part.isdigit() for part in parts):
        raise forms.ValidationError(
            _("Bitte geben Sie Tage als Zahlen an, z. B. „7, 14“."), code="invalid"
        )
    return [int(part) for part in parts]


class SurveyForm(forms.Form):
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        error_messages={"required": _("Bitte geben Sie einen Titel an.")},
    )
    intro = forms.CharField(
        label=_("Einleitung"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Erscheint über den Fragen. Nur Text, keine Formatierung."),
    )
    audience = forms.ChoiceField(
        label=_("Zielgruppe"), choices=Survey.Audience.choices, widget=forms.RadioSelect
    )
    municipality = forms.ModelChoiceField(
        label=_("Kommune (nur für die Zielgruppe „eine Kommune“)"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("– keine –"),
    )
    closes_at = forms.DateField(
        label=_("Letzter Tag"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Bitte geben Sie den letzten Tag an."),
            "invalid": _("Bitte geben Sie ein Datum an, z. B. 2026-03-31."),
        },
    )
    reminder_days = forms.CharField(
        label=_("Erinnerungen nach Tagen"),
        required=False,
        max_length=40,
        help_text=_(
            "Tage nach dem Öffnen, an denen alle erinnert werden, die noch nicht "
            "geantwortet haben, z. B. „7, 14“."
        ),
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.in_network(network).active()  # type: ignore[attr-defined]

    def clean_reminder_days(self) -> list[int]:
        return parse_days(self.cleaned_data.get("reminder_days") or "")


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Art der Frage"), choices=Question.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Frage"),
        max_length=300,
        error_messages={"required": _("Bitte formulieren Sie die Frage.")},
    )
    required = forms.BooleanField(label=_("Pflichtfrage"), required=False)
    options = forms.CharField(
        label=_("Antwortmöglichkeiten"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Nur bei Auswahlfragen: eine Antwort je Zeile, zwei bis zwölf."),
    )
    low_label = forms.CharField(
        label=_("Skala: Beschriftung für 1"),
        required=False,
        max_length=60,
        help_text=_("z. B. „sehr unzufrieden“"),
    )
    high_label = forms.CharField(
        label=_("Skala: Beschriftung für 5"),
        required=False,
        max_length=60,
        help_text=_("z. B. „sehr zufrieden“"),
    )

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("options", "").splitlines()]


def scale_choices(question: Question) -> list[tuple[str, str]]:
    choices = []
    for value in range(1, 6):
        label = str(value)
        if value == 1 and question.low_label:
            label = f"1 – {question.low_label}"
        elif value == 5 and question.high_label:
            label = f"5 – {question.high_label}"
        choices.append((str(value), label))
    return choices


class AnswerForm(forms.Form):
    """One field per question, named ``frage_<id>``."""

    def __init__(self, *args: Any, questions: Sequence[Question], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            label = question.text
            field: forms.Field
            if question.kind == Question.Kind.SCALE:
                field = forms.ChoiceField(choices=scale_choices(question), widget=forms.RadioSelect)
            elif question.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(
                    choices=[(str(i), o) for i, o in enumerate(question.options)],
                    widget=forms.RadioSelect,
                )
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=[(str(i), o) for i, o in enumerate(question.options)],
                    widget=forms.CheckboxSelectMultiple,
                )
            else:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
            field.label = label
            field.required = question.required
            field.error_messages.update(
                {
                    **REQUIRED,
                    "invalid_choice": _("Bitte wählen Sie eine der angebotenen Antworten."),
                    "max_length": _("Höchstens 5.000 Zeichen."),
                }
            )
            if question.kind == Question.Kind.MULTIPLE:
                field.help_text = _("Mehrere Antworten möglich.")
            self.fields[question.field_name] = field

    def answers(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Wie zufrieden sind Sie mit der Hilfe?"),
        choices=[
            (str(value), format_lazy("{} – {}", value, label))
            for value, label in sorted(RATING_LABELS.items(), reverse=True)
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Bitte wählen Sie eine Bewertung von 1 bis 5."),
            "invalid_choice": _("Bitte wählen Sie eine Bewertung von 1 bis 5."),
        },
    )
    comment = forms.CharField(
        label=_("Kommentar (freiwillig)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Höchstens 5.000 Zeichen.")},
    )
