"""The network a request works in: the user's chosen one, else their first, else the default."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from amtshilfe.tenancy.models import Network

SESSION_KEY = "amtshilfe_network"
_UNSET = object()


def default_network() -> Network | None:
    """The network shown to anonymous visitors: AMTSHILFE_DEFAULT_NETWORK, else the first."""
    networks = Network.objects.order_by("pk")
    if settings.AMTSHILFE_DEFAULT_NETWORK:
        chosen = networks.filter(slug=settings.AMTSHILFE_DEFAULT_NETWORK).first()
        if chosen is not None:
            return chosen
    return networks.first()


def _resolve(request: HttpRequest) -> Network | None:
    user = request.user
    if not user.is_authenticated:
        return default_network()
    networks = Network.objects.visible_to(user).order_by("pk")
    selected = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if selected:
        network = networks.filter(slug=selected).first()
        if network is not None:
            return network
    return networks.first()


def current_network(request: HttpRequest) -> Network | None:
    """Resolved once per request and cached on it."""
    cached = request.__dict__.get("_amtshilfe_network", _UNSET)
    if cached is _UNSET:
        cached = _resolve(request)
        request.__dict__["_amtshilfe_network"] = cached
    return cached


def select_network(request: HttpRequest, network: Network) -> None:
    request.session[SESSION_KEY] = network.slug
    request.__dict__["_amtshilfe_network"] = network
