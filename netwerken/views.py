"""The privacy statement ("privacyverklaring"): made from the register of personal data
(`portal.personal_data`), so what it says the portal keeps, and for how long, are the very
entries and periods the nightly retention job applies. Who is responsible is set per umbrella
in the admin (`Koepel.privacy_*`). Here, in the lowest app that knows the umbrellas."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.personal_data import described

from .models import Koepel


def privacy_statement(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "netwerken/privacyverklaring.html",
        {"rows": described(), "koepels": Koepel.objects.order_by("naam")},
    )
