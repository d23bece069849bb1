"""Who may do what on the website's internal screens (one helper per object type).

- public pages: everybody, always for the default network;
- site pages and public contacts: the coordination edits; nobody else sees the editor (403);
- join requests: the coordination decides; steering group and audit read (network
  administration readers); other members 403; another network's requests 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from amtshilfe.tenancy.access import (
    is_coordinator,
    require_coordinator,
    require_network_admin_reader,
)
from amtshilfe.tenancy.models import Municipality, Network
from amtshilfe.website.models import JoinRequest, SitePage, SitePageRevision


def get_join_request_for_user(request: HttpRequest, pk: int) -> tuple[JoinRequest, bool]:
    """The join request ``pk`` of the current network and whether the user may decide it."""
    network = require_network_admin_reader(request)
    join_request = get_object_or_404(
        JoinRequest.objects.in_network(network).prefetch_related("clusters"), pk=pk
    )
    return join_request, is_coordinator(request.user, network)


def get_join_request_for_user_rw(request: HttpRequest, pk: int) -> JoinRequest:
    join_request, can_write = get_join_request_for_user(request, pk)
    if not can_write:
        raise PermissionDenied
    return join_request


def require_site_editor(request: HttpRequest, key: str) -> Network:
    """The network whose page ``key`` the coordinator edits (unknown key: 404)."""
    if key not in SitePage.Key.values:
        raise Http404
    return require_coordinator(request)


def get_site_page_revision_for_user_rw(
    request: HttpRequest, key: str, number: int
) -> SitePageRevision:
    network = require_site_editor(request, key)
    return get_object_or_404(
        SitePageRevision.objects.select_related("page"),
        page__network=network,
        page__key=key,
        number=number,
    )


def get_contact_municipality_for_user_rw(request: HttpRequest, slug: str) -> Municipality:
    """A municipality of the coordinator's network whose public contact they set."""
    network = require_coordinator(request)
    return get_object_or_404(Municipality.objects.in_network(network), slug=slug)
