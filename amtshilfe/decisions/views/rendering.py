"""Proposal texts as HTML (the knowledge base's sanitised Markdown) and the rules in words."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from amtshilfe.decisions.models import MajorityRule, Proposal, QuorumKind
from amtshilfe.decisions.rules import quorum_needed
from amtshilfe.lib.markdown import render
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.views.rendering import render_for_reader


def markdown_html(text: str, *, user: Any = None, network: Network | None = None) -> str:
    """Sanitised HTML: no script, event handler or ``javascript:`` URL survives (nh3).

    With a reader, ``[[slug]]`` links to articles they may read resolve; without one (the
    public register) every such link is shown as broken.
    """
    if not text:
        return ""
    if user is not None and network is not None:
        return render_for_reader(text, user=user, network=network).html
    return render(text).html


def rules_text(*, quorum_kind: str, quorum_value: int, majority_rule: str, eligible: int) -> str:
    """E.g. "Quorum: 50 % der 4 Mitglieder (mindestens 2 Stimmen); einfache Mehrheit …"."""
    needed = quorum_needed(kind=quorum_kind, value=quorum_value, eligible=eligible)
    if quorum_kind == QuorumKind.COUNT:
        quorum = _("Quorum: mindestens %(n)d abgegebene Stimmen") % {"n": quorum_value}
    else:
        quorum = _(
            "Quorum: %(share)d %% der %(eligible)d Mitglieder (mindestens %(needed)d Stimmen)"
        ) % {"share": quorum_value, "eligible": eligible, "needed": needed}
    rule = MajorityRule(majority_rule).label
    return f"{quorum}; {rule}. " + _("Stimmengleichheit bedeutet Ablehnung.")


def proposal_rules_text(proposal: Proposal) -> str:
    if proposal.quorum_value is None or proposal.eligible_count is None:
        return ""
    return rules_text(
        quorum_kind=proposal.quorum_kind,
        quorum_value=proposal.quorum_value,
        majority_rule=proposal.majority_rule,
        eligible=proposal.eligible_count,
    )
