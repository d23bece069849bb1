"""Results: nothing under five answers (overall, per question, per municipality), CSV too."""

from __future__ import annotations

import csv
import io

import pytest

from amtshilfe.conftest import Personas
from amtshilfe.surveys.models import Survey
from amtshilfe.surveys.results import suppress_small_groups, survey_results
from amtshilfe.surveys.tests.factories import answer_as, open_with, people, survey_with_questions

XSS = '<script>alert("antwort")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def survey(personas: Personas) -> Survey:
    people(personas, personas.a, 3)  # A: alice, bob, coordinator, auditor + 3 = 7
    people(personas, personas.b, 2)  # B: charlie, dora, steering + 2 = 5
    return open_with(personas, survey_with_questions(personas))


def csv_of(personas: Personas, survey: Survey) -> list[list[str]]:
    response = personas.client(personas.coordinator).get(
        f"/umfragen/verwaltung/{survey.pk}/ergebnisse.csv"
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_it_shows_nothing_under_five_answers(personas: Personas, survey: Survey) -> None:
    for user, value in [
        (personas.bob, 1),
        (personas.alice, 5),
        (personas.auditor, 4),
        (personas.charlie, 2),
    ]:
        answer_as(user, survey, value, text="geheim")
    response = personas.client(personas.coordinator).get(
        f"/umfragen/verwaltung/{survey.pk}/ergebnisse/"
    )
    html = response.content.decode()
    assert 'data-suppressed="survey"' in html
    assert "geheim" not in html and "Mittelwert</" not in html and "<svg" not in html
    rows = csv_of(personas, survey)
    assert len(rows) == 2 and "Weniger als 5" in rows[1][0]
    assert "geheim" not in str(rows)


def test_it_shows_mean_and_distribution_from_five_answers(
    personas: Personas, survey: Survey
) -> None:
    for user, value in [
        (personas.bob, 1),
        (personas.alice, 5),
        (personas.auditor, 4),
        (personas.charlie, 4),
        (personas.dora, 2),
    ]:
        answer_as(user, survey, value)
    results = survey_results(survey)
    scale = results.questions[0]
    assert scale.shown and scale.respondents == 5
    assert scale.mean == pytest.approx(16 / 5)
    assert [(bar.count, bar.percent) for bar in scale.bars] == [
        (1, 20.0),
        (1, 20.0),
        (0, 0.0),
        (2, 40.0),
        (1, 20.0),
    ]
    multiple = results.questions[2]
    assert [bar.count for bar in multiple.bars] == [5, 0, 5]
    text = results.questions[3]
    assert not text.shown  # nobody wrote a free text
    html = (
        personas.client(personas.steering)
        .get(f"/umfragen/verwaltung/{survey.pk}/ergebnisse/")
        .content.decode()
    )
    assert '<svg class="survey-chart"' in html and 'aria-hidden="true"' in html
    assert "<caption>Verteilung der Antworten</caption>" in html
    assert "3,2" in html  # German decimal comma


def test_it_suppresses_small_municipalities_and_their_complement(
    personas: Personas, survey: Survey
) -> None:
    from amtshilfe.accounts.models import User

    in_a = User.objects.filter(memberships__municipality=personas.a).distinct()
    for user in in_a[:5]:
        answer_as(user, survey, 4)
    answer_as(personas.charlie, survey, 1)
    answer_as(personas.dora, survey, 1)
    scale = survey_results(survey).questions[0]
    assert scale.respondents == 7
    # B has 2 answers: hidden; then A (5) would reveal B as total minus A: hidden too.
    assert scale.groups == [] and scale.hidden_groups == 2
    # Roles: 5 staff (A has alice as IT, so count what the data says) – never a group under 5.
    assert all(group.count >= 5 for group in scale.role_groups)
    for row in csv_of(personas, survey):
        assert row[2] in ("Gruppe", "gesamt")


def test_it_shows_municipalities_with_five_answers_each(personas: Personas, survey: Survey) -> None:
    from amtshilfe.accounts.models import User

    answered = []
    for municipality, value in [(personas.a, 4), (personas.b, 2)]:
        for user in User.objects.filter(memberships__municipality=municipality).distinct()[:5]:
            answer_as(user, survey, value)
            answered.append(user)
    scale = survey_results(survey).questions[0]
    assert [(g.name, g.count, g.mean) for g in scale.groups] == [
        ("Meißen", 5, 2.0),
        ("Riesa", 5, 4.0),
    ]
    rows = csv_of(personas, survey)
    assert ["Wie zufrieden sind Sie?", "Skala 1 bis 5", "Riesa", "", "5", "", "4.00"] in rows
    roles = {(g.name, g.count) for g in scale.role_groups}
    staff = sum(1 for u in answered if u.memberships.filter(role="staff").exists())
    it = len(answered) - staff
    both = {("Verwaltung", staff), ("IT-Fachkraft", it)}
    assert roles == (both if staff >= 5 and it >= 5 else set())  # under 5: both hidden


@pytest.mark.parametrize(
    ("groups", "total", "shown", "hidden"),
    [
        ([("A", 6, 1.0), ("B", 5, 1.0)], 11, ["A", "B"], 0),
        ([("A", 6, 1.0), ("B", 2, 1.0)], 8, [], 2),
        ([("A", 6, 1.0), ("B", 5, 1.0), ("C", 3, 1.0)], 14, ["A"], 2),
        ([("A", 6, 1.0), ("B", 3, 1.0), ("C", 3, 1.0)], 12, ["A"], 2),
        ([("A", 5, 1.0)], 5, ["A"], 0),
    ],
)
def test_it_applies_complementary_suppression(
    groups: list[tuple[str, int, float]], total: int, shown: list[str], hidden: int
) -> None:
    found, hidden_count = suppress_small_groups(groups, total, 5)
    assert [group.name for group in found] == shown and hidden_count == hidden


def test_it_lists_free_texts_inert_and_without_metadata(personas: Personas, survey: Survey) -> None:
    users = [personas.bob, personas.alice, personas.auditor, personas.charlie, personas.dora]
    for index, user in enumerate(users):
        answer_as(user, survey, 3, text=f"Text {index} {XSS}")
    html = (
        personas.client(personas.coordinator)
        .get(f"/umfragen/verwaltung/{survey.pk}/ergebnisse/")
        .content.decode()
    )
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;antwort&quot;)&lt;/script&gt;" in html
    section = html[html.index("Was fehlt?") :]
    assert "bob" not in section.lower() and "Riesa" not in section
    rows = csv_of(personas, survey)
    assert sum(1 for row in rows if row[3].startswith("Text ")) == 5


def test_it_neutralises_formulas_in_the_csv(personas: Personas, survey: Survey) -> None:
    users = [personas.bob, personas.alice, personas.auditor, personas.charlie, personas.dora]
    for user in users:
        answer_as(user, survey, 3, text='=HYPERLINK("http://x")')
    rows = csv_of(personas, survey)
    assert all(not row[3].startswith("=") for row in rows)


def test_it_renders_results_in_a_bounded_number_of_queries(
    personas: Personas, survey: Survey, django_assert_max_num_queries
) -> None:
    users = [personas.bob, personas.alice, personas.auditor, personas.charlie, personas.dora]
    for user in users:
        answer_as(user, survey, 4, text="Gut")
    client = personas.client(personas.coordinator)
    with django_assert_max_num_queries(30):
        assert client.get(f"/umfragen/verwaltung/{survey.pk}/ergebnisse/").status_code == 200


def test_it_breaks_down_by_role_from_five_each(personas: Personas, survey: Survey) -> None:
    people(personas, personas.b, 3, role="it")  # IT: alice, dora + 3
    survey = open_with(personas, survey_with_questions(personas, title="Nach Rollen"))
    from amtshilfe.accounts.models import User

    staff = User.objects.filter(memberships__role="staff").distinct()[:5]
    it = User.objects.filter(memberships__role="it").distinct()[:5]
    for user in staff:
        answer_as(user, survey, 5)
    for user in it:
        answer_as(user, survey, 3)
    scale = survey_results(survey).questions[0]
    assert {(g.name, g.count, g.mean) for g in scale.role_groups} == {
        ("Verwaltung", 5, 5.0),
        ("IT-Fachkraft", 5, 3.0),
    }
    html = (
        personas.client(personas.coordinator)
        .get(f"/umfragen/verwaltung/{survey.pk}/ergebnisse/")
        .content.decode()
    )
    assert "<caption>Mittelwert nach Rolle</caption>" in html
