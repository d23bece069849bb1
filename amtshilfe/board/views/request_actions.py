"""The changes on a request's page, one POST view each: decorators, access, form, service.

- Invisible requests are 404 (``get_request_for_user``); the IT side's changes are 403 for
  everyone else (``get_request_for_user_rw``), the services check the finer rules (take,
  assign, rate) and raise ``PermissionDenied`` (403) themselves.
- Card changes carry the version the person saw; ``StaleMove`` ("Die Karte wurde inzwischen
  … verschoben. Die Ansicht wurde aktualisiert.") is shown on the reloaded page.
- Where someone typed text (comment, closing comment, reason, rating comment) an error shows
  the page again with the text still in the field instead of redirecting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.board import access, services
from amtshilfe.board.forms import (
    AssignForm,
    AttachmentUploadForm,
    CloseForm,
    ClusterForm,
    ColumnMoveForm,
    CommentForm,
    RatingForm,
    ReopenForm,
    UrgencyForm,
    VersionedForm,
)
from amtshilfe.board.models import Column, ServiceRequest
from amtshilfe.board.views.requests import load_request, render_detail
from amtshilfe.experts.models import TopicCluster
from amtshilfe.lib.service_errors import (
    add_service_errors,
    flash_form_errors,
    flash_service_error,
)
from amtshilfe.tenancy.access import require_network
from amtshilfe.tenancy.models import Network

INCOMPLETE = gettext_lazy(
    "Die Eingabe war unvollständig. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal."
)


def _back(obj: ServiceRequest, anchor: str = "") -> HttpResponse:
    return redirect(reverse("board:request", kwargs={"pk": obj.pk}) + anchor)


def _load_rw(request: AuthenticatedRequest, pk: int) -> tuple[Network, ServiceRequest]:
    network = require_network(request)
    return network, access.get_request_for_user_rw(request.user, network, pk)


def _change(
    request: AuthenticatedRequest,
    obj: ServiceRequest,
    run: Callable[[], Any],
    success: str,
    anchor: str = "",
) -> HttpResponse:
    """Run a service; its German error (also ``StaleMove``) is shown on the reloaded page."""
    try:
        run()
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(request, success)
    return _back(obj, anchor)


def _with_current_version(form: Any, obj: ServiceRequest) -> Any:
    """The bound form again, with the card's current version (the page shows the new state)."""
    data: QueryDict = form.data.copy()
    data["version"] = str(obj.version)
    bound = type(form)(data, auto_id=form.auto_id)
    bound.is_valid()
    return bound


def _fresh(request: AuthenticatedRequest, pk: int) -> tuple[Network, ServiceRequest, bool]:
    return load_request(request, pk)


# --- the IT side -----------------------------------------------------------------------------


@login_required
@require_POST
def take(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _network, obj = _load_rw(request, pk)
    form = VersionedForm(request.POST)
    if not form.is_valid():
        messages.error(request, INCOMPLETE)
        return _back(obj)
    return _change(
        request,
        obj,
        lambda: services.take_request(
            actor=request.user, request=obj, expected_version=form.cleaned_data["version"]
        ),
        _("Sie haben die Anfrage übernommen."),
    )


@login_required
@require_POST
def assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network, obj = _load_rw(request, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, INCOMPLETE)
        return _back(obj, "#bearbeitung")
    username = form.cleaned_data["assignee"].strip()
    person = None
    if username:
        person = access.network_members(network).filter(username=username).first()
        if person is None:
            messages.error(request, _("Diese Person gibt es im Netzwerk nicht."))
            return _back(obj, "#bearbeitung")
    success = (
        _("Die Anfrage ist %(name)s zugewiesen.") % {"name": person.full_name}
        if person is not None
        else _("Die Anfrage ist niemandem mehr zugewiesen.")
    )
    return _change(
        request,
        obj,
        lambda: services.assign_request(
            actor=request.user,
            request=obj,
            assignee=person,
            expected_version=form.cleaned_data["version"],
        ),
        success,
        "#bearbeitung",
    )


@login_required
@require_POST
def change_cluster(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network, obj = _load_rw(request, pk)
    form = ClusterForm(request.POST)
    if not form.is_valid():
        messages.error(request, INCOMPLETE)
        return _back(obj, "#bearbeitung")
    slug = form.cleaned_data["cluster"]
    cluster = None
    if slug:
        cluster = TopicCluster.objects.in_network(network).active().filter(slug=slug).first()
        if cluster is None:
            messages.error(request, _("Dieses Themencluster gibt es im Netzwerk nicht."))
            return _back(obj, "#bearbeitung")
    success = (
        _("Die Anfrage gehört jetzt zum Themencluster „%(name)s“.") % {"name": cluster.name}
        if cluster is not None
        else _("Die Anfrage ist zurück in der Triage.")
    )
    return _change(
        request,
        obj,
        lambda: services.set_request_cluster(
            actor=request.user,
            request=obj,
            cluster=cluster,
            expected_version=form.cleaned_data["version"],
        ),
        success,
        "#bearbeitung",
    )


@login_required
@require_POST
def change_urgency(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _network, obj = _load_rw(request, pk)
    form = UrgencyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie eine Dringlichkeit."))
        return _back(obj, "#bearbeitung")
    urgency = form.cleaned_data["urgency"]
    return _change(
        request,
        obj,
        lambda: services.set_request_urgency(
            actor=request.user,
            request=obj,
            urgency=urgency,
            expected_version=form.cleaned_data["version"],
        ),
        _("Die Dringlichkeit ist jetzt „%(urgency)s“.")
        % {"urgency": ServiceRequest.Urgency(urgency).label},
        "#bearbeitung",
    )


@login_required
@require_POST
def move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _network, obj = _load_rw(request, pk)
    form = ColumnMoveForm(request.POST)
    column = None
    if form.is_valid():
        column = Column.objects.filter(
            board_id=obj.column.board_id, pk=form.cleaned_data["column"]
        ).first()
    if column is None:
        messages.error(request, _("Bitte wählen Sie eine Spalte dieses Boards."))
        return _back(obj, "#bearbeitung")
    return _change(
        request,
        obj,
        lambda: services.move_request(
            actor=request.user,
            request=obj,
            column=column,
            position=None,
            expected_version=form.cleaned_data["version"],
        ),
        _("Die Karte ist jetzt in der Spalte „%(column)s“.") % {"column": column.name},
        "#bearbeitung",
    )


@login_required
@require_POST
def close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network, obj = _load_rw(request, pk)
    form = CloseForm(request.POST, auto_id="close_%s")
    if form.is_valid():
        comment = form.cleaned_data["comment"].strip()
        try:
            with transaction.atomic():
                if comment:
                    services.add_comment(actor=request.user, request=obj, body=comment)
                services.close_request(
                    actor=request.user, request=obj, expected_version=form.cleaned_data["version"]
                )
        except ValidationError as error:
            flash_service_error(request, error)
        else:
            messages.success(
                request,
                _("Die Anfrage ist erledigt. Die Kommune wird gebeten, die Hilfe zu bewerten."),
            )
            return _back(obj)
    else:
        messages.error(request, INCOMPLETE)
    network, obj, it_side = _fresh(request, pk)
    return render_detail(
        request, network, obj, it_side, close_form=_with_current_version(form, obj)
    )


@login_required
@require_POST
def create_article(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _network, obj = _load_rw(request, pk)
    try:
        article = services.create_article_from_request(actor=request.user, request=obj)
    except ValidationError as error:
        flash_service_error(request, error)
        return _back(obj)
    messages.success(
        request,
        _(
            "Der Artikelentwurf ist angelegt. Bitte prüfen und ergänzen Sie ihn – interne "
            "Kommentare wurden nicht übernommen."
        ),
    )
    return redirect("wiki:edit", slug=article.slug)


# --- both sides ------------------------------------------------------------------------------


@login_required
@require_POST
def reopen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network, obj, it_side = load_request(request, pk)
    form = ReopenForm(request.POST, auto_id="reopen_%s")
    if form.is_valid():
        try:
            services.reopen_request(
                actor=request.user,
                request=obj,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            flash_service_error(request, error)
        else:
            messages.success(request, _("Die Anfrage ist wieder in Arbeit."))
            return _back(obj)
    else:
        messages.error(request, INCOMPLETE)
    network, obj, it_side = _fresh(request, pk)
    return render_detail(
        request, network, obj, it_side, reopen_form=_with_current_version(form, obj)
    )


@login_required
@require_POST
def rate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network, obj, it_side = load_request(request, pk)
    form = RatingForm(request.POST, auto_id="rating_%s")
    if form.is_valid():
        try:
            services.rate_request(
                actor=request.user,
                request=obj,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Danke für Ihre Bewertung!"))
            return _back(obj, "#bewertung")
    elif not access.can_rate(request.user, obj):
        raise PermissionDenied
    flash_form_errors(request, form)
    return render_detail(request, network, obj, it_side, rating_form=form)


@login_required
@require_POST
def comment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network, obj, it_side = load_request(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(
                actor=request.user,
                request=obj,
                body=form.cleaned_data["body"],
                internal=form.cleaned_data["internal"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            internal = form.cleaned_data["internal"]
            messages.success(
                request,
                _("Ihr interner Kommentar ist gespeichert.")
                if internal
                else _("Ihr Kommentar ist gespeichert."),
            )
            return _back(obj, "#kommentare")
    return render_detail(request, network, obj, it_side, comment_form=form)


@login_required
@require_POST
def upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network, obj, it_side = load_request(request, pk)
    form = AttachmentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        files = form.cleaned_data["attachments"]
        try:
            with transaction.atomic():
                for upload in files:
                    services.add_request_attachment(
                        actor=request.user,
                        request=obj,
                        file=upload,
                        name=upload.name or "",
                        size=upload.size or 0,
                    )
        except ValidationError as error:
            add_service_errors(form, ValidationError({"attachments": error.messages}))
        else:
            messages.success(
                request,
                _("%(n)s Datei(en) angehängt.") % {"n": len(files)},
            )
            return _back(obj, "#anhaenge")
    return render_detail(request, network, obj, it_side, upload_form=form)


@login_required
@require_POST
def watch(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _network, obj, _it_side = load_request(request, pk)
    services.watch_request(actor=request.user, request=obj)
    messages.success(
        request, _("Sie beobachten diese Anfrage und werden über Änderungen benachrichtigt.")
    )
    return _back(obj)


@login_required
@require_POST
def unwatch(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _network, obj, _it_side = load_request(request, pk)
    services.unwatch_request(actor=request.user, request=obj)
    messages.success(request, _("Sie beobachten diese Anfrage nicht mehr."))
    return _back(obj)
