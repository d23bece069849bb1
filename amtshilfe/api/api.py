"""API v1: one router per domain over the same services and QuerySets as the pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from amtshilfe.api.auth import TokenAuth
from amtshilfe.api.routers import me, search

api = NinjaAPI(
    title="Amtshilfe API",
    version="1",
    description="Schnittstelle des IT-Fachkräfte-Netzwerks. Authentifizierung: "
    "`Authorization: Bearer <token>` (Token von `amtshilfe create-token USERNAME`).",
    auth=TokenAuth(),
    urls_namespace="api-v1",
    docs_url=None,
)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Nicht angemeldet: gültiger API-Token fehlt (Authorization: Bearer …)."},
        status=401,
    )


api.add_router("/me", me.router)
api.add_router("/search", search.router)
