"""`amtshilfe eval-assistant`: output shape and figures on a tiny question file."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

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


def test_it_calibrates_with_cross_validation(personas, questions):
    result = run(str(questions), "--calibrate")
    for variant in ("with_similarity", "without_similarity"):
        assert set(result[variant]["cross_validated"]) == {
            "answered_answerable",
            "first_citation_correct",
            "admitted_unknown",
        }
        assert "threshold" in result[variant]["fitted"]


def test_it_refuses_a_missing_file(personas, tmp_path):
    with pytest.raises(CommandError):
        run(str(tmp_path / "fehlt.jsonl"))


def test_it_computes_nearest_rank_percentiles():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile([], 0.5) is None
