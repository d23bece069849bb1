"""`amtshilfe eval-triage`: cross-validated triage quality as JSON."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from amtshilfe.board.tests.test_triage import Kb, make_kb
from amtshilfe.board.triage import evaluation
from amtshilfe.board.triage.evaluation import stratified_folds

REQUESTS = [
    ("VPN bricht ab", "Der VPN-Client trennt im Homeoffice die Verbindung.", "vpn"),
    ("VPN-Zertifikat", "Das VPN meldet ein ungültiges Zertifikat.", "vpn"),
    ("Homeoffice ohne Netz", "Die VPN-Verbindung kommt nicht zustande.", "vpn"),
    ("Passwort vergessen", "Ich habe mein Passwort vergessen.", "accounts"),
    ("Konto gesperrt", "Mein Konto ist nach falschen Anmeldungen gesperrt.", "accounts"),
    ("Kennwort ändern", "Wie setze ich mein Passwort im Portal zurück?", "accounts"),
    ("Drucker streikt", "Der Druckauftrag hängt in der Warteschlange.", "printer"),
    ("Toner leer", "Der Drucker meldet Toner leer.", "printer"),
    ("Druckerwarteschlange", "Druckaufträge bleiben hängen.", "printer"),
]


@pytest.fixture
def kb(personas) -> Kb:
    return make_kb(personas)


def write_requests(tmp_path, kb: Kb, rows=REQUESTS):
    path = tmp_path / "requests.jsonl"
    lines = [
        json.dumps(
            {
                "id": f"r{i}",
                "title": title,
                "description": description,
                "expected_cluster": getattr(kb, cluster).slug,
            },
            ensure_ascii=False,
        )
        for i, (title, description, cluster) in enumerate(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args: str) -> dict:
    out = StringIO()
    call_command("eval_triage", *args, stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_accuracy_confusion_and_coverage_as_json(personas, kb, tmp_path):
    path = write_requests(tmp_path, kb)
    result = run(str(path), "--folds", "3", "--network", "testkreis", "--threshold", "0.5")
    assert (result["n"], result["folds"], result["seed"]) == (9, 3, 0)
    assert result["model"] == "hashing-v1"
    assert result["accuracy"] == 1.0  # the nine requests are easy
    slugs = {kb.printer.slug, kb.accounts.slug, kb.vpn.slug}
    assert set(result["per_cluster"]) == slugs
    assert set(result["per_cluster"][kb.vpn.slug]) == {"precision", "recall", "support"}
    assert result["per_cluster"][kb.vpn.slug]["support"] == 3
    assert set(result["confusion"]) == slugs
    assert sum(sum(row.values()) for row in result["confusion"].values()) == 9
    correct = sum(result["confusion"][slug].get(slug, 0) for slug in slugs)
    assert result["accuracy"] == round(correct / 9, 4)
    at = result["at_threshold"]
    assert at["threshold"] == 0.5 and at["routed"] + at["to_triage"] == 9
    assert [row["threshold"] for row in result["by_threshold"]] == list(evaluation.CURVE)
    assert set(result["latency_ms"]) >= {"p50", "p95"}
    assert "misses" not in result
    assert "misses" in run(str(path), "--folds", "3", "--misses")


def test_it_never_trains_on_requests_stored_in_the_network(personas, kb, tmp_path, monkeypatch):
    def forbidden(network):
        raise AssertionError("evaluation must not read labelled requests of the network")

    monkeypatch.setattr("amtshilfe.board.triage.routing.labelled_examples", forbidden)
    monkeypatch.setattr("amtshilfe.board.triage.knowledge.labelled_examples", forbidden)
    seen = []
    real = evaluation.Triage

    def spy(knowledge, examples):
        seen.append([text for text, _cluster in examples])
        return real(knowledge, examples)

    monkeypatch.setattr(evaluation, "Triage", spy)
    run(str(write_requests(tmp_path, kb)), "--folds", "3")
    assert len(seen) == 3
    texts = {f"{title}: {description}" for title, description, _c in REQUESTS}
    for fold in seen:  # each fold learns from the other two thirds, never from itself
        assert len(fold) == 6 and set(fold) <= texts
    assert set().union(*map(set, seen)) == texts


def test_it_refuses_clusters_the_network_does_not_have(personas, kb, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        json.dumps({"title": "x", "description": "", "expected_cluster": "gibt-es-nicht"}) + "\n"
    )
    with pytest.raises(CommandError, match="gibt-es-nicht"):
        run(str(path))
    with pytest.raises(CommandError, match="nicht gefunden"):
        run(str(tmp_path / "fehlt.jsonl"))


def test_it_deals_folds_stratified_and_reproducibly():
    labels = ["a"] * 5 + ["b"] * 5 + ["c"] * 3
    folds = stratified_folds(labels, 5, seed=7)
    assert folds == stratified_folds(labels, 5, seed=7)
    assert folds != stratified_folds(labels, 5, seed=8)
    for label in "ab":
        assert sorted(f for f, item in zip(folds, labels, strict=True) if item == label) == [
            0,
            1,
            2,
            3,
            4,
        ]
    assert sorted(folds.count(f) for f in range(5)) == [2, 2, 3, 3, 3]
