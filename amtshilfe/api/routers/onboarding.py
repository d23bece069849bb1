"""`/api/v1/onboarding`: onboarding plans and the aggregated learning curve.

The same rules as the pages (``onboarding/access.py``): a plan is seen by its newcomer, its
mentor, the cluster's topic owners and the coordination (everybody else: 404); newcomer and
mentor tick items (others: 403). The learning curve is aggregated with small groups
suppressed; it is read by the coordination, the steering group and the auditors.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from amtshilfe.accounts.models import User
from amtshilfe.onboarding import access
from amtshilfe.onboarding.metrics import LearningCurveRow, learning_curve
from amtshilfe.onboarding.models import OnboardingPlan, PlanItem
from amtshilfe.onboarding.services import complete_plan_item, reopen_plan_item
from amtshilfe.tenancy.access import can_read_network_admin, is_network_member
from amtshilfe.tenancy.current import current_network
from amtshilfe.tenancy.models import Network

router = Router(tags=["onboarding"])


class PersonOut(Schema):
    id: int
    name: str


class PlanItemOut(Schema):
    id: int
    position: int
    kind: str
    kind_label: str
    title: str
    description: str
    article: str | None
    person: PersonOut | None
    done_at: dt.datetime | None
    done_by: PersonOut | None
    note: str


class PlanOut(Schema):
    id: int
    cluster: str
    cluster_name: str
    newcomer: PersonOut
    mentor: PersonOut
    status: str
    started_on: dt.date
    due_on: dt.date | None
    completed_on: dt.date | None
    items_total: int
    items_done: int
    can_tick: bool


class PlanDetailOut(PlanOut):
    items: list[PlanItemOut]


class TickIn(Schema):
    note: str = ""


class GroupFigureOut(Schema):
    count: int | None
    median_days: float | None
    suppressed: bool


class LearningCurveOut(Schema):
    cluster: str
    year: int
    quarter: int
    completed_plans: GroupFigureOut
    first_solved_request: GroupFigureOut


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # TokenAuth set it
    return user


def _network(request: HttpRequest) -> Network:
    network = current_network(request)
    if network is None or not is_network_member(request.user, network):
        raise HttpError(404, "Sie gehören keinem Netzwerk an.")
    return network


def _person(user: User | None) -> PersonOut | None:
    return PersonOut(id=user.pk, name=user.full_name) if user else None


def _plan_out(plan: OnboardingPlan, user: User) -> PlanOut:
    items = list(plan.items.all())
    return PlanOut(
        id=plan.pk,
        cluster=plan.cluster.slug,
        cluster_name=plan.cluster.name,
        newcomer=PersonOut(id=plan.newcomer.pk, name=plan.newcomer.full_name),
        mentor=PersonOut(id=plan.mentor.pk, name=plan.mentor.full_name),
        status=plan.status,
        started_on=plan.started_on,
        due_on=plan.due_on,
        completed_on=plan.completed_on,
        items_total=len(items),
        items_done=sum(1 for item in items if item.done_at is not None),
        can_tick=access.can_tick(user, plan) and plan.status != OnboardingPlan.Status.CANCELLED,
    )


def _item_out(item: PlanItem) -> PlanItemOut:
    return PlanItemOut(
        id=item.pk,
        position=item.position,
        kind=item.kind,
        kind_label=item.get_kind_display(),
        title=item.title,
        description=item.description,
        article=item.article.slug if item.article else None,
        person=_person(item.person),
        done_at=item.done_at,
        done_by=_person(item.done_by),
        note=item.note,
    )


def _detail(plan_id: int, user: User, network: Network) -> PlanDetailOut:
    plan, _can_tick = access.get_plan_for_user(user, network, plan_id)
    items = plan.items.select_related("article", "person", "done_by").order_by("position")
    return PlanDetailOut(
        **_plan_out(plan, user).model_dump(), items=[_item_out(item) for item in items]
    )


@router.get("/plans", response=list[PlanOut], summary="Sichtbare Einarbeitungspläne")
def list_plans(request: HttpRequest) -> list[PlanOut]:
    user, network = _user(request), _network(request)
    plans = (
        OnboardingPlan.objects.visible_to(user, network)
        .select_related("cluster", "newcomer", "mentor")
        .prefetch_related("items")
        .order_by("cluster__name", "started_on", "pk")
    )
    return [_plan_out(plan, user) for plan in plans]


@router.get("/plans/{plan_id}", response=PlanDetailOut, summary="Ein Plan mit seiner Checkliste")
def get_plan(request: HttpRequest, plan_id: int) -> PlanDetailOut:
    user, network = _user(request), _network(request)
    return _detail(plan_id, user, network)


def _item_rw(request: HttpRequest, plan_id: int, item_id: int) -> tuple[User, Network, PlanItem]:
    user, network = _user(request), _network(request)
    plan = access.get_plan_for_user_rw(user, network, plan_id)
    return user, network, get_object_or_404(PlanItem, pk=item_id, plan=plan)


@router.post(
    "/plans/{plan_id}/items/{item_id}/done",
    response=PlanDetailOut,
    summary="Punkt abhaken (neue Person oder Mentor/in)",
)
def tick(request: HttpRequest, plan_id: int, item_id: int, payload: TickIn) -> PlanDetailOut:
    user, network, item = _item_rw(request, plan_id, item_id)
    complete_plan_item(actor=user, item=item, note=payload.note)
    return _detail(plan_id, user, network)


@router.post(
    "/plans/{plan_id}/items/{item_id}/reopen",
    response=PlanDetailOut,
    summary="Punkt wieder öffnen (neue Person oder Mentor/in)",
)
def untick(request: HttpRequest, plan_id: int, item_id: int) -> PlanDetailOut:
    user, network, item = _item_rw(request, plan_id, item_id)
    reopen_plan_item(actor=user, item=item)
    return _detail(plan_id, user, network)


@router.get(
    "/learning-curve",
    response=list[LearningCurveOut],
    summary="Lernkurve je Cluster und Quartal (nur Aggregate, kleine Gruppen unterdrückt)",
)
def get_learning_curve(request: HttpRequest) -> list[LearningCurveRow]:
    user, network = _user(request), _network(request)
    if not can_read_network_admin(user, network):
        raise PermissionDenied
    return learning_curve(network)
