from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from bijeenkomsten.selectors import past_meetings, upcoming_meetings

from .selectors import network_for_page, networks_with_counts


def home(request: HttpRequest) -> HttpResponse:
    networks = networks_with_counts().order_by("koepel__naam", "naam")
    meetings = upcoming_meetings(request.user)[:12]
    return render(request, "netwerken/home.html", {"networks": networks, "meetings": meetings})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    netwerk = network_for_page(slug)
    if netwerk is None:
        raise Http404
    context = {
        "netwerk": netwerk,
        "upcoming": upcoming_meetings(request.user, netwerk=netwerk)[:10],
        "past": past_meetings(request.user, netwerk=netwerk)[:10],
    }
    return render(request, "netwerken/detail.html", context)
