"""The coordination's website screens under /website/: pages, contacts, join requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.lib.markdown import render as render_markdown
from amtshilfe.lib.service_errors import add_service_errors, flash_service_error
from amtshilfe.tenancy.access import require_coordinator, require_network_admin_reader
from amtshilfe.tenancy.models import Municipality
from amtshilfe.website import access, services
from amtshilfe.website.defaults import default_body, default_title
from amtshilfe.website.forms import DecisionForm, PublicContactForm, SitePageForm
from amtshilfe.website.models import JoinRequest, PublicContact, SitePage
from amtshilfe.website.public import public_html


@login_required
def overview(request: AuthenticatedRequest) -> HttpResponse:
    network = require_coordinator(request)
    saved = {p.key: p for p in SitePage.objects.filter(network=network)}
    pages = [(key, label, saved.get(key)) for key, label in SitePage.Key.choices]
    return render(
        request,
        "website/manage/overview.html",
        {
            "pages": pages,
            "pending": JoinRequest.objects.in_network(network).pending().count(),
            "contacts": PublicContact.objects.in_network(network).count(),
        },
    )


@login_required
def page_edit(request: AuthenticatedRequest, key: str) -> HttpResponse:
    network = access.require_site_editor(request, key)
    page = SitePage.objects.filter(network=network, key=key).first()
    initial = {
        "title": page.title if page else default_title(key),
        "body": page.body if page else default_body(key, network),
        "base_version": page.version if page else 0,
    }
    form = SitePageForm(request.POST if request.method == "POST" else None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "vorschau" in request.POST:
            preview = public_html(render_markdown(data["body"]).html)
        else:
            try:
                services.save_site_page(
                    actor=request.user,
                    network=network,
                    key=key,
                    title=data["title"],
                    body=data["body"],
                    message=data["message"],
                    base_version=data["base_version"] if page else None,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Die Seite ist gespeichert."))
                return redirect("website:page_history", key=key)
    return render(
        request,
        "website/manage/page_edit.html",
        {
            "key": key,
            "label": SitePage.Key(key).label,
            "page": page,
            "form": form,
            "preview": preview,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def page_history(request: AuthenticatedRequest, key: str) -> HttpResponse:
    network = access.require_site_editor(request, key)
    page = SitePage.objects.filter(network=network, key=key).first()
    revisions = list(page.revisions.select_related("author")) if page else []
    return render(
        request,
        "website/manage/page_history.html",
        {"key": key, "label": SitePage.Key(key).label, "page": page, "revisions": revisions},
    )


@login_required
def page_revision(request: AuthenticatedRequest, key: str, number: int) -> HttpResponse:
    revision = access.get_site_page_revision_for_user_rw(request, key, number)
    return render(
        request,
        "website/manage/page_revision.html",
        {
            "key": key,
            "label": SitePage.Key(key).label,
            "revision": revision,
            "page": revision.page,
            "html": public_html(render_markdown(revision.body).html),
        },
    )


@login_required
@require_POST
def page_restore(request: AuthenticatedRequest, key: str, number: int) -> HttpResponse:
    revision = access.get_site_page_revision_for_user_rw(request, key, number)
    base = request.POST.get("base_version", "")
    try:
        services.restore_site_page_revision(
            actor=request.user,
            revision=revision,
            base_version=int(base) if base.isdigit() else None,
        )
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(
            request,
            _("Version %(number)s ist wiederhergestellt (als neue Version).")
            % {"number": revision.number},
        )
    return redirect("website:page_history", key=key)


@login_required
def contacts(request: AuthenticatedRequest) -> HttpResponse:
    network = require_coordinator(request)
    municipalities = (
        Municipality.objects.in_network(network).active().select_related("public_contact")
    )
    return render(request, "website/manage/contacts.html", {"municipalities": municipalities})


@login_required
def contact_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    municipality = access.get_contact_municipality_for_user_rw(request, slug)
    contact = PublicContact.objects.filter(municipality=municipality).first()
    initial = (
        {
            "label": contact.label,
            "email": contact.email,
            "phone": contact.phone,
            "note": contact.note,
        }
        if contact
        else {"label": _("IT-Ansprechstelle")}
    )
    form = PublicContactForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_public_contact(
                actor=request.user, municipality=municipality, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Der Kontakt für %(name)s ist auf der Website sichtbar.")
                % {"name": municipality.name},
            )
            return redirect("website:contacts")
    return render(
        request,
        "website/manage/contact_edit.html",
        {"municipality": municipality, "contact": contact, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def contact_remove(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    municipality = access.get_contact_municipality_for_user_rw(request, slug)
    services.remove_public_contact(actor=request.user, municipality=municipality)
    messages.success(
        request,
        _("Für %(name)s wird kein Kontakt mehr angezeigt.") % {"name": municipality.name},
    )
    return redirect("website:contacts")


@login_required
def join_request_list(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network_admin_reader(request)
    status = request.GET.get("status", "")
    rows = JoinRequest.objects.in_network(network)
    if status in JoinRequest.Status.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "website/manage/join_requests.html",
        {"join_requests": rows, "status": status, "statuses": JoinRequest.Status.choices},
    )


@login_required
def join_request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    join_request, can_write = access.get_join_request_for_user(request, pk)
    form = DecisionForm()
    return render(
        request,
        "website/manage/join_request_detail.html",
        {"join_request": join_request, "can_write": can_write, "form": form},
    )


@login_required
@require_POST
def join_request_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    join_request = access.get_join_request_for_user_rw(request, pk)
    form = DecisionForm(request.POST)
    decision = request.POST.get("entscheidung")
    if decision not in {"annehmen", "ablehnen"}:
        form.add_error(None, _("Bitte wählen Sie „Annehmen“ oder „Ablehnen“."))
    if form.is_valid():
        try:
            services.decide_join_request(
                actor=request.user,
                join_request=join_request,
                accept=decision == "annehmen",
                message=form.cleaned_data["message"],
                create_member=form.cleaned_data["create_member"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Die Anfrage ist angenommen; die Ansprechperson erhält eine E-Mail.")
                if decision == "annehmen"
                else _("Die Anfrage ist abgelehnt; die Ansprechperson erhält eine E-Mail."),
            )
            return redirect("website:join_request_detail", pk=join_request.pk)
    return render(
        request,
        "website/manage/join_request_detail.html",
        {"join_request": join_request, "can_write": True, "form": form},
        status=400,
    )
