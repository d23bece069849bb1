"""Decided join requests are deleted a year after the decision (Datenschutzerklärung)."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.management import call_command

from amtshilfe.core.models import AuditEvent
from amtshilfe.website.models import JoinRequest
from amtshilfe.website.services import decide_join_request, submit_join_request

DECIDED = dt.datetime(2026, 2, 1, 10, tzinfo=dt.UTC)


def submitted(personas, name):
    return submit_join_request(
        network=personas.network,
        municipality_name=name,
        kind="gemeinde",
        population=100,
        contact_name="Paula Prüf",
        email="p@example.org",
        consent=True,
    )


def test_it_deletes_decided_requests_after_a_year(personas):
    with time_machine.travel(DECIDED, tick=False):
        old = submitted(personas, "Altdorf")
        decide_join_request(
            actor=personas.coordinator, join_request=old, accept=False, message="Nein"
        )
        submitted(personas, "Wartedorf")  # pending: stays
    with time_machine.travel(DECIDED + dt.timedelta(days=364), tick=False):
        call_command("purge_join_requests")
        assert JoinRequest.objects.count() == 2
    with time_machine.travel(DECIDED + dt.timedelta(days=366), tick=False):
        call_command("purge_join_requests")
    assert list(JoinRequest.objects.values_list("municipality_name", flat=True)) == ["Wartedorf"]
    event = AuditEvent.objects.get(action="join_request.purged")
    assert event.network == personas.network and event.after["count"] == 1
