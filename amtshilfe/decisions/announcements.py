"""Who hears about a proposal, and what they are told (through ``notifications.notify``)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.decisions.models import Proposal
from amtshilfe.notifications.models import Kind
from amtshilfe.notifications.services import notify
from amtshilfe.tenancy.models import Network, NetworkRole

# Decisions have a notification kind of their own, so people can switch their e-mails off.
KIND: str = Kind.DECISION


def steering_members(network: Network) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            network_roles__network=network,
            network_roles__role=NetworkRole.Role.STEERING,
        )
        .distinct()
        .order_by("pk")
    )


def network_members(network: Network) -> list[User]:
    """Everybody who belongs to the network today (membership or network role)."""
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(network_roles__network=network)
            | Q(
                memberships__municipality__network=network,
                memberships__municipality__status="active",
                memberships__ended_on__isnull=True,
            )
        )
        .distinct()
        .order_by("pk")
    )


def _url(proposal: Proposal) -> str:
    return reverse("decisions:detail", kwargs={"pk": proposal.pk})


def _deadline(proposal: Proposal) -> str:
    assert proposal.deadline is not None
    return timezone.localtime(proposal.deadline).strftime("%d.%m.%Y %H:%M")


def announce_voting_open(proposal: Proposal) -> None:
    notify(
        recipients=steering_members(proposal.network),
        network=proposal.network,
        kind=KIND,
        title=_("Abstimmung eröffnet: Vorlage %(number)s") % {"number": proposal.number},
        body=_("„%(subject)s“ – bitte stimmen Sie bis %(deadline)s ab.")
        % {"subject": proposal.subject, "deadline": _deadline(proposal)},
        url=_url(proposal),
    )


def remind_voters(proposal: Proposal, voters: list[User]) -> None:
    notify(
        recipients=voters,
        network=proposal.network,
        kind=KIND,
        title=_("Erinnerung: Vorlage %(number)s – Frist endet bald") % {"number": proposal.number},
        body=_("„%(subject)s“ – Sie haben noch nicht abgestimmt. Die Frist endet %(deadline)s.")
        % {"subject": proposal.subject, "deadline": _deadline(proposal)},
        url=_url(proposal),
    )


def announce_decision(proposal: Proposal) -> None:
    recipients = network_members(proposal.network)
    if proposal.author is not None:
        recipients.append(proposal.author)
    notify(
        recipients=recipients,
        network=proposal.network,
        kind=KIND,
        title=_("Vorlage %(number)s: %(outcome)s")
        % {"number": proposal.number, "outcome": proposal.get_outcome_display()},
        body=_("Die Steuerungsgruppe hat über „%(subject)s“ entschieden: %(outcome)s.")
        % {"subject": proposal.subject, "outcome": proposal.get_outcome_display()},
        url=_url(proposal),
    )
