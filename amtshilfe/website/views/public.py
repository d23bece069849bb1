"""The public pages of the default network (no login): home, members, topics, indicators."""

from __future__ import annotations

import importlib.util

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from amtshilfe.lib.markdown import render as render_markdown
from amtshilfe.tenancy.current import default_network
from amtshilfe.tenancy.models import Network
from amtshilfe.website import indicators, public
from amtshilfe.website.defaults import default_body
from amtshilfe.website.models import SitePage

TEASER_TAGS = "amtshilfe.communication.templatetags.communication_tags"


def public_network() -> Network:
    """The network the public website shows; 404 while none is set up."""
    network = default_network()
    if network is None:
        raise Http404
    return network


def home(request: HttpRequest) -> HttpResponse:
    network = default_network()
    if network is None:
        return render(request, "website/home.html", {"network": None})
    intro = SitePage.objects.filter(network=network, key=SitePage.Key.HOME).first()
    if intro is not None:
        intro_source = intro.body
    elif network.description:
        intro_source = network.description
    else:
        intro_source = default_body(SitePage.Key.HOME, network)
    return render(
        request,
        "website/home.html",
        {
            "network": network,
            "intro_html": public.public_html(render_markdown(intro_source).html),
            # Lazy: computed only when the cached fragment of the page has expired.
            "stats": SimpleLazyObject(lambda: public.home_figures(network)),
            "clusters": SimpleLazyObject(lambda: public.cached_clusters_with_owners(network)),
            "teasers": communication_teasers_available(),
        },
    )


def communication_teasers_available() -> bool:
    """News and event teasers come from the communication app's template tags, if present."""
    try:
        return importlib.util.find_spec(TEASER_TAGS) is not None
    except ModuleNotFoundError:  # no templatetags package (yet)
        return False


def members(request: HttpRequest) -> HttpResponse:
    network = public_network()
    return render(
        request,
        "website/members.html",
        {"network": network, "members": public.members(network)},
    )


def member_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = public_network()
    found = public.members(network, slug=slug)
    if not found:
        raise Http404
    return render(request, "website/member_detail.html", {"network": network, "member": found[0]})


def topics(request: HttpRequest) -> HttpResponse:
    network = public_network()
    return render(
        request,
        "website/topics.html",
        {"network": network, "clusters": public.clusters_with_owners(network)},
    )


def indicator_page(request: HttpRequest) -> HttpResponse:
    network = public_network()
    return render(
        request,
        "website/indicators.html",
        {
            "network": network,
            "indicators": indicators.shown_indicators(network, timezone.localdate()),
        },
    )
