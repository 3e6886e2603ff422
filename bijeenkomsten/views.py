from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import meeting_for_page


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    bijeenkomst = meeting_for_page(request.user, slug)
    if bijeenkomst is None:
        raise Http404  # the same answer whether it does not exist or is hidden
    return render(request, "bijeenkomsten/detail.html", {"bijeenkomst": bijeenkomst})
