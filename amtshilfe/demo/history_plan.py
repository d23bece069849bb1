"""The plan of the demo's request history: who asks what when, and what happens to it (no database).

``plan_history(today, end)`` turns the requests of the development data set
(``demo_data/requests.jsonl``, with their municipality, cluster and urgency) and the
``request_texts.VARIATIONS`` into a list of ``PlannedRequest``s, each with its ``Step``s in
time order. ``history.py`` plays the steps through the board's services.

1. Every request gets a requester (staff of its municipality, else its IT specialist) and a
   filing time on a working day between the requester's first day and ``end``.
2. Final states by age, youngest first with some jitter: a few in triage, some in the inbox,
   in progress or waiting for the municipality, some done and not yet rated, most closed
   with a rating.
3. Steps for that state: filed → a person sets the cluster (the data set's
   ``expected_cluster``: "classified by a person") → taken or assigned across municipalities
   → comments (questions, answers, internal notes with @mentions) → closed → rated; some
   watchers, urgency changes and a reopening on the way. If the steps would run past
   ``end``, they are compressed into the time left.

Reproducible: one ``random.Random(seed)``, drawn the same number of times whatever the
dates, so the same seed gives the same requests, texts and people on any day (only the
dates, and with them which requests are still open, move with ``today``).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone

from amtshilfe.demo import cast, request_texts

DATA_FILE = Path(__file__).resolve().parent / "demo_data" / "requests.jsonl"
SEED = 2026
COORDINATOR = "koordination"
# How many requests end in each open state (the rest is closed, a few done and unrated).
OPEN_QUOTA: dict[str, int] = {
    "triage": 5,
    "inbox": 9,
    "in_progress": 16,
    "waiting": 8,
    "done": 14,
}
# Youngest first: the order in which the states are dealt out (jitter blurs the borders).
AGE_RANK: dict[str, float] = {
    "triage": 0.0,
    "inbox": 1.0,
    "in_progress": 2.0,
    "waiting": 2.5,
    "done": 3.5,
    "closed": 4.5,
}
RATINGS = (5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 3, 2)
WORK_START, WORK_END = 7 * 60 + 30, 15 * 60 + 30  # minutes after midnight
LAST_GAP = dt.timedelta(minutes=10)  # nothing is filed in the last minutes before ``end``
EARLY_SELF_HELP, EARLY_DAYS = 7, 20  # self-help successes in the first days of the network


@dataclass(frozen=True)
class Step:
    """One action through a service: ``action`` by ``actor`` (a username) at ``at``."""

    at: dt.datetime
    action: str  # file, cluster, take, assign, move, comment, urgency, watch, close, reopen, rate
    actor: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class PlannedRequest:
    key: int
    title: str
    description: str
    municipality: str
    cluster: str
    urgency: str
    requester: str
    source: str
    contact_preference: str
    self_help_query: str
    filed_at: dt.datetime
    state: str = "closed"
    steps: list[Step] = field(default_factory=list)


@dataclass(frozen=True)
class PlannedSelfHelp:
    at: dt.datetime
    username: str
    query: str
    article: str


@dataclass
class HistoryPlan:
    requests: list[PlannedRequest]
    self_help: list[PlannedSelfHelp]


@cache
def dataset_requests() -> tuple[dict[str, Any], ...]:
    """``demo_data/requests.jsonl`` (copied unchanged from ``../shared/dataset/``)."""
    lines = DATA_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(json.loads(line) for line in lines if line.strip())


# --- the cast as the plan needs it ------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    username: str
    municipality: str
    places: tuple[str, ...]
    role: str
    start: dt.date


def _people(today: dt.date) -> dict[str, Person]:
    """Everybody with their home, places and first day (as the loader computes them)."""
    from amtshilfe.demo.loader import founding_day

    founded = founding_day(today)
    joined = {
        name: founded + dt.timedelta(days=offset)
        for offset, names in cast.JOIN_WAVES.items()
        for name in names
    }
    people = {}
    for person in cast.people():
        places = (person.municipality, *person.also_in)
        start = max(joined[name] for name in places) + dt.timedelta(days=person.start_offset)
        people[person.username] = Person(
            person.username, person.municipality, places, person.role, min(start, today)
        )
    return people


def _cluster_people() -> tuple[dict[str, list[str]], dict[str, str]]:
    """Cluster slug → IT specialists in it (owner first), and cluster slug → owner."""
    from amtshilfe.demo.loader import cluster_data, owner_username

    owners = {item["id"]: owner_username(item["topic_owner"]["name"]) for item in cluster_data()}
    members: dict[str, list[str]] = {slug: [owner] for slug, owner in owners.items()}
    for person in cast.people():
        if person.profile is None:
            continue
        for slug in person.profile.clusters:
            if person.username not in members[slug]:
                members[slug].append(person.username)
    return members, owners


# --- time ---------------------------------------------------------------------------------


def _working_moment(day: dt.date, fraction: float, latest: dt.datetime) -> dt.datetime:
    """A time on ``day`` within working hours (weekends move to Friday), not after ``latest``."""
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    minutes = WORK_START + int(fraction * (WORK_END - WORK_START))
    moment = timezone.make_aware(
        dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)
    )
    if moment > latest:
        moment = latest - dt.timedelta(minutes=5 + int(fraction * 60))
    return moment


def _filing_time(
    first: dt.date, end: dt.datetime, day_fraction: float, hour_fraction: float
) -> dt.datetime:
    last = timezone.localtime(end).date()
    span = max((last - first).days, 0)
    day = first + dt.timedelta(days=round(day_fraction * span))
    earliest = timezone.make_aware(dt.datetime.combine(first, dt.time(7, 0)))
    return min(max(_working_moment(day, hour_fraction, end), earliest), end - LAST_GAP)


# --- the plan -----------------------------------------------------------------------------


def plan_history(today: dt.date, end: dt.datetime, seed: int = SEED) -> HistoryPlan:
    """The whole history up to ``end`` (a time on ``today``); see the module docstring."""
    rng = random.Random(seed)  # noqa: S311  (reproducible demo data, not security)
    people = _people(today)
    members, owners = _cluster_people()
    by_place: dict[str, list[Person]] = {}
    for person in people.values():
        for place in person.places:
            by_place.setdefault(place, []).append(person)

    def requester_for(municipality: str, draw: float) -> Person:
        here = by_place.get(municipality, [])
        staff = [p for p in here if p.role == "staff" and p.username != COORDINATOR]
        pool = staff or here
        return pool[int(draw * len(pool))]

    texts: list[tuple[str, str, str, str, str]] = [
        (
            row["title"],
            row["description"],
            row["municipality"],
            row["expected_cluster"],
            row["urgency"],
        )
        for row in dataset_requests()
    ]
    filing_places = sorted(
        name for name, here in by_place.items() if any(p.role == "staff" for p in here)
    )
    taken = {(title, place) for title, _d, place, _c, _u in texts}
    for slug, templates in request_texts.VARIATIONS.items():
        for title, description, urgency in templates:
            office = rng.choice(request_texts.OFFICES)
            place = rng.choice(filing_places)
            title = title.format(amt=office)
            while (title, place) in taken:  # one request per title and municipality
                place = filing_places[(filing_places.index(place) + 1) % len(filing_places)]
            taken.add((title, place))
            texts.append((title, description.format(amt=office), place, slug, urgency))

    planned: list[PlannedRequest] = []
    for key, (title, description, place, slug, urgency) in enumerate(texts):
        requester = requester_for(place, rng.random())
        filed_at = _filing_time(
            requester.start + dt.timedelta(days=1), end, rng.random(), rng.random()
        )
        source = rng.choices(("web", "email"), weights=(4, 1))[0]
        contact = rng.choices(("app", "email", "phone"), weights=(7, 2, 1))[0]
        searched = rng.random() < 0.4
        planned.append(
            PlannedRequest(
                key=key,
                title=title,
                description=description,
                municipality=place,
                cluster=slug,
                urgency=urgency,
                requester=requester.username,
                source=source,
                contact_preference=contact,
                self_help_query=" ".join(title.lower().split()[:3])
                if searched and source == "web"
                else "",
                filed_at=filed_at,
            )
        )

    _deal_states(planned, rng)
    for item in planned:
        item.steps = _steps(item, rng, people, by_place, members, owners, end)
    return HistoryPlan(requests=planned, self_help=_self_help(rng, people, end))


def _deal_states(planned: list[PlannedRequest], rng: random.Random) -> None:
    """Final states by age (youngest first), quotas from ``OPEN_QUOTA``, borders blurred."""
    states = [state for state, count in OPEN_QUOTA.items() for _ in range(count)]
    states += ["closed"] * (len(planned) - len(states))
    jitter = [rng.uniform(0, 1.6) for _ in states]
    dealt = sorted(range(len(states)), key=lambda i: (AGE_RANK[states[i]] + jitter[i], i))
    youngest_first = sorted(planned, key=lambda item: (item.filed_at, item.key), reverse=True)
    for item, index in zip(youngest_first, dealt, strict=True):
        item.state = states[index]
    # A few old ones were solved but never rated.
    closed = [item for item in planned if item.state == "closed"]
    for item in rng.sample(closed, k=min(4, len(closed))):
        item.state = "done"


def _pick(rng: random.Random, pool: list[str], avoid: set[str] | None = None) -> str:
    candidates = [name for name in pool if name not in (avoid or set())] or pool
    return candidates[int(rng.random() * len(candidates))]


def _steps(
    item: PlannedRequest,
    rng: random.Random,
    people: dict[str, Person],
    by_place: dict[str, list[Person]],
    members: dict[str, list[str]],
    owners: dict[str, str],
    end: dt.datetime,
) -> list[Step]:
    """The steps of one request up to its final state, compressed to end before ``end``.

    The random draws do not depend on the state (the same number for every request), so
    the texts and people of a request stay the same when the dates move.
    """
    draws = [rng.random() for _ in range(28)]
    cluster_people = members[item.cluster]
    place_people = [p.username for p in by_place[item.municipality]]
    away = {p for p in cluster_people if people[p].municipality == item.municipality}
    helper = _pick(rng, cluster_people, away | {item.requester} if draws[0] < 0.85 else set())
    colleague = _pick(rng, cluster_people, {helper})
    neighbour = _pick(rng, [p for p in place_people if p != item.requester] or [item.requester])
    triager = COORDINATOR if draws[1] < 0.6 else _pick(rng, sorted(owners.values()))
    assigner = owners[item.cluster] if draws[2] < 0.5 else COORDINATOR
    solution = rng.choice(request_texts.SOLUTIONS[item.cluster])
    article = _closest_article(item, rng.choice(_articles_of(item.cluster)))
    article_link = f"[[{article}|{_article_titles()[article]}]]"
    question = rng.choice(request_texts.QUESTIONS)
    reply = rng.choice(request_texts.REPLIES).format(number=f"IT-{1000 + item.key * 7}")
    note = rng.choice(request_texts.INTERNAL_NOTES).format(colleague=colleague)
    note_answer = rng.choice(request_texts.INTERNAL_ANSWERS)
    thanks = rng.choice(request_texts.THANKS)
    rating = rng.choice(RATINGS)
    rating_comment = rng.choice(request_texts.RATING_COMMENTS[rating])
    reopen_reason = rng.choice(request_texts.REOPEN_REASONS)
    minutes = 0.0
    steps: list[tuple[float, str, str, dict[str, Any]]] = []

    def add(after: float, action: str, actor: str, **args: Any) -> None:
        nonlocal minutes
        minutes += max(after, 1.0)
        steps.append((minutes, action, actor, args))

    state = item.state
    steps.append((0.0, "file", item.requester, {}))
    if neighbour != item.requester and draws[3] < 0.15:
        add(20 + draws[4] * 120, "watch", neighbour)
    if item.urgency in ("high", "critical") and draws[5] < 0.5:
        add(5 + draws[6] * 30, "watch", COORDINATOR)
    if state == "triage":
        return _timed(item, steps, end)
    add(10 + draws[7] * 240, "cluster", triager)
    if state == "inbox":
        return _timed(item, steps, end)
    if draws[8] < 0.55:
        add(30 + draws[9] * 600, "take", helper)
    else:
        add(30 + draws[9] * 600, "assign", assigner, assignee=helper)
        add(5 + draws[10] * 90, "move", helper, column="in_progress")
    if draws[11] < 0.1:
        raised = "critical" if item.urgency == "high" else "high"
        add(10 + draws[12] * 60, "urgency", helper, urgency=raised)
    if draws[13] < 0.3:
        add(30 + draws[14] * 300, "comment", helper, body=note, internal=True)
        if draws[15] < 0.7:
            add(20 + draws[16] * 400, "comment", colleague, body=note_answer, internal=True)
    if state == "waiting" or draws[17] < 0.35:
        add(60 + draws[18] * 900, "comment", helper, body=question)
        add(2, "move", helper, column="waiting")
        if state == "waiting":
            return _timed(item, steps, end)
        body = f"@{helper} {reply}" if draws[19] < 0.3 else reply
        add(120 + draws[20] * 1800, "comment", item.requester, body=body)
        add(30 + draws[21] * 240, "move", helper, column="in_progress")
    if state == "in_progress":
        return _timed(item, steps, end)
    add(60 + draws[22] * 2400, "comment", helper, body=solution.format(article=article_link))
    add(2, "close", helper)
    if draws[23] < 0.04 and state == "closed":
        add(600, "reopen", item.requester, reason=reopen_reason)
        add(240, "comment", helper, body=request_texts.FOLLOW_UP)
        add(2, "close", helper)
    if state == "done":
        return _timed(item, steps, end)
    if draws[24] < 0.35:
        add(20 + draws[25] * 300, "comment", item.requester, body=thanks)
    add(60 + draws[26] * 2000, "rate", item.requester, rating=rating, comment=rating_comment)
    return _timed(item, steps, end)


def _timed(
    item: PlannedRequest, steps: list[tuple[float, str, str, dict[str, Any]]], end: dt.datetime
) -> list[Step]:
    """Steps at their times, counted in working minutes after filing.

    When they would pass ``end`` they are squeezed into the working time left (or, with
    hardly any left, into the minutes left).
    """
    total = steps[-1][0]
    available = _working_minutes(item.filed_at, end)
    if total <= available:
        times = [_advance(item.filed_at, offset) for offset, *_rest in steps]
    elif available >= total / 20:
        times = [_advance(item.filed_at, offset * available / total) for offset, *_r in steps]
    else:
        left = (end - item.filed_at).total_seconds() / 60
        times = [item.filed_at + dt.timedelta(minutes=o * left / total) for o, *_r in steps]
    return [
        Step(at=min(at, end), action=action, actor=actor, args=args)
        for at, (_offset, action, actor, args) in zip(times, steps, strict=True)
    ]


def _window(day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
    """The working hours of ``day`` (None at weekends)."""
    if day.weekday() >= 5:
        return None
    midnight = dt.datetime.combine(day, dt.time())
    return (
        timezone.make_aware(midnight + dt.timedelta(minutes=WORK_START)),
        timezone.make_aware(midnight + dt.timedelta(minutes=WORK_END + 60)),
    )


def _advance(start: dt.datetime, minutes: float) -> dt.datetime:
    """``minutes`` of working time after ``start`` (time outside working hours is skipped)."""
    moment, left = start, minutes
    day = timezone.localtime(start).date()
    for _ in range(400):
        window = _window(day)
        if window is not None and moment < window[1]:
            moment = max(moment, window[0])
            room = (window[1] - moment).total_seconds() / 60
            if left <= room:
                return moment + dt.timedelta(minutes=left)
            left -= room
        day += dt.timedelta(days=1)
        moment = max(moment, timezone.make_aware(dt.datetime.combine(day, dt.time())))
    return moment


def _working_minutes(start: dt.datetime, end: dt.datetime) -> float:
    total = 0.0
    day = timezone.localtime(start).date()
    while day <= timezone.localtime(end).date():
        window = _window(day)
        if window is not None:
            low, high = max(start, window[0]), min(end, window[1])
            total += max((high - low).total_seconds() / 60, 0.0)
        day += dt.timedelta(days=1)
    return total


@cache
def _articles_by_cluster() -> dict[str, tuple[tuple[str, str], ...]]:
    from amtshilfe.demo.loader import ARTICLE_DIRS

    found: dict[str, list[tuple[str, str]]] = {}
    for path in sorted((ARTICLE_DIRS[0]).glob("*.md")):
        head = dict(
            line.split(":", 1)
            for line in path.read_text(encoding="utf-8").splitlines()[:12]
            if line[:1].isalpha() and ":" in line
        )
        cluster, title = head["cluster"].strip().strip('"'), head["title"].strip().strip('"')
        found.setdefault(cluster, []).append((path.stem, title))
    return {cluster: tuple(articles) for cluster, articles in found.items()}


def _articles_of(cluster: str) -> tuple[str, ...]:
    return tuple(slug for slug, _title in _articles_by_cluster()[cluster])


@cache
def _article_titles() -> dict[str, str]:
    return {slug: title for articles in _articles_by_cluster().values() for slug, title in articles}


def _words(text: str) -> set[str]:
    return {word[:6] for word in re.findall(r"\w{5,}", text.lower())}


def _closest_article(item: PlannedRequest, drawn: str) -> str:
    """The cluster's article whose title shares most words with the request (else ``drawn``)."""
    words = _words(f"{item.title} {item.description}")
    best, overlap = drawn, 0
    for slug, title in _articles_by_cluster()[item.cluster]:
        shared = len(words & _words(title))
        if shared > overlap:
            best, overlap = slug, shared
    return best


def _self_help(
    rng: random.Random, people: dict[str, Person], end: dt.datetime
) -> list[PlannedSelfHelp]:
    """About four dozen "Das hat geholfen" of staff members, spread over the months, and
    ``EARLY_SELF_HELP`` more by the founding members' staff in their first ``EARLY_DAYS``."""
    staff = sorted(name for name, p in people.items() if p.role == "staff")
    found = []
    for _round in range(2):
        for query, article in request_texts.SELF_HELP:
            username = staff[int(rng.random() * len(staff))]
            at = _filing_time(
                people[username].start + dt.timedelta(days=1), end, rng.random(), rng.random()
            )
            if rng.random() < 0.8:
                found.append(PlannedSelfHelp(at, username, query, article))
    # The first weeks: founding members' staff found help too (drawn last, so the draws
    # above stay the same); without these the first, partial quarter of the indicators'
    # default period rests on fewer than k successes and is suppressed.
    founded = min(person.start for person in people.values())
    founders = [name for name in staff if people[name].start <= founded + dt.timedelta(days=1)]
    first = founded + dt.timedelta(days=1)
    latest = min(
        end,
        timezone.make_aware(
            dt.datetime.combine(first + dt.timedelta(days=EARLY_DAYS), dt.time(16))
        ),
    )
    for query, article in request_texts.SELF_HELP[:EARLY_SELF_HELP] if founders else ():
        username = founders[int(rng.random() * len(founders))]
        at = _filing_time(first, latest, rng.random(), rng.random())
        found.append(PlannedSelfHelp(at, username, query, article))
    return sorted(found, key=lambda item: (item.at, item.username, item.query))
