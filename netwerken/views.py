from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from bijeenkomsten.models import Halfjaarprogramma
from bijeenkomsten.selectors import registration_marks, upcoming_and_past_meetings
from portal import pagecache

from .selectors import fellow_members, network_for_page, own_membership


@pagecache.whole_page
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    netwerk = pagecache.remember(
        request, "network", lambda: network_for_page(slug, today=timezone.localdate())
    )
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

    def content() -> dict:
        upcoming, past = upcoming_and_past_meetings(request.user, netwerk=netwerk, limit=10)
        members = fellow_members(request.user, netwerk)
        return {
            "upcoming": upcoming,
            "past": past,
            "fellow_members": members,
            "mijn_lidmaatschap": own_membership(request.user, netwerk),
        }

    context = {
        "netwerk": netwerk,
        "programma": programma,
        "content": content,
        "marks": registration_marks(request.user),
    }
    return pagecache.render_cached(request, "netwerken/detail.html", context)
