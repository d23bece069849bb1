"""`POST /api/v1/triage`: which topic cluster a problem belongs to and who could help.

Only reads: nothing is filed, no history, no audit event. The answer is what filing the
same text would decide (``board.triage.classify`` with the network board's threshold):
``cluster`` is null below the threshold, ``best_cluster`` is the guess anyway. The
suggested experts are the people of that cluster (``board.triage.suggest_experts``) – by
construction members of the caller's network only.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from amtshilfe.board.triage import TriageResult, classify, suggest_experts, workload
from amtshilfe.tenancy.access import is_network_member
from amtshilfe.tenancy.current import current_network

router = Router(tags=["triage"])
logger = logging.getLogger(__name__)

MAX_TITLE = 200  # as ServiceRequest.title
MAX_DESCRIPTION = 20_000  # as file_request's check
MAX_EXPERTS = 5


class TriageIn(Schema):
    title: str
    description: str = ""


class ExpertOut(Schema):
    user_id: int
    username: str
    name: str
    municipality: str | None
    score: float
    explanation: str
    absent_until: str | None


class RankedCluster(Schema):
    slug: str
    name: str
    probability: float


class TriageOut(Schema):
    cluster: str | None
    cluster_name: str | None
    confidence: float
    best_cluster: str | None
    threshold_reached: bool
    ranking: list[RankedCluster]
    suggested_experts: list[ExpertOut]


def _validated(payload: TriageIn) -> tuple[str, str]:
    title, description = payload.title.strip(), payload.description.strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "Bitte beschreiben Sie Ihr Anliegen in einem kurzen Betreff."
    elif len(title) > MAX_TITLE:
        errors["title"] = f"Der Betreff darf höchstens {MAX_TITLE} Zeichen lang sein."
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = "Die Beschreibung ist zu lang (höchstens 20.000 Zeichen)."
    if errors:
        raise ValidationError(errors)
    return title, description


@router.post(
    "",
    response=TriageOut,
    summary="Themencluster und passende IT-Fachkräfte vorschlagen (ohne etwas anzulegen)",
)
def triage_text(request: HttpRequest, payload: TriageIn) -> TriageOut:
    network = current_network(request)
    if network is None or not is_network_member(request.user, network):
        raise HttpError(404, "Sie gehören keinem Netzwerk an.")
    title, description = _validated(payload)
    try:
        result = classify(network=network, title=title, description=description)
    except Exception:  # like filing: a broken classifier means "a person decides"
        logger.exception("triage failed in the API")
        result = TriageResult(cluster=None, confidence=0.0, best_cluster=None, ranking=[])
    target = result.cluster or result.best_cluster
    experts = []
    if target is not None:
        open_work, municipality_load = workload(network)
        experts = suggest_experts(
            network=network,
            cluster=target,
            text=f"{title}\n\n{description}",
            limit=MAX_EXPERTS,
            open_work=open_work,
            municipality_load=municipality_load,
        )
    return TriageOut(
        cluster=result.cluster.slug if result.cluster else None,
        cluster_name=result.cluster.name if result.cluster else None,
        confidence=round(result.confidence, 4),
        best_cluster=result.best_cluster.slug if result.best_cluster else None,
        threshold_reached=result.cluster is not None,
        ranking=[
            RankedCluster(slug=c.slug, name=c.name, probability=round(p, 4))
            for c, p in result.ranking[:3]
        ],
        suggested_experts=[
            ExpertOut(
                user_id=s.user.pk,
                username=s.user.get_username(),
                name=s.user.full_name,
                municipality=s.municipality.name if s.municipality else None,
                score=round(s.score, 3),
                explanation=s.explanation,
                absent_until=s.absent_until.isoformat() if s.absent_until else None,
            )
            for s in experts
        ],
    )
