"""API v1: one router per domain over the same services and QuerySets as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaError

from amtshilfe.api.auth import TokenAuth
from amtshilfe.api.routers import (
    assistant,
    communication,
    decisions,
    indicators,
    me,
    onboarding,
    requests,
    search,
    settlement,
    surveys,
    time_entries,
    triage,
)
from amtshilfe.board.services import StaleMove

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


# German texts for pydantic's error types (the rest: a generic German message).
SCHEMA_MESSAGES = {
    "missing": "Dieses Feld fehlt.",
    "string_type": "Bitte geben Sie einen Text an.",
    "int_type": "Bitte geben Sie eine ganze Zahl an.",
    "int_parsing": "Bitte geben Sie eine ganze Zahl an.",
    "int_from_float": "Bitte geben Sie eine ganze Zahl an.",
    "float_type": "Bitte geben Sie eine Zahl an.",
    "float_parsing": "Bitte geben Sie eine Zahl an.",
    "bool_type": "Bitte geben Sie true oder false an.",
    "bool_parsing": "Bitte geben Sie true oder false an.",
    "literal_error": "Unzulässiger Wert; erlaubt sind: {expected}.",
    "enum": "Unzulässiger Wert; erlaubt sind: {expected}.",
    "json_invalid": "Der Inhalt ist kein gültiges JSON.",
    "model_attributes_type": "Erwartet wird ein JSON-Objekt.",
    "dict_type": "Erwartet wird ein JSON-Objekt.",
    "list_type": "Erwartet wird eine Liste.",
}


@api.exception_handler(SchemaError)
def on_schema_error(request: HttpRequest, exc: SchemaError) -> HttpResponse:
    """Input that does not fit the schema: 422 with German messages (``type`` stays)."""
    detail = []
    for error in exc.errors:
        template = SCHEMA_MESSAGES.get(str(error.get("type")), "Ungültiger Wert.")
        context = error.get("ctx") or {}
        message = template.format(expected=context.get("expected", ""))
        detail.append({**{k: v for k, v in error.items() if k != "ctx"}, "msg": message})
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(StaleMove)
def on_stale_move(request: HttpRequest, exc: StaleMove) -> HttpResponse:
    """The card changed since the caller read ``version``: 409 with the current version."""
    return api.create_response(
        request, {"detail": exc.messages[0], "version": exc.request.version}, status=409
    )


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
api.add_router("/triage", triage.router)
api.add_router("/time-entries", time_entries.router)
api.add_router("/settlement", settlement.router)
api.add_router("/assistant", assistant.router)
api.add_router("/decisions", decisions.router)
api.add_router("/communication", communication.router)
api.add_router("/onboarding", onboarding.router)
api.add_router("/surveys", surveys.router)
api.add_router("/indicators", indicators.router)
