"""Who could help with a request: the people of its topic cluster, ranked, with a reason.

``suggest_experts`` only reads; the board services fill ``open_work`` and
``municipality_load`` from ``workload(network)`` and, once time accounting exists,
``hours_used`` from the time entries of the month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amtshilfe.accounts.models import User
from amtshilfe.board.models import ServiceRequest
from amtshilfe.experts.models import ClusterMembership, ExpertProfile, TopicCluster
from amtshilfe.tenancy.models import Membership, Municipality, Network
from amtshilfe.wiki.search.analysis import (
    CompoundSplitter,
    Vocabulary,
    analyse_query,
    content_words,
    document_terms,
)
from amtshilfe.wiki.search.indexer import BASE_WORDS

SKILL_WEIGHT = 2.0  # per matching skill (times how fully it matches), at most two count
SKILL_MATCH = 0.5  # share of a skill's terms the request must contain
HOURS_WEIGHT = 1.0  # for HOURS_CAP or more free hours, proportionally below
HOURS_CAP = 10.0
WORK_WEIGHT = 0.5  # per open request the person is working on
FAIRNESS_WEIGHT = 2.0  # times the share of open work above the fair share
FAIRNESS_MIN_OPEN = 3  # below this much open work in the network, fairness is not judged
MAX_SKILLS_NAMED = 2


@dataclass(frozen=True)
class Suggestion:
    """A person who could help, with the score and the facts behind it."""

    user: User
    score: float
    explanation: str
    role: str
    municipality: Municipality | None
    matched_skills: tuple[str, ...] = ()
    free_hours: float | None = None  # None: nothing pledged
    open_work: int = 0
    absent_until: dt.date | None = None
    municipality_share: float | None = field(default=None, repr=False)

    @property
    def is_absent(self) -> bool:
        return self.absent_until is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "username": self.user.username,
            "name": self.user.full_name,
            "municipality": self.municipality.name if self.municipality else None,
            "role": self.role,
            "score": round(self.score, 3),
            "explanation": self.explanation,
            "matched_skills": list(self.matched_skills),
            "free_hours": self.free_hours,
            "open_work": self.open_work,
            "absent_until": self.absent_until.isoformat() if self.absent_until else None,
        }


def home_municipalities(network: Network, user_ids: Iterable[int]) -> dict[int, Municipality]:
    """Each person's municipality in ``network``: the IT membership first, then by name."""
    memberships = (
        Membership.objects.current()
        .filter(user_id__in=list(user_ids), municipality__network=network)
        .filter(municipality__status=Municipality.Status.ACTIVE)
        .select_related("municipality")
        .order_by("user_id", "role", "municipality__name")  # "it" sorts before "staff"
    )
    home: dict[int, Municipality] = {}
    for membership in memberships:
        home.setdefault(membership.user_id, membership.municipality)
    return home


def workload(network: Network) -> tuple[dict[int, int], dict[int, int]]:
    """(open requests per assignee, open assigned requests per assignee's municipality).

    Two queries: open requests counted by assignee, then the assignees' municipalities.
    """
    open_work = {
        row["assignee_id"]: row["n"]
        for row in ServiceRequest.objects.in_network(network)
        .open()
        .filter(assignee__isnull=False)
        .values("assignee_id")
        .annotate(n=Count("pk"))
    }
    municipality_load: dict[int, int] = {}
    for user_id, municipality in home_municipalities(network, open_work).items():
        municipality_load[municipality.pk] = (
            municipality_load.get(municipality.pk, 0) + open_work[user_id]
        )
    return open_work, municipality_load


def _skill_matches(
    skills: Iterable[str], request_terms: Mapping[str, float], splitter: CompoundSplitter
) -> list[tuple[str, float]]:
    """(skill, coverage) for skills whose analysed terms the request (mostly) contains."""
    matches = []
    for skill in skills:
        terms = set(document_terms(skill, splitter))
        if not terms:
            continue
        coverage = sum(request_terms.get(term, 0.0) for term in terms) / len(terms)
        if coverage >= SKILL_MATCH:
            matches.append((skill, min(coverage, 1.0)))
    matches.sort(key=lambda item: (-item[1], item[0]))
    return matches


def _hours(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else formats.number_format(value, 1)


def _explain(
    *,
    skills: list[str],
    pledged: int,
    free: float | None,
    open_work: int,
    absent_until: dt.date | None,
    municipality: Municipality | None,
    share_above_fair: float,
    share: float | None,
) -> str:
    parts = []
    if absent_until is not None:
        parts.append(
            _("abwesend bis %(date)s") % {"date": formats.date_format(absent_until, "d.m.")}
        )
    if skills:
        named = (
            _("%(first)s und %(second)s") % {"first": skills[0], "second": skills[1]}
            if len(skills) > 1
            else skills[0]
        )
        parts.append(_("kennt sich mit %(skills)s aus") % {"skills": named})
    if pledged <= 0:
        parts.append(_("keine Stunden zugesagt"))
    elif free is not None and free > 0:
        parts.append(_("noch %(hours)s h frei") % {"hours": _hours(free)})
    else:
        parts.append(_("zugesagte Stunden für diesen Monat ausgeschöpft"))
    if open_work:
        parts.append(
            ngettext(
                "bearbeitet gerade %(count)d Anfrage",
                "bearbeitet gerade %(count)d Anfragen",
                open_work,
            )
            % {"count": open_work}
        )
    if municipality is not None and share is not None and share_above_fair > 0:
        parts.append(
            _("%(municipality)s trägt schon %(percent)d %% der offenen Arbeit")
            % {"municipality": municipality.name, "percent": round(share * 100)}
        )
    return ", ".join(parts)


def suggest_experts(
    *,
    network: Network,
    cluster: TopicCluster,
    text: str,
    limit: int = 5,
    today: dt.date | None = None,
    open_work: Mapping[int, int] | None = None,
    hours_used: Mapping[int, float] | None = None,
    municipality_load: Mapping[int, int] | None = None,
) -> list[Suggestion]:
    """The best ``limit`` helpers for a request in ``cluster``, best first.

    1. Candidates: the cluster's owners and members who are active and currently belong to
       an active municipality of the network (their home municipality: the IT membership).
    2. Skills: the request text is analysed like a search query (stems, compound parts,
       synonyms); a skill of the person's profile matches when at least ``SKILL_MATCH`` of
       its analysed terms occur. Each matching skill adds ``SKILL_WEIGHT`` × coverage
       (at most two count, so that a long skill list does not outweigh everything).
    3. Free hours: pledged hours per month minus ``hours_used`` this month; adds
       ``HOURS_WEIGHT`` × min(free, ``HOURS_CAP``) / ``HOURS_CAP``. No pledge, no points.
    4. Work in progress: ``WORK_WEIGHT`` is subtracted per open request (``open_work``).
    5. Fairness: once the network has ``FAIRNESS_MIN_OPEN`` open assigned requests, a
       person whose municipality carries more than the fair share of them (1 / number of
       the candidates' municipalities) loses ``FAIRNESS_WEIGHT`` × the excess share.
    6. Absence: people absent ``today`` stay in the list, marked, but after everybody else.
    7. Order: present before absent, then score, then name; each suggestion carries a short
       German explanation built from the same facts.
    """
    today = today or timezone.localdate()
    open_work = open_work or {}
    hours_used = hours_used or {}
    municipality_load = municipality_load or {}

    memberships = list(
        ClusterMembership.objects.filter(cluster=cluster, cluster__network=network)
        .filter(user__is_active=True)
        .select_related("user")
    )
    home = home_municipalities(network, [m.user_id for m in memberships])
    memberships = [m for m in memberships if m.user_id in home]  # step 1
    profiles = {
        profile.user_id: profile
        for profile in ExpertProfile.objects.in_network(network)
        .filter(user_id__in=[m.user_id for m in memberships])
        .prefetch_related("skills")
    }
    skill_names = {s.name for p in profiles.values() for s in p.skills.all()}
    surfaces = set(BASE_WORDS)
    for words in [*skill_names, *(str(k) for k in cluster.keywords or [])]:
        surfaces.update(content_words(words))
    splitter = CompoundSplitter(surfaces)
    request_terms: dict[str, float] = {}
    for term in analyse_query(text[:2000], Vocabulary(), splitter):
        request_terms[term.term] = max(request_terms.get(term.term, 0.0), term.weight)

    total_open = sum(municipality_load.values())
    fair = 1.0 / max(1, len({home[m.user_id].pk for m in memberships}))
    suggestions = []
    for membership in memberships:
        user_id = membership.user_id
        profile = profiles.get(user_id)
        municipality = home[user_id]
        skills = (
            _skill_matches([s.name for s in profile.skills.all()], request_terms, splitter)
            if profile
            else []
        )
        score = SKILL_WEIGHT * sum(cover for _name, cover in skills[:MAX_SKILLS_NAMED])  # 2.
        pledged = profile.pledged_hours_per_month if profile else 0
        free = max(0.0, pledged - float(hours_used.get(user_id, 0.0))) if pledged else None
        score += HOURS_WEIGHT * min(free or 0.0, HOURS_CAP) / HOURS_CAP  # 3.
        working = int(open_work.get(user_id, 0))
        score -= WORK_WEIGHT * working  # 4.
        share = municipality_load.get(municipality.pk, 0) / total_open if total_open else None
        excess = (
            max(0.0, share - fair) if share is not None and total_open >= FAIRNESS_MIN_OPEN else 0.0
        )
        score -= FAIRNESS_WEIGHT * excess  # 5.
        absent_until = (
            profile.absent_until if profile is not None and profile.is_absent_on(today) else None
        )  # 6.
        suggestions.append(
            Suggestion(
                user=membership.user,
                score=round(score, 4),
                explanation=_explain(
                    skills=[name for name, _cover in skills],
                    pledged=pledged,
                    free=free,
                    open_work=working,
                    absent_until=absent_until,
                    municipality=municipality,
                    share_above_fair=excess,
                    share=share,
                ),
                role=membership.role,
                municipality=municipality,
                matched_skills=tuple(name for name, _cover in skills),
                free_hours=free,
                open_work=working,
                absent_until=absent_until,
                municipality_share=share,
            )
        )
    suggestions.sort(key=lambda s: (s.is_absent, -s.score, s.user.full_name, s.user.pk))  # 7.
    return suggestions[:limit]
