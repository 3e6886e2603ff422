"""Subscribing without an account: the form, the confirmation button, one-click unsubscribe.

The logic is in `services`; these only collect input. The form is rate limited per client
(429, nothing happens) and per address (no mail, the same answer), and the answer never tells
whether the address was known.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from netwerken.models import Koepel, Netwerk
from portal import ratelimit
from portal.headers import personal_data

from . import services
from .forms import SubscribeForm

FORM = "newsletter"  # its rates: ACCOUNT_RATE_LIMITS (see portal.ratelimit)


def _initial(request: HttpRequest) -> dict:
    """A link from a network's or umbrella's page ticks it already."""
    initial: dict = {}
    if slug := request.GET.get("netwerk"):
        initial["netwerken"] = list(Netwerk.objects.filter(slug=slug))
    if slug := request.GET.get("koepel"):
        initial["koepels"] = list(Koepel.objects.filter(slug=slug))
    return initial


@personal_data  # the answer names the address
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """Follow networks' newsletters with an e-mail address alone (double opt-in)."""
    form = SubscribeForm(
        request.POST if request.method == "POST" else None,
        initial=_initial(request) if request.method == "GET" else None,
    )
    status = 400 if form.is_bound else 200
    if form.is_valid():
        if not ratelimit.client_may_submit(request, form=FORM):
            form.add_error(None, form.error_messages["too_many"])
            status = 429
        else:
            email = form.cleaned_data["email"]
            services.subscription_request(
                email=email,
                netwerk_ids=[n.pk for n in form.cleaned_data["netwerken"]],
                koepel_ids=[k.pk for k in form.cleaned_data["koepels"]],
                # The consent as this visitor read it, in the language of their page.
                tekst=str(services.CONSENT_TEXT),
                via=f"nieuwsbrief-formulier ({translation.get_language()})",
                taal=translation.get_language(),
                may_mail=lambda: ratelimit.address_may_receive(request, form=FORM, email=email),
            )
            return render(request, "nieuwsbrief/verstuurd.html", {"email": email})
    return render(request, "nieuwsbrief/aanmelden.html", {"form": form}, status=status)


@personal_data
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what is being confirmed and a button; only the POST confirms (mail scanners
    open links, they do not press buttons)."""
    abonnee = services.subscriber_from_token(token, confirm=True)
    if abonnee is None:
        raise Http404
    if request.method == "POST":
        abonnee = services.subscription_confirm(abonnee_id=abonnee.pk)
        context = {
            "abonnee": abonnee,
            "gevolgd": services.followed_names(abonnee),
            "afmelden_token": services.unsubscribe_token(abonnee.sleutel),
        }
        return render(request, "nieuwsbrief/bevestigd.html", context)
    context = {"abonnee": abonnee, "wachtend": services.pending_names(abonnee)}
    return render(request, "nieuwsbrief/bevestigen.html", context)


@personal_data
@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without cookies; the token authorises
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks and changes nothing; POST (the button, or the mail client's one click)
    unsubscribes from every newsletter of this address."""
    abonnee = services.subscriber_from_token(token)
    if abonnee is None:
        raise Http404
    if request.method == "POST":
        services.subscription_cancel(abonnee_id=abonnee.pk, via="List-Unsubscribe / link")
        return render(request, "nieuwsbrief/afgemeld.html")
    return render(request, "nieuwsbrief/afmelden.html", {"abonnee": abonnee})
