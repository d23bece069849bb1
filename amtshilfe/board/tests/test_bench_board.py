"""The board benchmark's corpus and SQL count steps (amtshilfe/board/bench_corpus.py)."""

from __future__ import annotations

import argparse
from unittest import mock

from amtshilfe.board.bench import parse_args
from amtshilfe.board.bench_corpus import PAGES, worker_generate, worker_queries
from amtshilfe.board.models import Column, ServiceRequest
from amtshilfe.demo.loader import load_demo_network


def test_it_grows_a_consistent_corpus_and_counts_each_pages_sql(db):
    load_demo_network()
    first = worker_generate(argparse.Namespace(open=90, total=400))
    assert (first["open"], first["open_on_network_board"], first["total"]) == (90, 90, 400)
    second = worker_generate(argparse.Namespace(open=120, total=600))
    assert (second["open"], second["total"]) == (120, 600)
    numbers = list(ServiceRequest.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 600
    for column in Column.objects.all():
        cards = column.requests.order_by("position")
        assert list(cards.values_list("position", flat=True)) == list(range(cards.count()))
        expected = {"inbox": {"new"}, "done": {"done", "closed"}}.get(column.kind, {column.kind})
        assert set(cards.values_list("status", flat=True)) <= expected
    finished = ServiceRequest.objects.filter(status__in=ServiceRequest.FINISHED)
    assert not finished.filter(solved_at=None).exists()
    with mock.patch.dict(PAGES, {"board": "/kanban/", "list_first_page": "/anfragen/"}, clear=True):
        counted = worker_queries(argparse.Namespace())
    assert counted["board"]["status"] == counted["list_first_page"]["status"] == 200
    assert 0 < counted["list_first_page"]["queries"] < 40


def test_it_measures_the_sizes_of_the_task_by_default():
    args = parse_args([])
    assert (args.open, args.total, args.requests) == (2000, 50_000, 60)
    assert args.databases == "sqlite,postgresql"
