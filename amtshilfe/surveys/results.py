"""Survey results, computed in the database, with small groups suppressed (ADR 0017).

Rules (``k = settings.AMTSHILFE_MIN_GROUP_SIZE``, 5 by default):

1. Nothing is shown until at least k people answered the survey.
2. A question's figures are shown only when at least k people answered *that* question.
3. A breakdown by municipality (and by role) shows only groups of at least k. If the groups left out add
   up to fewer than k (but more than none), the smallest shown group is left out too, and so
   on – otherwise "total minus the shown groups" would reveal a small group.
4. Free texts are listed in random order, without day, municipality or role.

The CSV export is built from the same ``SurveyResults``, so it suppresses exactly the same.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Avg, Count

from amtshilfe.lib.spreadsheet import safe_cell
from amtshilfe.surveys.models import Answer, Question, Response, Survey
from amtshilfe.tenancy.models import Membership


def min_group_size() -> int:
    return int(settings.AMTSHILFE_MIN_GROUP_SIZE)


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: float


@dataclass(frozen=True)
class Group:
    name: str
    count: int
    mean: float | None


@dataclass
class QuestionResult:
    question: Question
    respondents: int
    shown: bool
    mean: float | None = None
    bars: list[Bar] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    hidden_groups: int = 0
    role_groups: list[Group] = field(default_factory=list)
    hidden_role_groups: int = 0


@dataclass
class SurveyResults:
    survey: Survey
    respondents: int
    invited: int
    min_group: int
    questions: list[QuestionResult]

    @property
    def shown(self) -> bool:
        return self.respondents >= self.min_group


def suppress_small_groups(
    groups: list[tuple[str, int, float | None]], total: int, k: int
) -> tuple[list[Group], int]:
    """Groups of at least ``k`` such that the rest is none or at least ``k`` (rule 3)."""
    shown = sorted((g for g in groups if g[1] >= k), key=lambda g: (-g[1], g[0]))
    hidden = len(groups) - len(shown)
    rest = total - sum(g[1] for g in shown)
    while shown and 0 < rest < k:
        smallest = shown.pop()
        hidden += 1
        rest += smallest[1]
    return [Group(name, count, mean) for name, count, mean in shown], hidden


def _bars(counts: dict[int, int], labels: list[str], total: int) -> list[Bar]:
    return [
        Bar(label, counts.get(index, 0), round(100 * counts.get(index, 0) / total, 1))
        for index, label in enumerate(labels)
    ]


def question_result(question: Question, k: int, *, seed: int | None = None) -> QuestionResult:
    answers = Answer.objects.filter(question=question)
    respondents = answers.order_by().values("response_id").distinct().count()
    result = QuestionResult(question=question, respondents=respondents, shown=respondents >= k)
    if not result.shown:
        return result
    if question.kind == Question.Kind.TEXT:
        texts = list(answers.values_list("text", flat=True))
        # Unpredictable order, so the list says nothing about who answered when.
        shuffler = secrets.SystemRandom() if seed is None else random.Random(seed)  # noqa: S311
        shuffler.shuffle(texts)
        result.texts = texts
        return result
    counts: dict[int, int] = {
        number: n
        for number, n in answers.values("number").annotate(n=Count("id")).values_list("number", "n")
        if number is not None
    }
    if question.kind == Question.Kind.SCALE:
        labels = [str(value) for value in range(1, 6)]
        if question.low_label:
            labels[0] = f"1 – {question.low_label}"
        if question.high_label:
            labels[4] = f"5 – {question.high_label}"
        result.bars = _bars({value - 1: n for value, n in counts.items()}, labels, respondents)
        result.mean = answers.aggregate(mean=Avg("number"))["mean"]
        by_municipality = (
            answers.filter(response__municipality__isnull=False)
            .order_by()
            .values("response__municipality__name")
            .annotate(n=Count("id"), mean=Avg("number"))
            .values_list("response__municipality__name", "n", "mean")
        )
        result.groups, result.hidden_groups = suppress_small_groups(
            [(name, n, mean) for name, n, mean in by_municipality], respondents, k
        )
        roles = dict(Membership.Role.choices)
        by_role = (
            answers.exclude(response__role="")
            .order_by()
            .values("response__role")
            .annotate(n=Count("id"), mean=Avg("number"))
            .values_list("response__role", "n", "mean")
        )
        result.role_groups, result.hidden_role_groups = suppress_small_groups(
            [(str(roles.get(role, role)), n, mean) for role, n, mean in by_role], respondents, k
        )
    else:
        result.bars = _bars(counts, list(question.options), respondents)
    return result


def survey_results(survey: Survey, *, seed: int | None = None) -> SurveyResults:
    """Everything the results page and the CSV show; empty questions while under k."""
    k = min_group_size()
    respondents = Response.objects.filter(survey=survey).count()
    results = SurveyResults(
        survey=survey,
        respondents=respondents,
        invited=survey.invitations.count(),
        min_group=k,
        questions=[],
    )
    if results.shown:
        results.questions = [
            question_result(question, k, seed=seed) for question in survey.questions.all()
        ]
    return results


def csv_rows(results: SurveyResults) -> list[list[str]]:
    """Rows of the CSV export: question, kind, group, answer, count, share or mean."""
    rows = [["Frage", "Art", "Gruppe", "Antwort", "Anzahl", "Anteil in %", "Mittelwert"]]
    if not results.shown:
        rows.append(
            [
                f"Weniger als {results.min_group} Antworten – keine Ergebnisse.",
                "",
                "",
                "",
                "",
                "",
                "",
            ]
        )
        return rows
    for item in results.questions:
        question = item.question
        kind = question.get_kind_display()
        if not item.shown:
            rows.append(
                [question.text, kind, "gesamt", "unterdrückt (zu wenige Antworten)", "", "", ""]
            )
            continue
        if item.mean is not None:
            rows.append(
                [question.text, kind, "gesamt", "", str(item.respondents), "", f"{item.mean:.2f}"]
            )
        for bar in item.bars:
            rows.append(
                [question.text, kind, "gesamt", bar.label, str(bar.count), f"{bar.percent:.1f}", ""]
            )
        for group in item.groups + item.role_groups:
            mean = f"{group.mean:.2f}" if group.mean is not None else ""
            rows.append([question.text, kind, group.name, "", str(group.count), "", mean])
        for text in item.texts:
            rows.append([question.text, kind, "gesamt", text, "", "", ""])
    return [[safe_cell(cell) for cell in row] for row in rows]
