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
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.headers import personal_data

from . import digest_consent, mail_preferences
from .digest_consent import PreferencesSaved
from .mail_preferences import NewsletterStatus
from .models import Lid, Mailvoorkeur


class DigestForm(forms.Form):
    frequentie = forms.ChoiceField(
        label=_("How often, for all your networks"),
        choices=[(Lid.Digest.WEEKLY, _("weekly")), (Lid.Digest.MONTHLY, _("monthly"))],
        widget=forms.RadioSelect,
        initial=Lid.Digest.WEEKLY,
    )
    akkoord = forms.BooleanField(label=digest_consent.CONSENT_TEXT, required=True)


def _get_lid_for_user(request: HttpRequest) -> Lid:
    """The logged-in user's member profile; staff accounts without one get a 404."""
    lid = Lid.objects.filter(user=request.user).first() if request.user.is_authenticated else None
    if lid is None:
        raise Http404
    return lid


def _newsletter_context(lid: Lid) -> dict:
    """What every page about the newsletter shows: the one setting (mail_preferences)."""
    choices = mail_preferences.mail_choices(lid)
    toestemming = choices.toestemming
    afmelden_url = ""
    if choices.status == NewsletterStatus.ON and toestemming is not None:
        token = digest_consent.unsubscribe_token(toestemming.sleutel)
        afmelden_url = reverse("berichten:afmelden", kwargs={"token": token})
    return {
        "lid": lid,
        "keuzes": choices,
        "nieuwsbrief_status": choices.status,
        "toestemming": toestemming,
        "afmelden_url": afmelden_url,
        "toestemming_tekst": digest_consent.CONSENT_TEXT,
    }


class NetwerkVoorkeurForm(forms.Form):
    """The choices for one network; the page shows one per active membership."""

    herinneringen = forms.BooleanField(label=_("Reminders before meetings"), required=False)
    nieuwsbrief = forms.ChoiceField(
        label=_("Newsletter digest"), choices=Mailvoorkeur.Nieuwsbrief, widget=forms.RadioSelect
    )


@login_required
@require_http_methods(["GET", "POST"])
def mail_preferences_view(request: HttpRequest) -> HttpResponse:
    """Reminders and digest per network: the one place where the newsletter is chosen."""
    lid = _get_lid_for_user(request)
    context = _newsletter_context(lid)
    forms_ = [
        (
            keuze,
            NetwerkVoorkeurForm(
                request.POST or None,
                prefix=f"netwerk-{keuze.netwerk.pk}",
                initial={"herinneringen": keuze.herinneringen, "nieuwsbrief": keuze.nieuwsbrief},
            ),
        )
        for keuze in context["keuzes"].netwerken
    ]
    valid = [form.is_valid() for _keuze, form in forms_]  # every form, so each shows its errors
    if request.method == "POST" and all(valid):
        chosen = {keuze.netwerk.pk: form.cleaned_data for keuze, form in forms_}
        outcome = digest_consent.digest_preferences_save(
            lid=lid,
            keuzes={pk: (c["herinneringen"], c["nieuwsbrief"]) for pk, c in chosen.items()},
            via="portal: mailvoorkeuren",
        )
        messages.success(request, _("Your mail preferences have been saved."))
        if outcome == PreferencesSaved.CONFIRM:
            messages.info(
                request,
                _(
                    "Check your mailbox: click the link we sent you to confirm the newsletter. "
                    "Until then you receive no newsletter."
                ),
            )
        elif outcome == PreferencesSaved.STOPPED:
            messages.info(request, _("You are unsubscribed from the newsletter."))
        return redirect("berichten:voorkeuren")
    return render(request, "berichten/voorkeuren.html", {**context, "forms": forms_})


@require_http_methods(["GET", "POST"])
def digest_request_view(request: HttpRequest) -> HttpResponse:
    """Subscribe for all networks at once (double opt-in), or see what you receive now.

    A visitor without an account asking for the newsletter meets no login page: they go to
    the newsletter without an account (app nieuwsbrief, wired in config.urls)."""
    if not request.user.is_authenticated:
        return redirect("nieuwsbrief:aanmelden")
    lid = _get_lid_for_user(request)
    form = DigestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        digest_consent.digest_request(
            lid=lid, frequentie=form.cleaned_data["frequentie"], via="portal: nieuwsbrief-formulier"
        )
        messages.success(request, _("Check your mailbox: click the link to confirm."))
        return redirect("berichten:digest_aanvragen")
    return render(
        request, "berichten/digest_aanvragen.html", {**_newsletter_context(lid), "form": form}
    )


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
