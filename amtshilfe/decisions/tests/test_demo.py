"""The demo decisions: every state once, created through the services, only once."""

from __future__ import annotations

import pytest

from amtshilfe.core.models import AuditEvent
from amtshilfe.decisions.demo import load_demo_decisions
from amtshilfe.decisions.models import DecisionReasons, Proposal
from amtshilfe.decisions.tests.proposals import more_steering

pytestmark = pytest.mark.django_db


def test_it_loads_each_state_once(personas):
    more_steering(personas, personas.dora)
    people = {
        "koordination": personas.coordinator,
        "steuerung.grossenhain": personas.steering,
        "steuerung.landkreis": personas.dora,
    }
    assert load_demo_decisions(personas.network, people) == 4
    states = sorted(Proposal.objects.values_list("status", "outcome"))
    assert states == [("decided", "accepted"), ("decided", "rejected"), ("draft", ""), ("open", "")]
    assert DecisionReasons.objects.count() == 1
    assert AuditEvent.objects.filter(action="proposal.decided").count() == 2
    assert load_demo_decisions(personas.network, people) == 0
    assert Proposal.objects.count() == 4
