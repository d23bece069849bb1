"""Demo decisions of the steering group (called by ``demo/loader.py``), through the services.

Idempotent: nothing is created when the network already has a proposal. Four proposals: one
accepted (public, with reasons), one rejected on a tie, one open for voting, one draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.utils import timezone

from amtshilfe.accounts.models import User
from amtshilfe.decisions.models import Proposal
from amtshilfe.decisions.services import (
    add_proposal_comment,
    cast_vote,
    create_proposal,
    open_voting,
    record_decision_reasons,
)
from amtshilfe.notifications.models import Kind, Notification
from amtshilfe.tenancy.models import Network

COORDINATOR = "koordination"
STEERING = ("steuerung.grossenhain", "steuerung.landkreis")


def _at(days_ago: int, hour: int, now: dt.datetime) -> dt.datetime:
    moment = timezone.localtime(now) - dt.timedelta(days=days_ago)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def load_demo_decisions(
    network: Network, people: Mapping[str, User], *, now: dt.datetime | None = None
) -> int:
    """Create the demo proposals unless the network has any; returns how many were created."""
    if Proposal.objects.filter(network=network).exists():
        return 0
    if COORDINATOR not in people or not all(name in people for name in STEERING):
        return 0
    now = now or timezone.now()
    coordinator = people[COORDINATOR]
    first, second = (people[name] for name in STEERING)

    accepted = create_proposal(
        actor=coordinator,
        network=network,
        subject="Gemeinsames Ticketsystem für alle Mitgliedskommunen",
        background=(
            "Anfragen kommen heute per E-Mail, Telefon und Zuruf. Das Netzwerk nutzt seit "
            "dem Start **Amtshilfe** als gemeinsames Board; die Steuerungsgruppe soll das "
            "Board als verbindlichen Eingangsweg festlegen."
        ),
        options=[
            "Amtshilfe wird der verbindliche Eingangsweg für Anfragen an das Netzwerk",
            "Jede Kommune behält ihren eigenen Eingangsweg",
        ],
        recommendation="Option 1. Nur so lassen sich Zeiten und Ausgleich sauber erfassen.",
        costs_amount=Decimal("0"),
        costs_text="Keine zusätzlichen Kosten; Betrieb durch das Landratsamt.",
        result_visibility=Proposal.Visibility.PUBLIC,
    )
    open_voting(
        actor=coordinator,
        proposal=accepted,
        deadline=_at(50, 16, now),
        now=_at(60, 9, now),
    )
    add_proposal_comment(
        actor=first, proposal=accepted, body="Großenhain unterstützt das ausdrücklich."
    )
    cast_vote(actor=first, proposal=accepted, choice="accept", now=_at(58, 10, now))
    cast_vote(
        actor=second,
        proposal=accepted,
        choice="accept",
        reason="Einheitlicher Eingang ist Voraussetzung für den Ausgleich.",
        now=_at(55, 11, now),
    )
    record_decision_reasons(
        actor=coordinator,
        proposal=Proposal.objects.get(pk=accepted.pk),
        text=(
            "Ein gemeinsamer Eingangsweg macht Anfragen, Zeiten und den Ausgleich zwischen "
            "den Kommunen nachvollziehbar. Telefon und E-Mail bleiben möglich; die "
            "Koordination überträgt solche Anfragen in das Board."
        ),
    )

    rejected = create_proposal(
        actor=coordinator,
        network=network,
        subject="Rufbereitschaft am Wochenende durch das Netzwerk",
        background="Zwei Kommunen wünschen eine Rufbereitschaft für ihre Fachverfahren.",
        options=["Rufbereitschaft im Wechsel", "Keine Rufbereitschaft, Notfallkontakte je Kommune"],
        recommendation="Option 1 für eine Probezeit von drei Monaten.",
        costs_amount=Decimal("18400.00"),
        costs_text="Zulagen für die Bereitschaft, jährlich, nach Einwohnerzahl umgelegt.",
    )
    open_voting(
        actor=coordinator, proposal=rejected, deadline=_at(20, 16, now), now=_at(30, 9, now)
    )
    cast_vote(actor=first, proposal=rejected, choice="accept", now=_at(28, 10, now))
    cast_vote(
        actor=second,
        proposal=rejected,
        choice="reject",
        reason="Personalrat ist noch nicht beteiligt.",
        now=_at(25, 14, now),
    )

    running = create_proposal(
        actor=coordinator,
        network=network,
        subject="Schulungsbudget für Informationssicherheit 2027",
        background="Alle Kommunen müssen ihre Beschäftigten jährlich zur Informationssicherheit "
        "schulen. Eine gemeinsame Beschaffung spart Kosten.",
        options=["Gemeinsame E-Learning-Lizenz", "Präsenzschulungen je Kommune"],
        recommendation="Gemeinsame E-Learning-Lizenz für drei Jahre.",
        costs_amount=Decimal("12500.00"),
        costs_text="Jährlich, Umlage nach Einwohnerzahl.",
        result_visibility=Proposal.Visibility.PUBLIC,
    )
    open_voting(actor=coordinator, proposal=running, deadline=_at(-6, 16, now), now=_at(2, 9, now))
    cast_vote(actor=first, proposal=running, choice="accept", now=_at(1, 10, now))

    create_proposal(
        actor=coordinator,
        network=network,
        subject="Aufnahme eines Zweckverbands als Mitglied",
        background="Der Abwasserzweckverband hat Interesse an einer Mitgliedschaft bekundet.",
        options=["Aufnahme mit vollen Rechten", "Aufnahme als Gast ohne Ausgleich"],
        recommendation="Aufnahme als Gast für ein Jahr.",
    )
    # Demo history, not news: nobody should get e-mails about it when the demo loads.
    Notification.objects.filter(
        network=network, kind=Kind.DECISION, email_state=Notification.EmailState.PENDING
    ).update(email_state=Notification.EmailState.SENT, emailed_at=timezone.now())
    return 4
