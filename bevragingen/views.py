"""The survey pages: fill in (works without JavaScript; with it, each answer is saved as it
is given by a small same-origin POST to `answer`), the thank-you page, the e-mail
confirmation of open one-per-person surveys, the coordinators' results and open answers,
and the published results on a network's page.

The respondent's token lives in a cookie scoped to the survey's path; the page also carries
it in a hidden field, so the first saves (before any cookie) all land in one response.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import validate_email
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from netwerken.models import Netwerk
from portal import ratelimit
from portal.headers import personal_data

from . import mails, selectors, services
from .models import Antwoord, Bevraging, Vraag
from .permissions import can_respond, managed_surveys

COOKIE_PREFIX = "bevraging-"


def _survey(request: HttpRequest, sleutel: str) -> Bevraging:
    bevraging = get_object_or_404(
        Bevraging.objects.select_related("netwerk", "koepel"), sleutel=sleutel
    )
    return bevraging


def _cookie_name(bevraging: Bevraging) -> str:
    return f"{COOKIE_PREFIX}{bevraging.pk}"


def _token(request: HttpRequest, bevraging: Bevraging) -> str | None:
    return request.COOKIES.get(_cookie_name(bevraging)) or None


def _keep_token(response: HttpResponse, bevraging: Bevraging, token: str) -> HttpResponse:
    response.set_cookie(
        _cookie_name(bevraging),
        token,
        max_age=max(60, int((bevraging.sluit_op - bevraging.opent_op).total_seconds()) + 86400),
        path=reverse("bevragingen:invullen", kwargs={"sleutel": bevraging.sleutel}),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _posted_answers(request: HttpRequest, questions: list[Vraag]) -> dict[int, list[str]]:
    """The posted answers, by question: only the questions on the page (`vragen`)."""
    on_page = {int(pk) for pk in request.POST.getlist("vragen") if pk.isdigit()}
    return {q.pk: request.POST.getlist(f"v{q.pk}") for q in questions if q.pk in on_page}


def _may_respond_or_response(request: HttpRequest, bevraging: Bevraging) -> HttpResponse | None:
    if can_respond(request.user, bevraging):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


@personal_data
def fill_in(request: HttpRequest, sleutel: str) -> HttpResponse:
    bevraging = _survey(request, sleutel)
    refused = _may_respond_or_response(request, bevraging)
    if refused is not None:
        return refused
    if not bevraging.is_open:
        return render(
            request, "bevragingen/gesloten.html", {"bevraging": bevraging, "now": timezone.now()}
        )
    if services.has_responded(bevraging, request.user):
        return render(request, "bevragingen/al_ingevuld.html", {"bevraging": bevraging})
    token = _token(request, bevraging)
    respons = services.respons_for_token(bevraging, token)
    if respons is not None and respons.afgerond:
        return redirect("bevragingen:bedankt", sleutel=bevraging.sleutel)
    if bevraging.asks_email and respons is None:
        return _ask_email(request, bevraging)
    if token is None:
        token = request.POST.get("respons", "") or services.new_token()
    sections = selectors.sections_with_questions(bevraging)
    questions = [q for _s, qs in sections for q in qs]
    errors: dict[int, str] = {}
    answers = selectors.current_answers(respons)
    submitted_with_errors = False
    if request.method == "POST":
        if bevraging.asks_email and respons is None:
            raise Http404
        try:
            respons = respons or services.respons_begin(bevraging=bevraging, token=token)
            posted = _posted_answers(request, questions)
            errors = services.answers_save(respons=respons, answers=posted, questions=questions)
            if request.POST.get("actie") == "indienen" and not errors:
                missing = services.respons_submit(
                    respons=respons, questions=questions, user=request.user
                )
                if not missing:
                    return _keep_token(
                        redirect("bevragingen:bedankt", sleutel=bevraging.sleutel),
                        bevraging,
                        token,
                    )
                errors = {pk: _("Please answer this question.") for pk in missing}
            elif not errors:
                messages.success(
                    request, _("Your answers are saved. You can finish later on this device.")
                )
                return _keep_token(
                    redirect("bevragingen:invullen", sleutel=bevraging.sleutel), bevraging, token
                )
        except services.AlreadyResponded:
            return render(request, "bevragingen/al_ingevuld.html", {"bevraging": bevraging})
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("bevragingen:invullen", sleutel=bevraging.sleutel)
        answers = selectors.current_answers(respons) | {
            pk: posted[pk] for pk in errors if pk in posted
        }
        submitted_with_errors = bool(errors)
    context = {
        "bevraging": bevraging,
        "sections": [
            (sectie, [(q, answers.get(q.pk, []), errors.get(q.pk)) for q in qs])
            for sectie, qs in sections
        ],
        "token": token,
        "errors": errors,
        "error_questions": [q for q in questions if q.pk in errors],
        "submitted_with_errors": submitted_with_errors,
        "scale": selectors.SCALE,
    }
    response = render(request, "bevragingen/invullen.html", context, status=200)
    if respons is not None:
        _keep_token(response, bevraging, token)
    return response


def _ask_email(request: HttpRequest, bevraging: Bevraging) -> HttpResponse:
    """An open one-per-person survey: confirm an address first. The answer is the same
    whether the address was used before or not."""
    sent = False
    error = ""
    if request.method == "POST" and request.POST.get("actie") == "email":
        email = request.POST.get("email", "").strip()
        try:
            validate_email(email)
        except ValidationError:
            error = _("Enter a valid e-mail address.")
        else:
            if not ratelimit.client_may_submit(request, form="survey_email"):
                return render(request, "429.html", status=429)
            if ratelimit.address_may_receive(request, form="survey_email", email=email):
                token = services.emailbevestiging_request(bevraging=bevraging, email=email)
                if token:
                    mails.queue_email_confirmation(
                        bevraging, email, token, language=translation.get_language()
                    )
            sent = True
    return render(
        request,
        "bevragingen/email.html",
        {"bevraging": bevraging, "sent": sent, "error": error},
        status=400 if error else 200,
    )


@personal_data
def confirm_email(request: HttpRequest, sleutel: str, token: str) -> HttpResponse:
    """The confirmation link: a button (a mail scanner's GET must not use it), then a fresh
    response, not linked to the address."""
    bevraging = _survey(request, sleutel)
    if request.method == "POST":
        respons_token = services.emailbevestiging_use(bevraging=bevraging, token=token)
        if respons_token is None:
            return render(
                request,
                "bevragingen/bevestigen.html",
                {"bevraging": bevraging, "used": True},
                status=410,
            )
        return _keep_token(
            redirect("bevragingen:invullen", sleutel=sleutel), bevraging, respons_token
        )
    if not services.emailbevestiging_pending(bevraging=bevraging, token=token):
        raise Http404
    return render(request, "bevragingen/bevestigen.html", {"bevraging": bevraging})


@require_POST
def answer(request: HttpRequest, sleutel: str) -> JsonResponse:
    """Save one question's answer (the page's script calls this as each answer is given)."""
    bevraging = _survey(request, sleutel)
    if not can_respond(request.user, bevraging):
        raise Http404
    if not bevraging.is_open:
        return JsonResponse({"ok": False, "error": _("This survey is closed.")}, status=400)
    token = _token(request, bevraging) or request.POST.get("respons", "")
    if bevraging.asks_email and services.respons_for_token(bevraging, token) is None:
        return JsonResponse({"ok": False, "error": _("This link is not valid.")}, status=403)
    questions = selectors.questions_of(bevraging)
    try:
        respons = services.respons_begin(bevraging=bevraging, token=token)
        errors = services.answers_save(
            respons=respons, answers=_posted_answers(request, questions), questions=questions
        )
    except ValidationError as error:
        return JsonResponse({"ok": False, "error": error.messages[0]}, status=400)
    if errors:
        return JsonResponse({"ok": False, "errors": errors}, status=400)
    response = JsonResponse({"ok": True})
    _keep_token(response, bevraging, token)
    return response


def thanks(request: HttpRequest, sleutel: str) -> HttpResponse:
    bevraging = _survey(request, sleutel)
    return render(request, "bevragingen/bedankt.html", {"bevraging": bevraging})


# --- coordinators ----------------------------------------------------------------------------


def _managed(request: HttpRequest, sleutel: str) -> Bevraging:
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(
        managed_surveys(request.user).select_related("netwerk", "koepel"), sleutel=sleutel
    )


@personal_data
def results(request: HttpRequest, sleutel: str) -> HttpResponse:
    bevraging = _managed(request, sleutel)
    by_id = request.GET.get("per", "")
    by = None
    if by_id.isdigit():
        by = Vraag.objects.filter(
            bevraging=bevraging, pk=int(by_id), soort__in=[Vraag.Soort.EEN, Vraag.Soort.SCHAAL]
        ).first()
    outcome = selectors.survey_results(bevraging, by=by)
    context = {
        "bevraging": bevraging,
        "results": outcome,
        "by": by,
        "by_choices": selectors.breakdown_choices([r.vraag for r in outcome.questions]),
        "coordinator": True,
    }
    return render(request, "bevragingen/resultaten.html", context)


@personal_data
def open_answers(request: HttpRequest, sleutel: str, vraag_id: int) -> HttpResponse:
    bevraging = _managed(request, sleutel)
    vraag = get_object_or_404(Vraag, bevraging=bevraging, pk=vraag_id, soort=Vraag.Soort.OPEN)
    if request.method == "POST":
        posted = request.POST.get("antwoord", "")
        if not posted.isdigit():
            raise Http404
        antwoord = get_object_or_404(Antwoord, vraag=vraag, pk=int(posted))
        services.antwoord_tag(antwoord=antwoord, names=request.POST.get("labels", "").split(","))
        messages.success(request, _("Tags saved."))
        return redirect(request.get_full_path())
    answers = selectors.open_answers(vraag)
    tag = request.GET.get("label", "")
    if tag:
        answers = answers.filter(labels__naam=tag)
    page = Paginator(answers, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "bevragingen/open_antwoorden.html",
        {
            "bevraging": bevraging,
            "vraag": vraag,
            "page": page,
            "labels": bevraging.labels.all(),
            "tag": tag,
            "query": urlencode({"label": tag}) if tag else "",
        },
    )


def published(request: HttpRequest, slug: str) -> HttpResponse:
    """A network's published survey results: the questions its coordinators chose,
    suppressed like the coordinators' figures."""
    netwerk = get_object_or_404(Netwerk, slug=slug)
    outcomes = [
        selectors.survey_results(bevraging, published_only=True)
        for bevraging in selectors.published_surveys(netwerk)
    ]
    return render(
        request, "bevragingen/gepubliceerd.html", {"netwerk": netwerk, "outcomes": outcomes}
    )
