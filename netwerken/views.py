from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from bijeenkomsten.models import Halfjaarprogramma
from bijeenkomsten.selectors import upcoming_and_past_meetings

from .selectors import fellow_members, network_for_page


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    netwerk = network_for_page(slug, today=timezone.localdate())
    if netwerk is None:
        raise Http404
    programma = None
    if netwerk.programma_jaar:
        programma = Halfjaarprogramma(
            netwerk=netwerk,
            jaar=netwerk.programma_jaar,
            helft=netwerk.programma_helft,
            themas=netwerk.programma_themas,
        )
    upcoming, past = upcoming_and_past_meetings(request.user, netwerk=netwerk, limit=10)
    context = {
        "netwerk": netwerk,
        "programma": programma,
        "upcoming": upcoming,
        "past": past,
        "fellow_members": fellow_members(request.user, netwerk),
    }
    return render(request, "netwerken/detail.html", context)
