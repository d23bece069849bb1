"""One-click links from e-mails (no login): rating a request, answering a survey.

GET never writes – mail gateways open links to scan them. The page shows what the click
means (the rating pre-selected from ``?wert=``) and the person confirms with one POST.
Unknown, used and expired links get a German page saying why and what to do instead.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from amtshilfe.lib.service_errors import add_service_errors
from amtshilfe.surveys import services
from amtshilfe.surveys.forms import AnswerForm, RatingForm

PROBLEM_STATUS = {"unknown": 404, "used": 410, "expired": 410}


def _problem_page(request: HttpRequest, problem: str, kind: str) -> HttpResponse:
    return render(
        request,
        "surveys/link_problem.html",
        {"problem": problem, "kind": kind},
        status=PROBLEM_STATUS.get(problem, 409),
    )


def _no_robots(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def rate_by_link(request: HttpRequest, token: str) -> HttpResponse:
    state = services.rating_link_state(token)
    if not state.usable or state.invitation is None:
        return _no_robots(_problem_page(request, state.problem, "rating"))
    service_request = state.invitation.request
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                services.rate_request_by_link(
                    token=token,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                )
            except services.RatingLinkUnusable as error:
                return _no_robots(_problem_page(request, error.problem, "rating"))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("surveys:thanks")
        status = 400
    else:
        preselected = request.GET.get("wert", "")
        initial = {"rating": preselected} if preselected in {"1", "2", "3", "4", "5"} else {}
        form = RatingForm(initial=initial)
        status = 200
    return _no_robots(
        render(
            request,
            "surveys/rate.html",
            {"form": form, "service_request": service_request},
            status=status,
        )
    )


@never_cache
def answer_by_link(request: HttpRequest, token: str) -> HttpResponse:
    invitation, problem = services.survey_invitation_for_token(token)
    if invitation is None or problem:
        return _no_robots(_problem_page(request, problem or "unknown", "survey"))
    survey = invitation.survey
    form = AnswerForm(
        request.POST if request.method == "POST" else None, questions=list(survey.questions.all())
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer_survey_by_link(token=token, answers=form.answers())
            except services.SurveyLinkUnusable as error:
                return _no_robots(_problem_page(request, error.problem, "survey"))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("surveys:thanks")
        status = 400
    return _no_robots(
        render(
            request,
            "surveys/answer.html",
            {"survey": survey, "form": form, "action": request.path, "by_link": True},
            status=status,
        )
    )


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/thanks.html")
