from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from bijeenkomsten.models import Halfjaarprogramma
from bijeenkomsten.selectors import past_meetings, prefetch_organisers, upcoming_meetings

from .selectors import network_for_page


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
    upcoming = list(upcoming_meetings(request.user, netwerk=netwerk, prefetch=False)[:10])
    past = list(past_meetings(request.user, netwerk=netwerk, prefetch=False)[:10])
    prefetch_organisers(upcoming + past)  # one query for both lists
    context = {"netwerk": netwerk, "programma": programma, "upcoming": upcoming, "past": past}
    return render(request, "netwerken/detail.html", context)
