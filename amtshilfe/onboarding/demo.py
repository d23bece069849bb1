"""Demo content of onboarding for the demo network (called by ``demo/loader.py``).

Through the services, like a topic owner and the coordination would do it:

1. every active cluster with a topic owner gets a checklist template – its first published
   network-wide articles to read, meeting the topic owner, shadowing a first request, the
   expert profile;
2. four plans: three running with partial progress (one for the demo login ``it.radebeul``,
   mentored by ``it.riesa``) and one completed;
3. a wave of newcomers (``newcomer_wave``): in the cluster and quarter where most IT
   specialists solved their first request of the demo history, each of them (not the topic
   owners, at most ``WAVE_SIZE``) was onboarded – the plan started some days before that
   first request and was completed after it (at the latest yesterday) – so the learning
   curve ("time until the first solved request", groups under k suppressed) shows a value.

Idempotent: nothing happens when the network already has a checklist template.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Min
from django.utils import timezone

from amtshilfe.accounts.models import User
from amtshilfe.board.models import ServiceRequest
from amtshilfe.experts.models import ClusterMembership, TopicCluster
from amtshilfe.onboarding.models import ChecklistTemplate, ItemKind, OnboardingPlan, PlanItem
from amtshilfe.onboarding.services import add_template_item, complete_plan_item, start_onboarding
from amtshilfe.tenancy.access import is_it_specialist
from amtshilfe.tenancy.models import Membership, Network
from amtshilfe.wiki.models import Article

WAVE_SIZE = 6
# days from a wave plan's start to the newcomer's first solved request, and on to completion
WAVE_LEAD_DAYS = (9, 14, 21, 12, 17, 25)
WAVE_FINISH_DAYS = (6, 10, 4, 12, 8, 5)
# (cluster, newcomer, preferred mentor, started days ago, items done, completed days ago)
PLANS = [
    ("arbeitsplatz-drucker", "it.radebeul", "it.riesa", 20, 2, None),
    ("netzwerk-vpn", "l.becker", "a.kuehn", 12, 1, None),
    ("konten-passwoerter", "c.peters", "k.scholz", 4, 0, None),
    ("email-kalender", "t.koenig", "s.wendt", 70, None, 30),
]


def _owner(cluster: TopicCluster) -> User | None:
    membership = (
        ClusterMembership.objects.filter(cluster=cluster, role=ClusterMembership.Role.OWNER)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return membership.user if membership else None


def _template(cluster: TopicCluster, owner: User) -> int:
    articles = (
        Article.objects.in_network(cluster.network)
        .published()
        .filter(
            cluster=cluster, visibility__in=[Article.Visibility.PUBLIC, Article.Visibility.NETWORK]
        )
        .order_by("title")[:2]
    )
    created = 0
    for article in articles:
        add_template_item(
            actor=owner,
            cluster=cluster,
            kind=ItemKind.ARTICLE,
            title=f"„{article.title}“ lesen",
            description="Notieren Sie Fragen für das nächste Treffen mit Ihrem Mentor.",
            article=article,
        )
        created += 1
    add_template_item(
        actor=owner,
        cluster=cluster,
        kind=ItemKind.PERSON,
        title=f"{owner.full_name} kennenlernen",
        description="Ein kurzes Gespräch (Telefon oder Video): Wer macht was im Cluster?",
        person=owner,
    )
    add_template_item(
        actor=owner,
        cluster=cluster,
        kind=ItemKind.SHADOW,
        title="Eine erste Anfrage begleiten",
        description="Schauen Sie bei einer typischen Anfrage des Clusters über die Schulter – "
        "vom **Eingang** bis zur Erledigung.",
    )
    add_template_item(
        actor=owner,
        cluster=cluster,
        kind=ItemKind.TASK,
        title="Expertenprofil ergänzen",
        description="Fähigkeiten und zugesagte Stunden im Profil eintragen.",
    )
    return created + 3


def _mentor(cluster: TopicCluster, preferred: str, newcomer: User) -> User | None:
    people = ClusterMembership.objects.filter(cluster=cluster).exclude(user=newcomer)
    chosen = people.filter(user__username=preferred).first() or people.order_by("id").first()
    return chosen.user if chosen else None


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def load_demo(network: Network, *, today: dt.date) -> int:
    """Create what is missing of this app's demo content; returns how many rows were created.

    Idempotent: a second call creates nothing. Reads people, municipalities, clusters and
    requests of ``network`` from the database (the loader has created them before).
    """
    if ChecklistTemplate.objects.filter(network=network).exists():
        return 0
    created = 0
    clusters = {c.slug: c for c in TopicCluster.objects.in_network(network).active()}
    for cluster in clusters.values():
        owner = _owner(cluster)
        if owner is not None:
            created += _template(cluster, owner)
    for slug, username, mentor_name, started, done, completed in PLANS:
        target = clusters.get(slug)
        newcomer = User.objects.filter(username=username).first()
        if target is None or newcomer is None or not is_it_specialist(newcomer, network):
            continue
        owner, mentor = _owner(target), _mentor(target, mentor_name, newcomer)
        if owner is None or mentor is None:
            continue
        started_on = today - dt.timedelta(days=started)
        plan = start_onboarding(
            actor=owner,
            cluster=target,
            newcomer=newcomer,
            mentor=mentor,
            started_on=started_on,
            due_on=started_on + dt.timedelta(days=60),
        )
        created += 1 + plan.items.count()
        items = list(PlanItem.objects.filter(plan=plan).order_by("position"))
        count = len(items) if completed is not None else min(done or 0, len(items))
        finish = today - dt.timedelta(days=completed) if completed is not None else today
        for index, item in enumerate(items[:count]):
            # spread the ticks between the start and the last day, newcomer and mentor alike
            day = started_on + (finish - started_on) * (index + 1) // max(count, 1)
            actor = newcomer if index % 2 == 0 else mentor
            complete_plan_item(actor=actor, item=item, now=_at(min(day, today)))
    for cluster, newcomer, started_on, completed_on in newcomer_wave(network, today):
        owner = _owner(cluster)
        if owner is None:
            continue
        plan = start_onboarding(
            actor=owner,
            cluster=cluster,
            newcomer=newcomer,
            mentor=owner,
            started_on=started_on,
            due_on=started_on + dt.timedelta(days=60),
        )
        created += 1 + plan.items.count()
        if completed_on is None:
            continue
        for index, item in enumerate(PlanItem.objects.filter(plan=plan).order_by("position")):
            actor = newcomer if index % 2 == 0 else owner
            complete_plan_item(actor=actor, item=item, now=_at(completed_on))
    return created


def newcomer_wave(
    network: Network, today: dt.date
) -> list[tuple[TopicCluster, User, dt.date, dt.date | None]]:
    """Plans of the newcomer wave: (cluster, newcomer, started on, completed on or None).

    1. Per active cluster, each assignee's first solved request of the cluster (topic owners
       and people who have a plan in it already left out) – one GROUP BY query.
    2. Group them by the calendar quarter of that day; take the largest group (ties: the
       cluster name), at most ``WAVE_SIZE`` people in order of their first request.
    3. Each plan starts ``WAVE_LEAD_DAYS`` before the first request (not before the person's
       first day in the network) and is completed ``WAVE_FINISH_DAYS`` after it, at the
       latest yesterday (a first request of today: the plan stays active).
    """
    owners = set(
        ClusterMembership.objects.filter(
            cluster__network=network, role=ClusterMembership.Role.OWNER
        ).values_list("cluster_id", "user_id")
    )
    planned = set(
        OnboardingPlan.objects.in_network(network).values_list("cluster_id", "newcomer_id")
    )
    firsts = (
        ServiceRequest.objects.in_network(network)
        .filter(
            solved_at__isnull=False,
            assignee__isnull=False,
            cluster__isnull=False,
            cluster__is_active=True,
        )
        .order_by()
        .values("cluster_id", "assignee_id")
        .annotate(first=Min("solved_at"))
    )
    groups: dict[tuple[int, int, int], list[tuple[dt.date, int]]] = {}
    for row in firsts:
        key = (row["cluster_id"], row["assignee_id"])
        if key in owners or key in planned:
            continue
        day = timezone.localdate(row["first"])
        groups.setdefault((row["cluster_id"], day.year, (day.month - 1) // 3), []).append(
            (day, row["assignee_id"])
        )
    if not groups:
        return []
    clusters = {c.pk: c for c in TopicCluster.objects.in_network(network).active()}
    best = max(groups, key=lambda k: (len(groups[k]), clusters[k[0]].name))
    chosen = sorted(groups[best])[:WAVE_SIZE]
    people = User.objects.in_bulk([user_id for _day, user_id in chosen])
    joined = dict(
        Membership.objects.filter(
            municipality__network=network, user_id__in=people, role=Membership.Role.IT
        )
        .order_by()
        .values("user_id")
        .annotate(first=Min("started_on"))
        .values_list("user_id", "first")
    )
    wave = []
    for number, (first, user_id) in enumerate(chosen):
        newcomer = people[user_id]
        if not is_it_specialist(newcomer, network):
            continue
        started_on = first - dt.timedelta(days=WAVE_LEAD_DAYS[number % len(WAVE_LEAD_DAYS)])
        started_on = min(max(started_on, joined.get(user_id, started_on)), first)
        finish = first + dt.timedelta(days=WAVE_FINISH_DAYS[number % len(WAVE_FINISH_DAYS)])
        finish = min(finish, today - dt.timedelta(days=1))
        wave.append((clusters[best[0]], newcomer, started_on, finish if finish >= first else None))
    return wave
