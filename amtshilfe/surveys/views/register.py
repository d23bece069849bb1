"""The processing register (Art. 30 DSGVO) for coordination, steering group and audit."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.surveys import access
from amtshilfe.surveys.processing_register import MEASURES, activities, open_measures
from amtshilfe.tenancy.access import require_network


@login_required
def processing_register(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    if not access.can_read_register(request.user, network):
        raise PermissionDenied
    return render(
        request,
        "surveys/register.html",
        {
            "network": network,
            "activities": activities(),
            "measures": MEASURES,
            "open_measures": open_measures(),
        },
    )
