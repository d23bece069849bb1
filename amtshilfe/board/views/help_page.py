"""Hilfe finden: describe the problem, see matching articles while typing, else file a request.

1. GET ``/hilfe/?q=…``: the knowledge base is searched for what the person typed (htmx asks
   for the results alone, with a short delay; without JavaScript the button reloads the page).
2. "Das hat geholfen" (POST ``/hilfe/geholfen/``) records a self-help success – no request.
3. "Anfrage stellen" shows the request form, prefilled with what they typed (JavaScript copies
   it at once, without it the link reloads the page with the form). POST ``/hilfe/`` files the
   request; on errors the page comes back with everything still filled in.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.board.forms import RequestFilingForm, SelfHelpForm, first_line
from amtshilfe.board.models import ServiceRequest
from amtshilfe.board.services import add_request_attachment, file_request, record_self_help
from amtshilfe.board.views.request_display import what_happens_next
from amtshilfe.lib.service_errors import add_service_errors
from amtshilfe.tenancy.access import current_memberships, require_network
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.models import Article
from amtshilfe.wiki.search.engine import search

MAX_SEARCH = 300  # the search looks at the start of a long description
RESULTS = 5


def _hits(network: Network, user: Any, query: str) -> list[Any]:
    return search(network, user, query[:MAX_SEARCH], limit=RESULTS) if query.strip() else []


def _context(
    request: AuthenticatedRequest, network: Network, form: RequestFilingForm, query: str
) -> dict[str, Any]:
    return {
        "query": query,
        "hits": _hits(network, request.user, query),
        "form": form,
        "show_form": form.is_bound or request.GET.get("anfrage") == "1",
        "can_file": bool(current_memberships(request.user, network)),
    }


@login_required
def help_page(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    municipalities = [m.municipality for m in current_memberships(request.user, network)]
    if request.method == "POST":
        return _file(request, network, municipalities)
    query = request.GET.get("q", "")[:5000]
    if request.htmx and request.htmx.target == "help-results":
        hits = _hits(network, request.user, query)
        return render(request, "board/help_results.html", {"query": query, "hits": hits})
    form = RequestFilingForm(
        municipalities=municipalities,
        initial={
            "title": first_line(query),
            "description": query,
            "self_help_query": query,
        },
    )
    return render(request, "board/help.html", _context(request, network, form, query))


def _file(
    request: AuthenticatedRequest, network: Network, municipalities: list[Any]
) -> HttpResponse:
    if not municipalities:
        raise PermissionDenied
    form = RequestFilingForm(request.POST, request.FILES, municipalities=municipalities)
    if form.is_valid():
        data = form.cleaned_data
        try:
            filed = file_request(
                actor=request.user,
                network=network,
                municipality=data["municipality"],
                title=data["title"],
                description=data["description"],
                urgency=data["urgency"],
                contact_preference=data["contact_preference"],
                source=ServiceRequest.Source.WEB,
                self_help_query=data["self_help_query"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _attach(request, filed, data["attachments"])
            messages.success(
                request,
                _("Ihre Anfrage #%(number)s ist eingegangen.") % {"number": filed.number}
                + " "
                + what_happens_next(filed),
            )
            return redirect("board:request", pk=filed.pk)
    if request.FILES:
        form.add_error(
            "attachments",
            _(
                "Bitte wählen Sie Ihre Anhänge noch einmal aus – Dateien kann der Browser "
                "nach einem Fehler nicht behalten."
            ),
        )
    query = request.POST.get("self_help_query", "") or request.POST.get("description", "")
    context = _context(request, network, form, query)
    return render(request, "board/help.html", context)


def _attach(request: AuthenticatedRequest, filed: ServiceRequest, files: list[Any]) -> None:
    """The files were checked by the form; they are stored together, all or none."""
    if not files:
        return
    try:
        with transaction.atomic():
            for upload in files:
                add_request_attachment(
                    actor=request.user,
                    request=filed,
                    file=upload,
                    name=upload.name or "",
                    size=upload.size or 0,
                )
    except ValidationError as error:
        messages.warning(
            request,
            _(
                "Die Anfrage ist eingegangen, die Anhänge aber nicht: %(reason)s "
                "Bitte hängen Sie sie unten noch einmal an."
            )
            % {"reason": " ".join(error.messages)},
        )


@login_required
@require_POST
def self_help(request: AuthenticatedRequest) -> HttpResponse:
    """ "Das hat geholfen": record it and say thank you; nothing is filed."""
    network = require_network(request)
    form = SelfHelpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie den Artikel, der Ihnen geholfen hat."))
        return redirect("board:help")
    article = (
        Article.objects.readable_by(request.user, network)
        .filter(pk=form.cleaned_data["article"])
        .first()
    )
    if article is None:
        messages.error(request, _("Diesen Artikel gibt es nicht (mehr)."))
        return redirect("board:help")
    try:
        record_self_help(
            actor=request.user, network=network, query=form.cleaned_data["q"], article=article
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("board:help")
    messages.success(
        request,
        _("Schön, dass es geklappt hat! Wir haben notiert, dass „%(title)s“ Ihnen geholfen hat.")
        % {"title": article.title},
    )
    return redirect(reverse("board:help_thanks") + f"?artikel={article.slug}")


@login_required
def help_thanks(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    slug = request.GET.get("artikel", "")
    article = Article.objects.readable_by(request.user, network).filter(slug=slug).first()
    return render(request, "board/help_thanks.html", {"article": article})
