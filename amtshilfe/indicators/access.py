"""Who may see the indicators dashboard and the process analysis.

Coordination, steering group and auditor (data protection / staff council) read everything
here – all of it is aggregated and small groups are suppressed. Everybody else in the network
gets 403, people outside it 404 (``require_network``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amtshilfe.tenancy.access import can_read_network_admin, require_network_admin_reader
from amtshilfe.tenancy.models import Network


def can_read_indicators(user: Any, network: Network | None) -> bool:
    return can_read_network_admin(user, network)


def require_indicator_reader(request: HttpRequest) -> Network:
    return require_network_admin_reader(request)
