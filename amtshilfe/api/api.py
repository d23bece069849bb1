"""API v1: one router per domain over the same services and QuerySets as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from amtshilfe.api.auth import TokenAuth
from amtshilfe.api.routers import me, requests, search

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


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A service refused the input: 422 in the shape of schema errors (loc, msg)."""
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": ["body", field], "msg": message, "type": "value_error"}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        detail = [
            {"loc": ["body"], "msg": message, "type": "value_error"} for message in exc.messages
        ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Dafür fehlt Ihnen die Berechtigung."}, status=403
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Nicht gefunden."}, status=404)


api.add_router("/me", me.router)
api.add_router("/requests", requests.router)
api.add_router("/search", search.router)
