"""The contact forms: a network's coordinators, an umbrella's staff. Rate limited per client
and per sender address; the answer says truthfully who received the message."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from netwerken.models import Koepel, Netwerk
from portal import ratelimit
from portal.headers import personal_data

from . import services
from .forms import ContactForm, UmbrellaContactForm

FORM = "contact"  # its rates: ACCOUNT_RATE_LIMITS (see portal.ratelimit)


def index(request: HttpRequest) -> HttpResponse:
    """Whom to contact: each umbrella's staff, each network's coordinators."""
    koepels = Koepel.objects.prefetch_related("netwerken").order_by("naam")
    return render(request, "contact/index.html", {"koepels": koepels})


def _handle(
    request: HttpRequest, form: ContactForm, *, netwerk: Netwerk | None, koepel: Koepel
) -> HttpResponse:
    status = 400 if form.is_bound else 200
    if form.is_valid():
        email = form.cleaned_data["email"]
        if not ratelimit.client_may_submit(request, form=FORM) or not ratelimit.address_may_receive(
            request, form=FORM, email=email
        ):
            form.add_error(None, form.error_messages["too_many"])
            status = 429
        else:
            try:
                message = services.contact_message_send(
                    netwerk_id=netwerk.pk if netwerk else None,
                    koepel_id=None if netwerk else koepel.pk,
                    naam=form.cleaned_data["naam"],
                    email=email,
                    bericht=form.cleaned_data["bericht"],
                    wil_meedoen=form.cleaned_data.get("wil_meedoen") or False,
                )
            except ValidationError as error:
                form.add_error(None, error)
                status = 503
            else:
                sent = {"bericht": message, "netwerk": netwerk, "koepel": koepel}
                return render(request, "contact/verstuurd.html", sent)
    context = {"form": form, "netwerk": netwerk, "koepel": koepel}
    return render(request, "contact/formulier.html", context, status=status)


@personal_data  # the answer names the sender's address
@require_http_methods(["GET", "POST"])
def network_contact(request: HttpRequest, slug: str) -> HttpResponse:
    netwerk = get_object_or_404(Netwerk.objects.select_related("koepel"), slug=slug)
    form = ContactForm(request.POST if request.method == "POST" else None)
    return _handle(request, form, netwerk=netwerk, koepel=netwerk.koepel)


@personal_data
@require_http_methods(["GET", "POST"])
def umbrella_contact(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Meer weten over de regionetwerken": the umbrella's staff."""
    koepel = get_object_or_404(Koepel, slug=slug)
    form = UmbrellaContactForm(request.POST if request.method == "POST" else None)
    return _handle(request, form, netwerk=None, koepel=koepel)
