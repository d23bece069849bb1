"""Legal pages (Impressum, Datenschutz, Barrierefreiheit) and the public join form."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from amtshilfe.core.context import current_context
from amtshilfe.lib.markdown import render as render_markdown
from amtshilfe.lib.service_errors import add_service_errors
from amtshilfe.tenancy.access import is_coordinator
from amtshilfe.website import services
from amtshilfe.website.defaults import default_body, default_title
from amtshilfe.website.forms import JoinRequestForm
from amtshilfe.website.models import SitePage
from amtshilfe.website.public import public_html
from amtshilfe.website.spam import form_stamp, over_rate_limit
from amtshilfe.website.views.public import public_network


def site_page(request: HttpRequest, key: str) -> HttpResponse:
    network = public_network()
    page = SitePage.objects.filter(network=network, key=key).first()
    title = page.title if page else default_title(key)
    source = page.body if page else default_body(key, network)
    rendered = render_markdown(source)
    return render(
        request,
        "website/site_page.html",
        {
            "network": network,
            "key": key,
            "title": title,
            "html": public_html(rendered.html),
            "updated_at": page.updated_at if page else None,
            "can_edit": is_coordinator(request.user, network),
        },
    )


def join(request: HttpRequest) -> HttpResponse:
    """Mitmachen: a municipality asks to join. Bots get a friendly page and save nothing."""
    network = public_network()
    if request.method != "POST":
        form = JoinRequestForm(network=network, initial={"stamp": form_stamp()})
        return render(request, "website/join.html", {"network": network, "form": form})
    form = JoinRequestForm(request.POST, network=network)
    if form.is_trap:
        return redirect("website:join_thanks")
    if over_rate_limit(current_context().ip_address or request.META.get("REMOTE_ADDR")):
        return render(request, "website/join_limited.html", {"network": network}, status=429)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_join_request(
                network=network,
                municipality_name=data["municipality_name"],
                kind=data["kind"],
                ags=data["ags"],
                population=data["population"],
                contact_name=data["contact_name"],
                email=data["email"],
                phone=data["phone"],
                clusters=data["clusters"],
                contribution=data["contribution"],
                consent=data["consent"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("website:join_thanks")
    # A fresh stamp: the person corrects the form and may send it again at once.
    data = request.POST.copy()
    data["stamp"] = form_stamp()
    form.data = data
    return render(request, "website/join.html", {"network": network, "form": form}, status=400)


def join_thanks(request: HttpRequest) -> HttpResponse:
    network = public_network()
    return render(request, "website/join_thanks.html", {"network": network})
