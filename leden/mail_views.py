"""Digest opt-in, confirmation, one-click unsubscribe and mail preferences per network.

The logic is in `digest_consent` and `mail_preferences`. The pages keep their /berichten/
paths and URL names (namespace "berichten", see mail_urls).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from berichten.models import Mailvoorkeur
from portal.headers import personal_data

from . import digest_consent, mail_preferences
from .models import Lid


class DigestForm(forms.Form):
    frequentie = forms.ChoiceField(
        label=_("How often"),
        choices=[(Lid.Digest.WEEKLY, _("weekly")), (Lid.Digest.MONTHLY, _("monthly"))],
        widget=forms.RadioSelect,
        initial=Lid.Digest.WEEKLY,
    )
    akkoord = forms.BooleanField(label=digest_consent.CONSENT_TEXT, required=True)


def _get_lid_for_user(request: HttpRequest) -> Lid:
    """The logged-in user's member profile; staff accounts without one get a 404."""
    lid = Lid.objects.filter(user=request.user).first()
    if lid is None:
        raise Http404
    return lid


class NetwerkVoorkeurForm(forms.Form):
    """The choices for one network; the page shows one per active membership."""

    herinneringen = forms.BooleanField(label=_("Reminders before meetings"), required=False)
    nieuwsbrief = forms.ChoiceField(
        label=_("Newsletter digest"), choices=Mailvoorkeur.Nieuwsbrief, widget=forms.RadioSelect
    )


@login_required
@require_http_methods(["GET", "POST"])
def mail_preferences_view(request: HttpRequest) -> HttpResponse:
    """Reminders and digest per network; the profile's choice is the default."""
    lid = _get_lid_for_user(request)
    keuzes = mail_preferences.mail_choices(lid)
    forms_ = [
        (
            keuze,
            NetwerkVoorkeurForm(
                request.POST or None,
                prefix=f"netwerk-{keuze.netwerk.pk}",
                initial={"herinneringen": keuze.herinneringen, "nieuwsbrief": keuze.nieuwsbrief},
            ),
        )
        for keuze in keuzes
    ]
    valid = [form.is_valid() for _keuze, form in forms_]  # every form, so each shows its errors
    if request.method == "POST" and all(valid):
        chosen = {keuze.netwerk.pk: form.cleaned_data for keuze, form in forms_}
        mail_preferences.mail_preferences_save(
            lid=lid,
            keuzes={pk: (c["herinneringen"], c["nieuwsbrief"]) for pk, c in chosen.items()},
        )
        messages.success(request, _("Your mail preferences have been saved."))
        return redirect("berichten:voorkeuren")
    context = {
        "lid": lid,
        "forms": forms_,
        "digest_actief": mail_preferences.has_digest_consent(lid),
    }
    return render(request, "berichten/voorkeuren.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def digest_request_view(request: HttpRequest) -> HttpResponse:
    lid = _get_lid_for_user(request)
    form = DigestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        digest_consent.digest_request(
            lid=lid, frequentie=form.cleaned_data["frequentie"], via="portal: nieuwsbrief-formulier"
        )
        messages.success(request, _("Check your mailbox: click the link to confirm."))
        return redirect("berichten:digest_aanvragen")
    return render(request, "berichten/digest_aanvragen.html", {"form": form, "lid": lid})


@personal_data
@require_http_methods(["GET", "POST"])
def digest_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: link scanners that open mail links confirm nothing."""
    toestemming = digest_consent.consent_from_token(
        token, salt=digest_consent.CONFIRM_SALT, max_age=digest_consent.CONFIRM_MAX_AGE
    )
    if toestemming is None:
        raise Http404
    if request.method == "POST":
        toestemming = digest_consent.digest_confirm(toestemming_id=toestemming.pk)
        return render(request, "berichten/digest_bevestigd.html", {"toestemming": toestemming})
    return render(request, "berichten/digest_bevestigen.html", {"toestemming": toestemming})


@personal_data
@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without cookies; the token authorises
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation and changes nothing; POST unsubscribes from the digest only."""
    toestemming = digest_consent.consent_from_token(token)
    if toestemming is None:
        raise Http404
    if request.method == "POST":
        digest_consent.digest_unsubscribe(
            toestemming_id=toestemming.pk, via="List-Unsubscribe / link"
        )
        return render(request, "berichten/afgemeld.html", {"toestemming": toestemming})
    return render(request, "berichten/afmelden.html", {"toestemming": toestemming})
