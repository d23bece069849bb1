"""Request context (client IP, request id) for services that record audit events.

Services are called from views, the API, commands and tasks; they must not take the
HTTP request as a parameter. The middleware puts what the audit log needs into a
context variable instead.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    request_id: str = ""


_EMPTY = RequestContext()
_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "amtshilfe_request_context", default=None
)


def current_context() -> RequestContext:
    return _current.get() or _EMPTY


def set_context(context: RequestContext) -> contextvars.Token[RequestContext | None]:
    return _current.set(context)


def reset_context(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)
