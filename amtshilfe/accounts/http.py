"""Request type for views behind `login_required` (request.user is a real User)."""

from __future__ import annotations

from django.http import HttpRequest

from amtshilfe.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User
