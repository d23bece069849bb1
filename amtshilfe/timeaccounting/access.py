"""Who sees a time entry: only the person who booked it (staff-council rule, issue 5).

Not even the coordination reads another person's entries – it sees imports as counts and
settlements as sums per municipality. An entry of somebody else is therefore 404, exactly
like a missing one. ``can_write`` is False while the entry's date lies in a closed period
(the services refuse the change with a German message; the pages show it locked).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from amtshilfe.tenancy.models import Network
from amtshilfe.timeaccounting.models import ClosedRange, TimeEntry


def get_entry_for_user(user: Any, network: Network, pk: int) -> tuple[TimeEntry, bool]:
    """The own entry ``pk`` in ``network`` (else Http404) and whether it is still open."""
    entry = get_object_or_404(
        TimeEntry.objects.of_person(user)
        .in_network(network.pk)
        .select_related("request", "receiving_municipality", "providing_municipality"),
        pk=pk,
    )
    locked = ClosedRange.objects.covering(entry.network_id, entry.date).exists()
    return entry, not locked


def get_entry_for_user_rw(user: Any, network: Network, pk: int) -> TimeEntry:
    entry, can_write = get_entry_for_user(user, network, pk)
    if not can_write:
        raise PermissionDenied
    return entry
