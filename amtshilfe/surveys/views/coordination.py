"""The coordination's screens: list, create (also from a template), edit, preview, open, close.

The steering group may read these pages; every write answers 403 for them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.lib.service_errors import add_service_errors, flash_service_error
from amtshilfe.surveys import access, services
from amtshilfe.surveys.forms import AnswerForm, QuestionForm, SurveyForm
from amtshilfe.surveys.models import Survey
from amtshilfe.tenancy.access import require_network
from amtshilfe.tenancy.models import Network


def require_reader(request: AuthenticatedRequest) -> Network:
    network = require_network(request)
    if not access.can_read_results(request.user, network):
        raise PermissionDenied
    return network


def require_manager(request: AuthenticatedRequest) -> Network:
    network = require_network(request)
    if not access.can_manage_surveys(request.user, network):
        raise PermissionDenied
    return network


@login_required
def survey_list(request: AuthenticatedRequest) -> HttpResponse:
    network = require_reader(request)
    surveys = (
        Survey.objects.in_network(network)
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__answered=True), distinct=True),
        )
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "surveys/manage_list.html",
        {
            "surveys": surveys,
            "can_write": access.can_manage_surveys(request.user, network),
            "templates": services.TEMPLATES,
        },
    )


def _survey_values(form: SurveyForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "intro": data["intro"],
        "audience": data["audience"],
        "municipality": data["municipality"],
        "closes_at": data["closes_at"],
        "reminder_days": data["reminder_days"],
    }


@login_required
def create(request: AuthenticatedRequest) -> HttpResponse:
    network = require_manager(request)
    initial = {
        "audience": Survey.Audience.EVERYBODY,
        "closes_at": timezone.localdate() + dt.timedelta(days=21),
        "reminder_days": "7, 14",
    }
    form = SurveyForm(
        request.POST if request.method == "POST" else None, network=network, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.create_survey(
                actor=request.user, network=network, **_survey_values(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Die Umfrage ist als Entwurf angelegt."))
            return redirect("surveys:manage", pk=survey.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/survey_form.html", {"form": form}, status=status)


@login_required
@require_POST
def from_template(request: AuthenticatedRequest) -> HttpResponse:
    network = require_manager(request)
    try:
        survey = services.create_survey_from_template(
            actor=request.user, network=network, template=request.POST.get("vorlage", "")
        )
    except ValidationError as error:
        flash_service_error(request, error)
        return redirect("surveys:manage_list")
    messages.success(
        request,
        _("Die Umfrage ist aus der Vorlage angelegt. Prüfen Sie sie und öffnen Sie sie dann."),
    )
    return redirect("surveys:manage", pk=survey.pk)


def _manage_context(
    request: AuthenticatedRequest, survey: Survey, can_write: bool, **forms: Any
) -> dict[str, Any]:
    initial = {
        "title": survey.title,
        "intro": survey.intro,
        "audience": survey.audience,
        "municipality": survey.municipality,
        "closes_at": survey.closes_at,
        "reminder_days": ", ".join(str(day) for day in survey.reminder_days),
    }
    invitations = survey.invitations.aggregate(
        invited=Count("id"), answered=Count("id", filter=Q(answered=True))
    )
    return {
        "survey": survey,
        "can_write": can_write,
        "editable": can_write and survey.status == Survey.Status.DRAFT,
        "questions": list(survey.questions.all()),
        "survey_form": forms.get("survey_form")
        or SurveyForm(network=survey.network, initial=initial, auto_id="umfrage_%s"),
        "question_form": forms.get("question_form")
        or QuestionForm(initial={"kind": "scale"}, auto_id="neu_%s"),
        "invited": invitations["invited"],
        "answered": invitations["answered"],
    }


@login_required
def manage(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_reader(request)
    survey, can_write = access.get_survey_for_user(request.user, network, pk)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        form = SurveyForm(request.POST, network=network, auto_id="umfrage_%s")
        if form.is_valid():
            try:
                services.update_survey(actor=request.user, survey=survey, **_survey_values(form))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Die Umfrage ist gespeichert."))
                return redirect("surveys:manage", pk=survey.pk)
        context = _manage_context(request, survey, can_write, survey_form=form)
        return render(request, "surveys/manage.html", context, status=400)
    return render(request, "surveys/manage.html", _manage_context(request, survey, can_write))


@login_required
@require_POST
def add_question(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    survey = access.get_survey_for_user_rw(request.user, network, pk)
    form = QuestionForm(request.POST, auto_id="neu_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_question(
                actor=request.user,
                survey=survey,
                kind=data["kind"],
                text=data["text"],
                required=data["required"],
                options=form.option_list(),
                low_label=data["low_label"],
                high_label=data["high_label"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Die Frage ist hinzugefügt."))
            return redirect("surveys:manage", pk=survey.pk)
    context = _manage_context(request, survey, True, question_form=form)
    return render(request, "surveys/manage.html", context, status=400)


@login_required
@require_POST
def remove_question(request: AuthenticatedRequest, pk: int, question_pk: int) -> HttpResponse:
    network = require_network(request)
    question = access.get_question_for_user_rw(request.user, network, pk, question_pk)
    try:
        services.delete_question(actor=request.user, question=question)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(request, _("Die Frage ist entfernt."))
    return redirect("surveys:manage", pk=pk)


@login_required
def preview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_reader(request)
    survey, _can_write = access.get_survey_for_user(request.user, network, pk)
    form = AnswerForm(questions=list(survey.questions.all()))
    return render(request, "surveys/answer.html", {"survey": survey, "form": form, "preview": True})


@login_required
@require_POST
def open_survey(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    survey = access.get_survey_for_user_rw(request.user, network, pk)
    try:
        count = services.open_survey(actor=request.user, survey=survey)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(
            request,
            _("Die Umfrage ist geöffnet; %(count)d Personen sind eingeladen.") % {"count": count},
        )
    return redirect("surveys:manage", pk=pk)


@login_required
@require_POST
def close_survey(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    survey = access.get_survey_for_user_rw(request.user, network, pk)
    try:
        services.close_survey(actor=request.user, survey=survey)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(request, _("Die Umfrage ist beendet."))
    return redirect("surveys:manage", pk=pk)


@login_required
@require_POST
def move_question(request: AuthenticatedRequest, pk: int, question_pk: int) -> HttpResponse:
    network = require_network(request)
    question = access.get_question_for_user_rw(request.user, network, pk, question_pk)
    try:
        services.move_question(
            actor=request.user, question=question, direction=request.POST.get("richtung", "")
        )
    except ValidationError as error:
        flash_service_error(request, error)
    return redirect("surveys:manage", pk=pk)
