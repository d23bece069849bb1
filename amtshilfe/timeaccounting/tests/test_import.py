"""CSV import: line numbers and German reasons, all-or-nothing, --skip-invalid, idempotency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amtshilfe.core.models import AuditEvent
from amtshilfe.timeaccounting.csv_import import import_time_entries
from amtshilfe.timeaccounting.models import TimeEntry
from amtshilfe.timeaccounting.tests.times import close_october, request_of_b

pytestmark = pytest.mark.django_db

HEADER = "Datum;Person;leistende Kommune;empfangende Kommune;Minuten;Tätigkeit;Anfrage;Notiz\n"


def run(personas, text, **kwargs):
    return import_time_entries(actor=None, network=personas.network, data=text, **kwargs)


def test_it_imports_valid_lines_with_every_way_of_naming_things(personas):
    request = request_of_b(personas)
    n = request.number
    text = HEADER + (
        f"2026-11-02;alice;riesa;meissen;90;support;#{n};Drucker\n"
        f"03.11.2026;ALICE;14627230;Meißen;30;Anfragebearbeitung;{n};\n"
        "04.11.2026;dora;meissen;netzwerk;45;Wissensartikel;;Artikel geschrieben\n"
    )
    result = run(personas, ("\ufeff" + text).encode())
    assert (result.lines, result.valid, result.imported, result.errors) == (3, 3, 3, [])
    first, second, third = TimeEntry.objects.order_by("date")
    assert first.request == request and first.cluster == personas.cluster
    assert (first.providing_municipality, first.receiving_municipality) == (personas.a, personas.b)
    assert second.minutes == 30 and second.source == "import" and len(second.import_key) == 64
    assert third.person == personas.dora and third.receiving_municipality is None
    assert third.activity == "article"
    event = AuditEvent.objects.get(action="time_entries.imported")
    assert event.after["imported"] == 3 and "minutes" not in str(event.after)


def test_it_reports_every_bad_line_with_number_and_reason_and_imports_nothing(personas):
    request = request_of_b(personas)
    text = (
        "date,person,providing,receiving,minutes,activity,request,note\n"
        "2026-11-02,alice,riesa,meissen,90,support,,ok\n"
        "2026-13-02,alice,riesa,meissen,90,support,,\n"
        "2026-11-02,niemand,riesa,meissen,90,support,,\n"
        "2026-11-02,alice,nirgendwo,meissen,0,kaffee,,\n"
        "2026-11-02,bob,riesa,netzwerk,60,support,,\n"
        f"2030-01-01,alice,riesa,riesa,60,support,#{request.number},\n"
        f"2026-11-02,alice,riesa,netzwerk,60,support,#{request.number},\n"
        "2026-11-02,alice,riesa,meissen,60,support,#999,\n"
    )
    result = run(personas, text)
    assert result.refused and result.imported == 0 and not TimeEntry.objects.exists()
    reasons = {error.line: error.message for error in result.errors}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9]
    assert "Datum „2026-13-02“ ist ungültig" in reasons[3]
    assert "Person „niemand“" in reasons[4]
    assert "Leistende Kommune „nirgendwo“" in reasons[5]
    assert "Minuten „0“" in reasons[5] and "Tätigkeit „kaffee“" in reasons[5]
    assert "keine IT-Fachkraft" in reasons[6]
    assert "Zukunft" in reasons[7] and "gehört nicht zur empfangenden Kommune" in reasons[7]
    assert "Netzwerk hat keine Anfrage" in reasons[8]
    assert "Anfrage „#999“ gibt es nicht" in reasons[9]
    assert str(result.errors[0]).startswith("Zeile 3: ")


def test_it_imports_the_valid_lines_with_skip_invalid(personas):
    text = (
        HEADER
        + "2026-11-02;alice;riesa;meissen;90;support;;\nkaputt;alice;riesa;riesa;1;support;;\n"
    )
    result = run(personas, text, skip_invalid=True)
    assert (result.imported, result.error_count, result.refused) == (1, 1, False)
    assert TimeEntry.objects.count() == 1


def test_it_refuses_lines_in_closed_ranges(personas):
    close_october(personas)
    result = run(personas, HEADER + "31.10.2026;alice;riesa;meissen;90;support;;\n")
    assert result.refused and "abgeschlossenen" in result.errors[0].message


def test_it_adds_nothing_when_the_same_file_is_imported_again(personas):
    text = HEADER + (
        "2026-11-02;alice;riesa;meissen;90;support;;\n"
        "2026-11-02;alice;riesa;meissen;90;support;;\n"  # the same work twice: two entries
    )
    assert run(personas, text).imported == 2
    again = run(personas, text)
    assert (again.imported, again.already_imported) == (0, 2)
    # The same line written differently is the same line.
    other_spelling = HEADER + "02.11.2026;Alice;Riesa;14627140;90;Anfragebearbeitung;;\n"
    assert run(personas, other_spelling).imported == 0
    assert TimeEntry.objects.count() == 2


def test_it_counts_only_on_a_dry_run(personas):
    result = run(personas, HEADER + "2026-11-02;alice;riesa;meissen;90;support;;\n", dry_run=True)
    assert (result.valid, result.imported) == (1, 0) and not TimeEntry.objects.exists()


def test_it_explains_file_level_problems(personas):
    with pytest.raises(ValidationError, match="nicht UTF-8"):
        run(personas, HEADER.encode("utf-8") + "2026-11-02;jörg".encode("latin-1"))
    with pytest.raises(ValidationError, match="fehlen die Spalten: Minuten"):
        run(personas, "Datum;Person;leistende Kommune;empfangende Kommune;Tätigkeit\n")
    with pytest.raises(ValidationError, match="leer"):
        run(personas, b"")


def test_it_works_from_the_command_line(personas, tmp_path, capsys):
    good = tmp_path / "gut.csv"
    good.write_text(HEADER + "2026-11-02;alice;riesa;meissen;90;support;;\n", encoding="utf-8")
    call_command("import_time_entries", str(good), "--network", "testkreis")
    assert "1 neu importiert" in capsys.readouterr().out
    bad = tmp_path / "schlecht.csv"
    bad.write_text(HEADER + "2026-11-02;alice;riesa;meissen;0;support;;\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nichts importiert: 1 Zeile"):
        call_command("import_time_entries", str(bad), "--network", "testkreis")
    assert "Zeile 2: Minuten „0“" in capsys.readouterr().err
    assert TimeEntry.objects.count() == 1


LINE = st.tuples(
    st.dates(min_value=dt.date(2026, 2, 1), max_value=dt.date(2026, 11, 18)),
    st.sampled_from(["alice", "dora"]),
    st.sampled_from(["meissen", "riesa", "netzwerk"]),
    st.integers(min_value=-3, max_value=1500),
    st.sampled_from(["support", "article", "Schulung", "unbekannt"]),
    st.text(alphabet="abc ;,\"'", max_size=6),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(LINE, max_size=12))
def test_it_is_all_or_nothing_and_idempotent_on_generated_files(personas, lines):
    """Property: with errors nothing is imported; valid files import each line once, ever."""
    TimeEntry.objects.all().delete()
    employer = {"alice": "riesa", "dora": "meissen"}
    rows = ["Datum,Person,leistend,empfangend,Minuten,Tätigkeit,Anfrage,Notiz"]
    for day, person, taker, minutes, activity, note in lines:
        quoted = '"' + note.replace('"', '""') + '"'
        rows.append(
            f"{day.isoformat()},{person},{employer[person]},{taker},{minutes},{activity},,{quoted}"
        )
    text = "\n".join(rows) + "\n"
    bad = sum(1 for line in lines if not 1 <= line[3] <= 1440 or line[4] == "unbekannt")
    result = run(personas, text)
    if bad:
        assert result.refused and result.error_count == bad
        assert TimeEntry.objects.count() == 0
        result = run(personas, text, skip_invalid=True)
    assert result.imported == len(lines) - bad == TimeEntry.objects.count()
    again = run(personas, text, skip_invalid=True)
    assert again.imported == 0 and again.already_imported == len(lines) - bad
    assert TimeEntry.objects.count() == len(lines) - bad
