"""Automatic triage of requests to topic clusters, and who could help (ADR 0009).

- ``classify(network=, title=, description=)`` → ``TriageResult`` (cluster or None, confidence,
  best cluster, ranking); the model is trained per network on first use and cached.
- ``labelled_examples(network)``: the requests people have classified, as (text, cluster id).
- ``suggest_experts(network=, cluster=, text=, …)`` → ranked ``Suggestion``s with a German
  explanation; ``workload(network)`` fills its ``open_work`` and ``municipality_load``.
"""

from amtshilfe.board.triage.knowledge import labelled_examples
from amtshilfe.board.triage.routing import DEFAULT_THRESHOLD, TriageResult, classify
from amtshilfe.board.triage.suggestions import Suggestion, suggest_experts, workload

__all__ = [
    "DEFAULT_THRESHOLD",
    "Suggestion",
    "TriageResult",
    "classify",
    "labelled_examples",
    "suggest_experts",
    "workload",
]
