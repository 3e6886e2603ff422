from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leden.models import Lid, Lidmaatschap
from leden.selectors import fellow_members, lid_for_user, own_membership
from netwerken.models import Netwerk
from portal import pagecache, ratelimit
from portal.headers import personal_data
from portal.uploads import serve_private_file

from . import selectors, services
from .forms import AgendaFilterForm, ArchiveFilterForm, GuestRegistrationForm
from .ics import add_to_calendar_links, meeting_calendar
from .models import (
    CANCELLABLE_STATUSES,
    LIVE_STATUSES,
    Aanmelding,
    Bijeenkomst,
    Halfjaarprogramma,
    Materiaal,
)
from .permissions import can_view_programme, visible_meetings
from .selectors import (
    ListedMeeting,
    filter_meetings,
    meeting_for_page,
    member_registrations,
    past_meetings,
    registration_marks,
    upcoming_meetings,
    with_listing_data,
)

PAGE_SIZE = 20


def _networks():
    return list(
        Netwerk.objects.select_related("koepel").prefetch_related("subregios").order_by("naam")
    )


def _page(request: HttpRequest, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("pagina"))
    month = get_format("YEAR_MONTH_FORMAT")
    for bijeenkomst in page:
        bijeenkomst.maand = date_format(timezone.localtime(bijeenkomst.begin), month)
    return page


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("pagina", None)
    return query.urlencode()


@pagecache.whole_page
def agenda(request: HttpRequest) -> HttpResponse:
    def content() -> dict:
        networks = _networks()
        form = AgendaFilterForm(request.GET or None, networks=networks)
        meetings = filter_meetings(upcoming_meetings(request.user), **form.filters())
        return {"form": form, "page": _page(request, meetings), "networks": networks}

    return pagecache.render_cached(
        request,
        "bijeenkomsten/agenda.html",
        {
            "content": content,
            "query": _query_without_page(request),
            "marks": registration_marks(request.user),
        },
    )


@pagecache.whole_page
def archive(request: HttpRequest) -> HttpResponse:
    def content() -> dict:
        form = ArchiveFilterForm(request.GET or None, networks=_networks())
        meetings = filter_meetings(past_meetings(request.user), **form.filters())
        return {"form": form, "page": _page(request, meetings)}

    return pagecache.render_cached(
        request,
        "bijeenkomsten/archief.html",
        {
            "content": content,
            "query": _query_without_page(request),
            "marks": registration_marks(request.user),
        },
    )


def _meeting_box(bijeenkomst: ListedMeeting) -> dict:
    return {
        "bijeenkomst": bijeenkomst,
        "open": services.is_registration_open(bijeenkomst),
        "vol": bijeenkomst.capaciteit is not None and bijeenkomst.bezet >= bijeenkomst.capaciteit,
    }


@pagecache.whole_page
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    bijeenkomst = pagecache.remember(
        request, "meeting", lambda: meeting_for_page(request.user, slug)
    )
    if bijeenkomst is None:
        moved = selectors.moved_meeting(request.user, slug)
        if moved is not None:  # an address from before the meeting moved
            return redirect(moved, permanent=True)
        raise Http404  # the same answer whether it does not exist or is hidden
    lid = lid_for_user(request.user)
    aanmelding = None
    if lid is not None:
        aanmelding = bijeenkomst.aanmeldingen.filter(lid=lid, status__in=LIVE_STATUSES).first()
    context = {
        **_meeting_box(bijeenkomst),
        "agenda_links": add_to_calendar_links(bijeenkomst),
        "lid": lid,
        "aanmelding": aanmelding,
        "wachtpositie": services.waiting_list_position(aanmelding) if aanmelding else None,
    }
    return pagecache.render_cached(request, "bijeenkomsten/detail.html", context)


@login_required
def my_registrations(request: HttpRequest) -> HttpResponse:
    """The member's own registrations: upcoming (with waiting-list position) and past."""
    lid = lid_for_user(request.user)
    upcoming, past = member_registrations(lid) if lid is not None else ([], [])
    context = {"lid": lid, "upcoming": upcoming, "past": past}
    return render(request, "bijeenkomsten/mijn_aanmeldingen.html", context)


def _visible_or_404(request: HttpRequest, slug: str):
    bijeenkomst = meeting_for_page(request.user, slug)
    if bijeenkomst is None:
        raise Http404
    return bijeenkomst


def _to_act_on_or_404(request: HttpRequest, slug: str) -> Bijeenkomst:
    bijeenkomst = selectors.meeting_to_act_on(request.user, slug)
    if bijeenkomst is None:
        raise Http404
    return bijeenkomst


@login_required
@require_POST
def register(request: HttpRequest, slug: str) -> HttpResponse:
    bijeenkomst = _to_act_on_or_404(request, slug)
    lid = lid_for_user(request.user)
    if lid is None:
        messages.error(request, _("Complete your profile before you register."))
        return redirect(bijeenkomst)
    try:
        aanmelding = services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=lid)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        assert aanmelding is not None  # a member's is always made or found (None: guests)
        if aanmelding.status == Aanmelding.Status.WACHTLIJST:
            messages.info(request, _("The meeting is full: you are on the waiting list."))
        else:
            messages.success(request, _("You are registered."))
    return redirect(bijeenkomst)


@login_required
@require_POST
def cancel(request: HttpRequest, slug: str) -> HttpResponse:
    assert request.user.is_authenticated  # login_required
    bijeenkomst = _to_act_on_or_404(request, slug)
    aanmelding = (
        Aanmelding.objects.cancellable()
        .filter(bijeenkomst=bijeenkomst, lid__user=request.user)
        .only("pk")
        .first()
    )
    if aanmelding is not None:
        services.registration_cancel(aanmelding_id=aanmelding.pk)
        messages.success(request, _("Your registration has been cancelled."))
    return redirect(bijeenkomst)


GUEST_FORM = "guest_registration"  # its rates: ACCOUNT_RATE_LIMITS (see portal.ratelimit)


def register_guest(request: HttpRequest, slug: str) -> HttpResponse:
    """A guest's registration for an open meeting: a form, then a confirmation link by mail.

    Anyone can type any address here, so the form is limited per client (too many: 429, and
    nothing happens) and per address (too many: no mail, but the same answer as always). The
    answer is the same whether the address was new, registered already, or limited.
    """
    bijeenkomst = _visible_or_404(request, slug)
    if bijeenkomst.doelgroep != Bijeenkomst.Doelgroep.OPEN:
        raise Http404
    form = GuestRegistrationForm(request.POST if request.method == "POST" else None)
    status = 400 if form.is_bound else 200
    if form.is_valid():
        if not ratelimit.client_may_submit(request, form=GUEST_FORM):
            form.add_error(None, GuestRegistrationForm.error_messages["too_many"])
            status = 429
        else:
            email = form.cleaned_data["gast_email"]
            try:
                services.registration_create(
                    bijeenkomst_id=bijeenkomst.pk,
                    **form.cleaned_data,
                    taal=translation.get_language(),  # the guest's mails in the page's language
                    may_mail=lambda: ratelimit.address_may_receive(
                        request, form=GUEST_FORM, email=email
                    ),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return render(
                    request,
                    "bijeenkomsten/gast_mail_verstuurd.html",
                    {"bijeenkomst": bijeenkomst, "email": email},
                )
    context = {**_meeting_box(bijeenkomst), "guest_form": form}
    return render(request, "bijeenkomsten/gast_aanmelden.html", context, status=status)


@personal_data
def confirm_guest(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: mail scanners that follow links confirm nothing."""
    aanmelding = services.guest_registration_from_token(token)
    if aanmelding is None:
        raise Http404
    if request.method == "POST":
        try:
            aanmelding = services.registration_confirm_guest(aanmelding_id=aanmelding.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return render(request, "bijeenkomsten/gast_bevestigen.html", {"aanmelding": aanmelding})


@personal_data
def cancel_guest(request: HttpRequest, token: str) -> HttpResponse:
    """A guest's way out, from the link in every mail to them. GET shows the meeting and a
    button, POST cancels: mail scanners that follow links cancel nothing."""
    aanmelding = services.guest_registration_from_cancel_token(token)
    if aanmelding is None:
        raise Http404
    if request.method == "POST" and aanmelding.status in CANCELLABLE_STATUSES:
        aanmelding = services.registration_cancel(aanmelding_id=aanmelding.pk)
    return render(request, "bijeenkomsten/gast_afmelden.html", {"aanmelding": aanmelding})


def meeting_ics(request: HttpRequest, slug: str) -> HttpResponse:
    bijeenkomst = meeting_for_page(request.user, slug)
    if bijeenkomst is None:
        moved = selectors.moved_meeting(request.user, slug)
        if moved is None:
            raise Http404
        return redirect("bijeenkomsten:ics", slug=moved.slug, permanent=True)
    response = HttpResponse(meeting_calendar([bijeenkomst]), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="{bijeenkomst.slug}.ics"'
    return response


def _programme_page(user, slug: str, jaar: int, helft: int) -> dict | None:
    programma = (
        Halfjaarprogramma.objects.select_related("netwerk__koepel")
        .filter(netwerk__slug=slug, jaar=jaar, helft=helft)
        .first()
    )
    if programma is None or not can_view_programme(user, programma):
        return None
    previous_half = (jaar, 1) if helft == 2 else (jaar - 1, 2)
    next_half = (jaar, 2) if helft == 1 else (jaar + 1, 1)
    neighbours = {
        (p.jaar, p.helft): p
        for p in Halfjaarprogramma.objects.published().filter(
            netwerk=programma.netwerk, jaar__in=[previous_half[0], next_half[0]]
        )
    }
    meetings = with_listing_data(
        visible_meetings(user).filter(programma=programma).order_by("begin", "id")
    )
    return {
        "netwerk": programma.netwerk,
        "programma": programma,
        "meetings": list(meetings),
        "vorige": neighbours.get(previous_half),
        "volgende": neighbours.get(next_half),
    }


@pagecache.whole_page
def programme(request: HttpRequest, slug: str, jaar: int, helft: int) -> HttpResponse:
    context = pagecache.remember(
        request, "programme", lambda: _programme_page(request.user, slug, jaar, helft)
    )
    if context is None:
        raise Http404
    context = {**context, "marks": registration_marks(request.user)}
    return pagecache.render_cached(request, "bijeenkomsten/programma.html", context)


@pagecache.whole_page
def network(request: HttpRequest, slug: str) -> HttpResponse:
    """A network's page: who they are, their programme, meetings and (for insiders) members."""
    netwerk = pagecache.remember(
        request, "network", lambda: selectors.network_for_page(slug, today=timezone.localdate())
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
        upcoming, past = selectors.upcoming_and_past_meetings(
            request.user, netwerk=netwerk, limit=10
        )
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
        "marks": selectors.registration_marks(request.user),
    }
    return pagecache.render_cached(request, "netwerken/detail.html", context)


def _calendar_response(meetings, filename: str, name: str) -> HttpResponse:
    body = meeting_calendar(meetings, alarm=False, name=name)
    response = HttpResponse(body, content_type="text/calendar")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@pagecache.whole_page
def network_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """A network's open meetings, for subscribing in a calendar app (no login)."""

    def calendar() -> bytes | None:
        netwerk = Netwerk.objects.filter(slug=slug).first()
        if netwerk is None:
            return None
        anonymous = visible_meetings(AnonymousUser()).filter(netwerken=netwerk)
        return meeting_calendar(
            selectors.feed_meetings(anonymous), alarm=False, name=f"Regionet: {netwerk.naam}"
        )

    body = pagecache.remember(request, "network-feed", calendar)
    if body is None:
        raise Http404
    response = HttpResponse(body, content_type="text/calendar")
    response["Content-Disposition"] = f'inline; filename="{slug}.ics"'
    return response


@personal_data
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A member's own registrations and the meetings of their networks they may see.

    The secret token stands in for a login, since calendar apps cannot log in.
    """
    lid = Lid.objects.select_related("user").filter(agenda_token=token).first()
    if lid is None or not lid.user.is_active:
        raise Http404
    own = Aanmelding.objects.filter(lid=lid, status__in=LIVE_STATUSES).values("bijeenkomst_id")
    of_networks = Bijeenkomst.netwerken.through.objects.filter(
        netwerk__lidmaatschappen__lid=lid,
        netwerk__lidmaatschappen__status=Lidmaatschap.Status.ACTIEF,
    ).values("bijeenkomst_id")
    meetings = visible_meetings(lid.user).filter(Q(pk__in=own) | Q(pk__in=of_networks))
    return _calendar_response(
        selectors.feed_meetings(meetings), "regionet.ics", _("Regionet: my meetings")
    )


def material(request: HttpRequest, name: str) -> FileResponse:
    """A meeting's slides or photo, for whoever may see the meeting (else 404, as if none)."""
    materiaal = (
        Materiaal.objects.filter(Q(pdf=name) | Q(afbeelding=name))
        .filter(bijeenkomst__in=visible_meetings(request.user))
        .first()
    )
    if materiaal is None:
        raise Http404
    # The type comes from the field's kind (a PDF, a photo), never from the name.
    return serve_private_file(materiaal.pdf if materiaal.pdf.name == name else materiaal.afbeelding)
