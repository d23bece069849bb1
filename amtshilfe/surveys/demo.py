"""Demo content of surveys for the demo network (called by ``demo/loader.py``).

Through the services, idempotent (nothing when the network has a survey already):

1. a closed quarterly survey ("quartal" template) answered by 14 people – enough for results
   and for the hours-saved indicator (answers are chosen with a fixed seed, all on days of
   the same calendar quarter in the last 19 days, so no quarter rests on fewer than k);
2. an open "Was haben Sie gelernt?" survey for the IT specialists (invited in the app only);
3. rating invitations for up to three requests that are done but not rated yet.
"""

from __future__ import annotations

import datetime as dt
import random

from amtshilfe.accounts.models import User
from amtshilfe.board.models import ServiceRequest
from amtshilfe.surveys.models import Question, RatingInvitation, Survey, SurveyInvitation
from amtshilfe.surveys.services import (
    answer_survey,
    close_survey,
    create_survey_from_template,
    invite_requester_after_close,
    open_survey,
)
from amtshilfe.tenancy.models import Network, NetworkRole

ANSWERS = 14
DEMO_LOGINS = {"koordination", "it.riesa", "it.radebeul", "verwaltung.meissen", "verwaltung.coswig"}
LEARNED = [
    "Wie man Druckerwarteschlangen per Gruppenrichtlinie verteilt.",
    "Dass es für das VPN-Problem schon einen Artikel gab – die Suche hilft wirklich.",
    "Zwei-Faktor-Anmeldung für das Fachverfahren einrichten.",
    "Wie andere Kommunen ihre Datensicherung organisieren.",
    "Ich frage jetzt früher im Netzwerk, statt einen Tag allein zu suchen.",
    "Kleine Tricks in Excel für die Haushaltsplanung.",
    "Wie man eine Anfrage so beschreibt, dass sie schnell gelöst wird.",
    "Den Unterschied zwischen Freigabe- und NTFS-Rechten.",
]


def load_demo(network: Network, *, today: dt.date) -> int:
    """Create what is missing of this app's demo content; returns how many rows were created.

    Idempotent: a second call creates nothing. Reads people, municipalities, clusters and
    requests of ``network`` from the database (the loader has created them before).
    """
    if Survey.objects.filter(network=network).exists():
        return 0
    coordinator = (
        User.objects.filter(
            network_roles__network=network, network_roles__role=NetworkRole.Role.COORDINATOR
        )
        .order_by("pk")
        .first()
    )
    if coordinator is None:
        return 0
    created = _closed_quarterly(network, coordinator, today)
    created += _open_learning(network, coordinator, today)
    created += _rating_invitations(network)
    return created


def _closed_quarterly(network: Network, coordinator: User, today: dt.date) -> int:
    survey = create_survey_from_template(
        actor=coordinator, network=network, template="quartal", today=today
    )
    open_survey(
        actor=coordinator, survey=survey, today=today - dt.timedelta(days=20), send_mails=False
    )
    rng = random.Random(7)  # noqa: S311 (demo data, not security)
    questions = {q.kind: q for q in survey.questions.all()}
    hours, learned, scale = (
        questions[Question.Kind.SINGLE],
        questions[Question.Kind.TEXT],
        questions[Question.Kind.SCALE],
    )
    invited = list(
        SurveyInvitation.objects.filter(survey=survey)
        .exclude(user__username__in=DEMO_LOGINS)
        .select_related("user")
        .order_by("user__username")
    )
    # All answers fall into one calendar quarter (the last 19 days, cut at the quarter's
    # start), so the quarter's "hours saved" rest on all of them (>= k, not suppressed).
    yesterday = today - dt.timedelta(days=1)
    first_answer = max(today - dt.timedelta(days=19), _quarter_start(yesterday))
    answer_days = (yesterday - first_answer).days
    answered = 0
    for invitation in invited[:ANSWERS]:
        answers = {
            hours.field_name: str(rng.choices(range(5), weights=[1, 4, 5, 3, 1])[0]),
            scale.field_name: str(rng.choices(range(1, 6), weights=[1, 1, 3, 6, 4])[0]),
        }
        if rng.random() < 0.6:
            answers[learned.field_name] = rng.choice(LEARNED)
        answer_survey(
            actor=invitation.user,
            survey=survey,
            answers=answers,
            today=first_answer + dt.timedelta(days=rng.randint(0, answer_days)),
        )
        answered += 1
    close_survey(actor=coordinator, survey=survey)
    return 1 + answered


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _open_learning(network: Network, coordinator: User, today: dt.date) -> int:
    survey = create_survey_from_template(
        actor=coordinator, network=network, template="gelernt", today=today
    )
    open_survey(actor=coordinator, survey=survey, today=today, send_mails=False)
    return 1


def _rating_invitations(network: Network) -> int:
    waiting = (
        ServiceRequest.objects.filter(
            network=network,
            status=ServiceRequest.Status.DONE,
            rating__isnull=True,
            requester__isnull=False,
        )
        .exclude(pk__in=RatingInvitation.objects.values("request_id"))
        .order_by("-solved_at")[:3]
    )
    return sum(1 for request in waiting if invite_requester_after_close(service_request=request))
