"""Coordination screens: municipalities, people, memberships, roles, audit log.

Coordination writes; steering group and audit read (403 on writes); everybody else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.accounts.models import User
from amtshilfe.core.models import AuditEvent
from amtshilfe.lib.service_errors import add_service_errors, flash_form_errors, flash_service_error
from amtshilfe.tenancy import access, services
from amtshilfe.tenancy.current import select_network
from amtshilfe.tenancy.forms import (
    AuditFilterForm,
    DateForm,
    MembershipAddForm,
    MembershipRoleForm,
    MunicipalityCreateForm,
    MunicipalityForm,
    NetworkRoleForm,
    PersonCreateForm,
    PersonEditForm,
    PersonFilterForm,
)
from amtshilfe.tenancy.models import Membership, Municipality, Network, NetworkRole


def _get_person(request: AuthenticatedRequest, network: Network, pk: int) -> User:
    return get_object_or_404(User.objects.in_network(network.pk), pk=pk)


# --- Network overview and municipalities ---------------------------------------------------


@login_required
def overview(request: AuthenticatedRequest) -> HttpResponse:
    network = access.require_network_admin_reader(request)
    municipalities = (
        Municipality.objects.in_network(network)
        .annotate(
            staff_count=Count(
                "memberships",
                filter=Q(memberships__ended_on__isnull=True, memberships__role="staff"),
                distinct=True,
            ),
            it_count=Count(
                "memberships",
                filter=Q(memberships__ended_on__isnull=True, memberships__role="it"),
                distinct=True,
            ),
        )
        .order_by("status", "name")
    )
    return render(
        request,
        "tenancy/overview.html",
        {
            "network": network,
            "municipalities": municipalities,
            "can_write": access.is_coordinator(request.user, network),
            "networks": Network.objects.visible_to(request.user),
        },
    )


@login_required
@require_POST
def switch_network(request: AuthenticatedRequest) -> HttpResponse:
    network = get_object_or_404(
        Network.objects.visible_to(request.user),
        slug=request.POST.get("network", ""),
    )
    select_network(request, network)
    target = request.POST.get("next") or reverse("dashboard:start")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("dashboard:start")
    return redirect(target)


@login_required
def municipality_create(request: AuthenticatedRequest) -> HttpResponse:
    network = access.require_coordinator(request)
    form = MunicipalityCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            municipality = services.create_municipality(
                actor=request.user,
                network=network,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s ist jetzt Mitglied des Netzwerks.") % {"name": municipality.name},
            )
            return redirect("tenancy:municipality_detail", slug=municipality.slug)
    return render(request, "tenancy/municipality_form.html", {"form": form, "creating": True})


@login_required
def municipality_detail(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    municipality, can_write = access.get_municipality_for_user(request, slug)
    memberships = municipality.memberships.select_related("user").order_by(
        "ended_on", "role", "user__last_name", "user__first_name"
    )
    return render(
        request,
        "tenancy/municipality_detail.html",
        {
            "municipality": municipality,
            "current": [m for m in memberships if m.ended_on is None],
            "former": [m for m in memberships if m.ended_on is not None],
            "can_write": can_write,
            "can_see_people": can_write
            or access.can_read_network_admin(request.user, municipality.network)
            or any(m.user_id == request.user.pk for m in memberships),
        },
    )


@login_required
def municipality_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    municipality = access.get_municipality_for_user_rw(request, slug)
    fields = list(MunicipalityForm.base_fields)
    form = MunicipalityForm(
        request.POST if request.method == "POST" else None,
        initial={f: getattr(municipality, f) for f in fields},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_municipality(
                actor=request.user,
                municipality=municipality,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Die Angaben wurden gespeichert."))
            return redirect("tenancy:municipality_detail", slug=municipality.slug)
    return render(
        request,
        "tenancy/municipality_form.html",
        {"form": form, "municipality": municipality, "creating": False},
    )


@login_required
def municipality_leave(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    municipality = access.get_municipality_for_user_rw(request, slug)
    form = DateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_municipality_leaving(
                actor=request.user,
                municipality=municipality,
                left_on=form.cleaned_data["day"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Der Austritt von %(name)s ist eingetragen. Alle bisherigen Daten bleiben erhalten."
                )
                % {"name": municipality.name},
            )
            return redirect("tenancy:municipality_detail", slug=municipality.slug)
    return render(
        request, "tenancy/municipality_leave.html", {"form": form, "municipality": municipality}
    )


@login_required
@require_POST
def municipality_readmit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    municipality = access.get_municipality_for_user_rw(request, slug)
    try:
        services.readmit_municipality(actor=request.user, municipality=municipality)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(request, _("%(name)s ist wieder Mitglied.") % {"name": municipality.name})
    return redirect("tenancy:municipality_detail", slug=municipality.slug)


# --- People --------------------------------------------------------------------------------


@login_required
def person_list(request: AuthenticatedRequest) -> HttpResponse:
    network = access.require_network_admin_reader(request)
    municipalities = Municipality.objects.in_network(network)
    form = PersonFilterForm(request.GET or None, municipalities=municipalities)
    people = User.objects.in_network(network.pk)
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            people = people.filter(
                Q(username__icontains=query)
                | Q(first_name__icontains=query)
                | Q(last_name__icontains=query)
                | Q(email__icontains=query)
            )
        if form.cleaned_data["municipality"]:
            people = people.filter(
                memberships__municipality=form.cleaned_data["municipality"],
                memberships__ended_on__isnull=True,
            )
        role = form.cleaned_data["role"]
        if role in Membership.Role.values:
            people = people.filter(
                memberships__role=role,
                memberships__ended_on__isnull=True,
                memberships__municipality__network=network,
            )
        elif role in NetworkRole.Role.values:
            people = people.filter(network_roles__role=role, network_roles__network=network)
    current = (
        Membership.objects.current()
        .filter(municipality__network=network)
        .select_related("municipality")
    )
    people = people.prefetch_related(
        Prefetch("memberships", queryset=current, to_attr="current_memberships"),
        Prefetch(
            "network_roles",
            queryset=NetworkRole.objects.filter(network=network),
            to_attr="roles_here",
        ),
    ).order_by("last_name", "first_name", "username")
    page = Paginator(people, 50).get_page(request.GET.get("seite"))
    query_string = request.GET.copy()
    query_string.pop("seite", None)
    return render(
        request,
        "tenancy/person_list.html",
        {
            "form": form,
            "page": page,
            "query_string": query_string.urlencode(),
            "can_write": access.is_coordinator(request.user, network),
        },
    )


def _invitation_link(request: AuthenticatedRequest, person: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    return request.build_absolute_uri(
        reverse("accounts:password_set", kwargs={"uidb64": uid, "token": token})
    )


def _invite(request: AuthenticatedRequest, person: User, network: Network) -> None:
    link = _invitation_link(request, person)
    emailed = services.invite_person(actor=request.user, network=network, person=person, link=link)
    # The link is a credential: it is shown only when no e-mail can carry it.
    request.session["amtshilfe_invitation"] = {
        "pk": person.pk,
        "emailed": emailed,
        "link": "" if emailed else link,
    }


@login_required
def person_create(request: AuthenticatedRequest) -> HttpResponse:
    network = access.require_coordinator(request)
    municipalities = Municipality.objects.in_network(network).active()
    initial = {}
    if request.GET.get("kommune"):
        initial["municipality"] = municipalities.filter(slug=request.GET["kommune"]).first()
    form = PersonCreateForm(
        request.POST if request.method == "POST" else None,
        municipalities=municipalities,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.create_person(
                actor=request.user,
                network=network,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _invite(request, person, network)
            messages.success(
                request, _("Das Konto für %(name)s wurde angelegt.") % {"name": person.full_name}
            )
            return redirect("tenancy:person_detail", pk=person.pk)
    return render(request, "tenancy/person_form.html", {"form": form, "creating": True})


@login_required
def person_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = access.require_network(request)
    if not access.can_read_network_admin(request.user, network):
        raise Http404  # people's records are objects: invisible answers like missing
    person = _get_person(request, network, pk)
    can_write = access.is_coordinator(request.user, network)
    memberships = (
        Membership.objects.filter(user=person, municipality__network=network)
        .select_related("municipality")
        .order_by("ended_on", "municipality__name")
    )
    invitation = request.session.pop("amtshilfe_invitation", None)
    if invitation and invitation.get("pk") != person.pk:
        invitation = None
    municipalities = (
        Municipality.objects.in_network(network)
        .active()
        .exclude(pk__in=[m.municipality_id for m in memberships if m.ended_on is None])
    )
    return render(
        request,
        "tenancy/person_detail.html",
        {
            "person": person,
            "current": [m for m in memberships if m.ended_on is None],
            "former": [m for m in memberships if m.ended_on is not None],
            "roles": NetworkRole.objects.filter(network=network, user=person),
            "can_write": can_write,
            "invitation": invitation,
            "membership_form": MembershipAddForm(municipalities=municipalities),
            "role_form": NetworkRoleForm(),
            "role_choices": Membership.Role.choices,
            "events": AuditEvent.objects.in_network(network.pk).filter(
                object_type__model="user", object_id=str(person.pk)
            )[:20]
            if access.can_read_audit_log(request.user, network)
            else [],
        },
    )


@login_required
def person_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = access.require_coordinator(request)
    person = _get_person(request, network, pk)
    form = PersonEditForm(
        request.POST if request.method == "POST" else None,
        initial={f: getattr(person, f) for f in PersonEditForm.base_fields},
    )
    if request.method == "POST" and form.is_valid():
        services.update_person(
            actor=request.user,
            network=network,
            person=person,
            **form.cleaned_data,
        )
        messages.success(request, _("Die Angaben wurden gespeichert."))
        return redirect("tenancy:person_detail", pk=person.pk)
    return render(
        request, "tenancy/person_form.html", {"form": form, "person": person, "creating": False}
    )


@login_required
@require_POST
def person_set_active(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = access.require_coordinator(request)
    person = _get_person(request, network, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_person_active(
            actor=request.user,
            network=network,
            person=person,
            active=active,
        )
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(
            request,
            _("Das Konto ist wieder aktiv.")
            if active
            else _(
                "Das Konto ist deaktiviert. Die Person kann sich nicht mehr anmelden; ihre bisherigen "
                "Beiträge bleiben erhalten."
            ),
        )
    return redirect("tenancy:person_detail", pk=person.pk)


@login_required
@require_POST
def person_invite(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = access.require_coordinator(request)
    person = _get_person(request, network, pk)
    _invite(request, person, network)
    return redirect("tenancy:person_detail", pk=person.pk)


@login_required
@require_POST
def membership_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = access.require_coordinator(request)
    person = _get_person(request, network, pk)
    form = MembershipAddForm(request.POST, municipalities=Municipality.objects.in_network(network))
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("tenancy:person_detail", pk=person.pk)
    try:
        services.add_membership(actor=request.user, person=person, **form.cleaned_data)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(request, _("Die Mitgliedschaft wurde hinzugefügt."))
    return redirect("tenancy:person_detail", pk=person.pk)


def _get_membership_rw(request: AuthenticatedRequest, pk: int) -> Membership:
    network = access.require_coordinator(request)
    return get_object_or_404(
        Membership.objects.select_related("municipality", "user"),
        pk=pk,
        municipality__network=network,
    )


@login_required
@require_POST
def membership_role(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    membership = _get_membership_rw(request, pk)
    form = MembershipRoleForm(request.POST)
    if form.is_valid():
        try:
            services.change_membership_role(
                actor=request.user,
                membership=membership,
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            flash_service_error(request, error)
        else:
            messages.success(request, _("Die Rolle wurde geändert."))
    else:
        messages.error(request, _("Bitte wählen Sie eine gültige Rolle."))
    return redirect("tenancy:person_detail", pk=membership.user_id)


@login_required
@require_POST
def membership_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    membership = _get_membership_rw(request, pk)
    try:
        services.end_membership(actor=request.user, membership=membership)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(
            request,
            _("Die Mitgliedschaft in %(name)s ist beendet.")
            % {"name": membership.municipality.name},
        )
    return redirect("tenancy:person_detail", pk=membership.user_id)


@login_required
@require_POST
def network_role_grant(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = access.require_coordinator(request)
    person = _get_person(request, network, pk)
    form = NetworkRoleForm(request.POST)
    if form.is_valid():
        services.grant_network_role(
            actor=request.user,
            network=network,
            person=person,
            role=form.cleaned_data["role"],
        )
        messages.success(request, _("Die Rolle wurde vergeben."))
    else:
        messages.error(request, _("Bitte wählen Sie eine gültige Rolle."))
    return redirect("tenancy:person_detail", pk=person.pk)


@login_required
@require_POST
def network_role_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = access.require_coordinator(request)
    network_role = get_object_or_404(NetworkRole, pk=pk, network=network)
    try:
        services.revoke_network_role(actor=request.user, network_role=network_role)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(request, _("Die Rolle wurde entzogen."))
    return redirect("tenancy:person_detail", pk=network_role.user_id)


# --- Audit log -----------------------------------------------------------------------------


@login_required
def audit_log(request: AuthenticatedRequest) -> HttpResponse:
    network = access.require_network(request)
    if not access.can_read_audit_log(request.user, network):
        raise PermissionDenied
    form = AuditFilterForm(
        request.GET or None, municipalities=Municipality.objects.in_network(network)
    )
    # Events of the network, plus account events (tokens, own profile) of its people,
    # which belong to no network.
    people = User.objects.in_network(network.pk).values("pk")
    events = AuditEvent.objects.filter(
        Q(network=network) | Q(network__isnull=True, actor_id__in=people)
    ).select_related("municipality")
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            events = events.filter(action__icontains=data["action"].strip())
        if data["actor"]:
            events = events.filter(actor_name__iexact=data["actor"].strip())
        if data["municipality"]:
            events = events.filter(municipality=data["municipality"])
        if data["date_from"]:
            events = events.filter(created_at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(created_at__date__lte=data["date_to"])
    page = Paginator(events, 50).get_page(request.GET.get("seite"))
    query_string = request.GET.copy()
    query_string.pop("seite", None)
    return render(
        request,
        "tenancy/audit_log.html",
        {
            "form": form,
            "page": page,
            "query_string": query_string.urlencode(),
            "today": timezone.localdate(),
        },
    )
