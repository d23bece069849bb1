"""The participant's side: "Offene Umfragen" and answering in the app."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.lib.service_errors import add_service_errors
from amtshilfe.surveys import access, services
from amtshilfe.surveys.forms import AnswerForm
from amtshilfe.surveys.models import RatingInvitation, Survey, SurveyInvitation
from amtshilfe.tenancy.access import require_network


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    waiting = (
        SurveyInvitation.objects.for_user(request.user)
        .waiting()
        .filter(survey__network=network)
        .select_related("survey")
        .order_by("survey__closes_at", "survey_id")
    )
    ratings = (
        RatingInvitation.objects.filter(
            user=request.user, network=network, used_at__isnull=True, request__rating__isnull=True
        )
        .filter(request__status="done")
        .select_related("request")
        .order_by("-created_at")[:20]
    )
    return render(
        request,
        "surveys/index.html",
        {
            "invitations": list(waiting),
            "ratings": [r for r in ratings if r.is_usable and r.request.solved_at == r.solved_at],
            "can_read_results": access.can_read_results(request.user, network),
            "can_read_register": access.can_read_register(request.user, network),
        },
    )


@login_required
def answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    survey, _can_write = access.get_survey_for_user(request.user, network, pk)
    invitation = SurveyInvitation.objects.filter(survey=survey, user=request.user).first()
    questions = list(survey.questions.all())
    problem = ""
    if invitation is None:
        problem = "not_invited"
    elif invitation.answered:
        problem = "used"
    elif survey.status != Survey.Status.OPEN:
        problem = "expired"
    if problem:
        return render(request, "surveys/answer.html", {"survey": survey, "problem": problem})
    form = AnswerForm(request.POST if request.method == "POST" else None, questions=questions)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer_survey(actor=request.user, survey=survey, answers=form.answers())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Danke! Ihre Antworten sind anonym gespeichert."))
                return redirect("surveys:index")
        status = 400
    return render(
        request,
        "surveys/answer.html",
        {"survey": survey, "form": form, "action": request.path},
        status=status,
    )
