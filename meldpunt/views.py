"""The confidential channel's pages: the reporter's (no account) and the committee's.

The reporter's pages leave no trace in the portal or the browser that the portal can avoid:
- nothing of the request is stored with a report (the services are never given the request);
- `Cache-Control: no-store` on every answer (and the site's `Referrer-Policy: same-origin`:
  no other site learns that a visitor came from here);
- no cookie is set: no session, no message, and no CSRF cookie. Instead of Django's cookie
  CSRF check these forms check where the POST came from (`Sec-Fetch-Site`, `Origin`,
  `Referer`), which browsers send by themselves: a form on another site cannot post here;
- the receipt code never goes in a URL (URLs end up in logs and history). After the code,
  the reporter's forms carry a signed token that expires after 30 minutes, not the code;
- the follow-up page is the answer to a POST, so "back" in the browser does not show it again
  without posting again.

The committee's pages answer 404 to everyone but committee members (`permissions`), staff
and superusers included, and log every reading of a report.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from leden.two_factor import activation_redirect
from portal import ratelimit

from . import selectors, services
from .forms import AddInformationForm, CodeForm, ReplyForm, ReportForm, RetentionForm
from .models import Instelling, Melding, Status
from .permissions import committee_lacks_two_factor, committee_members, is_committee_member

REPORT_FORM = "meldpunt_report"  # rates in ACCOUNT_RATE_LIMITS (portal.ratelimit)
CODE_FORM = "meldpunt_code"
TOKEN_SALT = "meldpunt.vervolg"
TOKEN_MAX_AGE = 30 * 60


def _posted_here(request: HttpRequest) -> bool:
    """Whether a POST comes from one of this site's pages, judged by what the browser itself
    says (as Go's CrossOriginProtection does): `Sec-Fetch-Site` where the browser sends it,
    else `Origin`, else `Referer`. Without any of them the client is no browser of this
    decade (curl): no CSRF victim. (The site's `Referrer-Policy: same-origin` stays: with
    `no-referrer` browsers send `Origin: null`, and no other site is sent a referrer anyway.)"""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:  # set by the browser itself, no page can forge it: it decides alone
        return fetch_site in {"same-origin", "none"}
    own = f"{request.scheme}://{request.get_host()}"
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS
    referer = request.headers.get("Referer")
    if referer:
        return url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    return True


def reporter_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """No cookie, no store; POSTs only from this site (see the module)."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST" and not _posted_here(request):
            raise PermissionDenied
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


def _follow_up(request: HttpRequest, melding: Melding, *, form=None, status: int = 200):
    token = signing.dumps(melding.pk, salt=TOKEN_SALT)
    context = {
        "melding": melding,
        "regels": selectors.conversation(melding, for_committee=False),
        "form": form or AddInformationForm(initial={"token": token}),
        "token": token,
    }
    return render(request, "meldpunt/vervolg.html", context, status=status)


@reporter_page
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The report form; its answer shows the receipt code, once."""
    form = ReportForm(request.POST if request.method == "POST" else None)
    status = 400 if form.is_bound else 200
    if form.is_valid():
        if not ratelimit.client_may_submit(request, form=REPORT_FORM):
            form.add_error(None, _("Too many reports from here in a short time. Try again later."))
            status = 429
        else:
            try:
                melding, code = services.report_create(tekst=form.cleaned_data["tekst"])
            except ValidationError as error:
                form.add_error("tekst", error)
            else:
                return render(request, "meldpunt/ontvangen.html", {"code": code})
    return render(request, "meldpunt/melden.html", {"form": form}, status=status)


@reporter_page
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest) -> HttpResponse:
    """The reporter returns with their code: the report, the committee's replies, a form to
    add information. A wrong code gets the same answer whether or not reports exist."""
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 400 if form.is_bound else 200
    if form.is_valid():
        if not ratelimit.client_may_submit(request, form=CODE_FORM):
            form.add_error(None, _("Too many attempts from here in a short time. Try again later."))
            status = 429
        else:
            melding = services.report_for_code(form.cleaned_data["code"])
            if melding is not None:
                return _follow_up(request, melding)
            form.add_error("code", _("This code is not known. Check it and try again."))
    return render(request, "meldpunt/terugkeren.html", {"form": form}, status=status)


@reporter_page
@require_POST
def add_information(request: HttpRequest) -> HttpResponse:
    form = AddInformationForm(request.POST)
    try:
        pk = signing.loads(request.POST.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        melding = Melding.objects.get(pk=pk)
    except (signing.BadSignature, Melding.DoesNotExist):
        # Expired (or erased meanwhile): back to the code, with nothing kept of the text.
        context = {"form": CodeForm(), "verlopen": True}
        return render(request, "meldpunt/terugkeren.html", context, status=400)
    if not form.is_valid():
        return _follow_up(request, melding, form=form, status=400)
    if not ratelimit.client_may_submit(request, form=REPORT_FORM):
        form.add_error(None, _("Too many messages from here in a short time. Try again later."))
        return _follow_up(request, melding, form=form, status=429)
    services.report_add_information(melding=melding, tekst=form.cleaned_data["tekst"])
    melding.refresh_from_db()
    return _follow_up(request, melding)


# --- The committee -----------------------------------------------------------------------


def committee_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Committee members only; everyone else 404 (as if there were nothing here), except a
    committee member still without TOTP, who is sent to activate it."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if committee_lacks_two_factor(request.user):
            return activation_redirect(request) or redirect("mfa_activate_totp")
        if not is_committee_member(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@committee_only
@require_http_methods(["GET", "POST"])
def committee(request: HttpRequest) -> HttpResponse:
    instelling = Instelling.current()
    form = RetentionForm(
        request.POST if request.method == "POST" else None,
        initial={"dagen": instelling.bewaartermijn_dagen},
    )
    if form.is_valid():
        services.retention_set(dagen=form.cleaned_data["dagen"])
        return redirect("meldpunt:commissie")
    context = {
        "meldingen": selectors.reports_for_committee(),
        "leden": committee_members(),
        "form": form,
        "Status": Status,
    }
    return render(request, "meldpunt/commissie.html", context, status=400 if form.errors else 200)


@committee_only
@require_http_methods(["GET", "POST"])
def committee_report(request: HttpRequest, pk: int) -> HttpResponse:
    """One report: read (logged), reply, close or reopen."""
    melding = get_object_or_404(Melding, pk=pk)
    form = ReplyForm()
    if request.method == "POST":
        action = request.POST.get("actie")
        if action == "antwoord":
            form = ReplyForm(request.POST)
            if form.is_valid():
                services.report_reply(
                    melding=melding, auteur=request.user, tekst=form.cleaned_data["tekst"]
                )
                return redirect("meldpunt:commissie_melding", pk=melding.pk)
        elif action == "sluiten":
            services.report_close(melding=melding)
            return redirect("meldpunt:commissie_melding", pk=melding.pk)
        elif action == "heropenen":
            services.report_reopen(melding=melding)
            return redirect("meldpunt:commissie_melding", pk=melding.pk)
        else:
            return HttpResponse(status=400)
    services.reading_log(melding=melding, gebruiker=request.user)
    context = {
        "melding": melding,
        "regels": selectors.conversation(melding, for_committee=True),
        "inzages": selectors.readings(melding)[:50],
        "form": form,
        "Status": Status,
    }
    return render(
        request, "meldpunt/commissie_melding.html", context, status=400 if form.errors else 200
    )
