"""`amtshilfe eval-assistant`: output shape and figures on a tiny question file."""

from __future__ import annotations

import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from amtshilfe.assistant import bench
from amtshilfe.assistant.evaluation import percentile
from amtshilfe.assistant.tests.knowledge import make_knowledge


@pytest.fixture
def questions(personas, tmp_path):
    kb = make_knowledge(personas)
    path = tmp_path / "questions.jsonl"
    lines = [
        {
            "id": "q1",
            "question": "Wie füge ich einen Netzwerkdrucker unter Windows hinzu?",
            "gold": [kb.windows.slug],
            "kind": "paraphrase",
        },
        {
            "id": "q2",
            "question": "Wie verbinde ich mich im Homeoffice mit dem VPN-Client?",
            "gold": [kb.vpn.slug, kb.mac.slug],
            "kind": "multi",
        },
        {
            "id": "q3",
            "question": "Wie erstelle ich einen Serienbrief mit Word und Excel?",
            "gold": [],
            "kind": "no-answer",
        },
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    return path


def run(*args):
    out = StringIO()
    call_command("eval_assistant", *args, stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_the_figures_as_json(personas, questions):
    result = run(str(questions), "--network", "testkreis")
    assert result["questions"] == 3
    assert result["answerable"] == 2 and result["without_answer"] == 1
    assert result["first_citation_correct"] == 1.0
    assert result["any_citation_correct"] == 1.0
    assert result["answered_answerable"] == 1.0
    assert result["admitted_unknown"] == 1.0
    assert result["counts"]["admitted_unknown"] == 1
    assert set(result["latency_ms"]) == {"p50", "p95"}
    assert result["latency_ms"]["p95"] >= result["latency_ms"]["p50"] > 0
    assert "misses" not in result


def test_it_lists_misses_on_request(personas, questions):
    lines = questions.read_text().splitlines()
    wrong = json.loads(lines[0])
    wrong["gold"] = ["gibt-es-nicht"]
    questions.write_text("\n".join([json.dumps(wrong), *lines[1:]]) + "\n")
    result = run(str(questions), "--misses")
    assert result["first_citation_correct"] == 0.5
    assert [miss["id"] for miss in result["misses"]] == ["q1"]


def test_it_calibrates_with_cross_validation(personas, questions, tmp_path, monkeypatch):
    own = tmp_path / "own.jsonl"
    own.write_text(
        json.dumps({"id": "c1", "question": "Wie beantrage ich Sonderurlaub?", "gold": []})
        + "\n"
        + json.dumps({"id": "c2", "question": "Wo finde ich das Telefonbuch?", "gold": []})
        + "\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(bench, "CALIBRATION_QUESTIONS", own)
    result = run(str(questions), "--calibrate")
    for variant in ("with_similarity", "without_similarity"):
        assert set(result[variant]["cross_validated"]) == {
            "answered_answerable",
            "first_citation_correct",
            "admitted_unknown",
        }
        assert "threshold" in result[variant]["fitted"]
        # The own questions only train: the figures are the file's three questions.
        assert result[variant]["questions"] == 3
        assert result[variant]["training_only_questions"] == 2
    assert set(result["with_similarity"]["fitted"]["weights"]) == set(bench.FEATURES)


def _row(answerable, training_only=False, label=None):
    return {
        "answerable": answerable,
        "label": answerable if label is None else label,
        "training_only": training_only,
        "features": {},
    }


def test_the_threshold_keeps_the_answered_floor_of_the_files_questions():
    rows = [
        *(_row(True) for _ in range(4)),
        _row(True, training_only=True),
        _row(False),
        _row(False, training_only=True),
    ]
    p = np.array([0.9, 0.8, 0.6, 0.3, 0.1, 0.5, 0.2])
    # All four answerable questions of the file stay answered up to 0.30 (the own one at 0.1
    # does not count); from 0.21 on the no-answer question at 0.2 is admitted as well.
    assert bench.best_threshold(p, rows) == 0.21


def test_own_questions_are_in_no_fold_and_in_no_figure():
    rows = [_row(True) for _ in range(10)] + [_row(False, training_only=True) for _ in range(5)]
    folds = bench._folds(rows, seed=1)
    assert sorted(i for fold in folds for i in fold) == list(range(10))
    rows.append(_row(False))
    answered = [True] * 9 + [False] + [True] * 5 + [False]
    assert bench._figures(rows, answered) == {
        "answered_answerable": 0.9,
        "first_citation_correct": 0.9,
        "admitted_unknown": 1.0,
    }


def test_it_refuses_a_missing_file(personas, tmp_path):
    with pytest.raises(CommandError):
        run(str(tmp_path / "fehlt.jsonl"))


def test_it_computes_nearest_rank_percentiles():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile([], 0.5) is None
