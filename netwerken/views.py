from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from bijeenkomsten.models import Halfjaarprogramma
from bijeenkomsten.selectors import past_meetings, upcoming_meetings

from .selectors import network_for_page


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    netwerk = network_for_page(slug)
    if netwerk is None:
        raise Http404
    today = timezone.localdate()
    half = 1 if today.month <= 6 else 2
    programma = (  # the current half-year's programme, or else the latest one before it
        Halfjaarprogramma.objects.filter(netwerk=netwerk, gepubliceerd=True)
        .filter(Q(jaar__lt=today.year) | Q(jaar=today.year, helft__lte=half))
        .order_by("-jaar", "-helft")
        .first()
    )
    context = {
        "netwerk": netwerk,
        "programma": programma,
        "upcoming": upcoming_meetings(request.user, netwerk=netwerk)[:10],
        "past": past_meetings(request.user, netwerk=netwerk)[:10],
    }
    return render(request, "netwerken/detail.html", context)
