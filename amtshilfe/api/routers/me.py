"""`GET /api/v1/me`: who the caller is, where they work, which roles they hold."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from amtshilfe.accounts.models import User
from amtshilfe.tenancy.models import Membership, NetworkRole

router = Router(tags=["me"])


class MembershipOut(Schema):
    network: str
    municipality: str
    municipality_name: str
    role: str
    since: str


class NetworkRoleOut(Schema):
    network: str
    role: str


class MeOut(Schema):
    username: str
    name: str
    email: str
    language: str
    memberships: list[MembershipOut]
    network_roles: list[NetworkRoleOut]


@router.get("", response=MeOut, summary="Das eigene Konto mit Mitgliedschaften und Rollen")
def get_me(request: HttpRequest) -> MeOut:
    user = request.user
    assert isinstance(user, User)  # TokenAuth set it
    memberships = (
        Membership.objects.current()
        .filter(user=user, municipality__status="active")
        .select_related("municipality__network")
    )
    roles = NetworkRole.objects.filter(user=user).select_related("network")
    return MeOut(
        username=user.get_username(),
        name=user.full_name,
        email=user.email,
        language=user.language,
        memberships=[
            MembershipOut(
                network=m.municipality.network.slug,
                municipality=m.municipality.slug,
                municipality_name=m.municipality.name,
                role=m.role,
                since=m.started_on.isoformat(),
            )
            for m in memberships
        ],
        network_roles=[NetworkRoleOut(network=r.network.slug, role=r.role) for r in roles],
    )
