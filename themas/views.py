"""The members' pages of theme rounds: propose, support, vote, see the result.

Never in the page cache: the page shows the viewer's own ballot. It is private and no-store,
and shows no count or count-revealing order until the round is closed (see `selectors`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from leden.selectors import lid_for_user
from netwerken.models import Netwerk
from portal.headers import personal_data

from . import dates, services
from .forms import DatePollForm, ProposalForm
from .models import Datumpeiling, RondeStatus, Themaronde, Themavoorstel
from .permissions import can_steer, can_take_part, can_view_rounds
from .selection import TIE_BREAK
from .selectors import date_poll_for_page, round_for_page


def _network(request: HttpRequest, slug: str) -> Netwerk:
    netwerk = get_object_or_404(Netwerk, slug=slug)
    if not can_view_rounds(request.user, netwerk):
        raise Http404
    return netwerk


@login_required
@personal_data
def rounds(request: HttpRequest, slug: str) -> HttpResponse:
    netwerk = _network(request, slug)
    rondes = list(Themaronde.objects.filter(netwerk=netwerk).order_by("-jaar", "-helft"))
    return render(request, "themas/rondes.html", {"netwerk": netwerk, "rondes": rondes})


def _numbered(request: HttpRequest, prefix: str) -> dict[int, str]:
    """Posted fields named `<prefix><id>`, by id."""
    return {
        int(name.removeprefix(prefix)): str(value)
        for name, value in request.POST.items()
        if name.startswith(prefix) and name.removeprefix(prefix).isdigit()
    }


def _post(request: HttpRequest, ronde: Themaronde) -> ProposalForm | None:
    """Carry out the posted action; a form with errors to show again, or None."""
    lid = lid_for_user(request.user)
    if lid is None or not can_take_part(request.user, ronde.netwerk):
        raise Http404
    action = request.POST.get("actie")
    try:
        if action == "voorstel":
            form = ProposalForm(request.POST)
            if not form.is_valid():
                return form
            services.proposal_create(ronde=ronde, lid=lid, **form.cleaned_data)
            messages.success(request, _("Thank you: your proposal is in."))
        elif action in {"steun", "steun_intrekken"}:
            voorstel = get_object_or_404(
                Themavoorstel, ronde=ronde, pk=request.POST.get("voorstel", "")
            )
            services.proposal_support(voorstel=voorstel, lid=lid, steun=action == "steun")
            messages.success(request, _("Your support is saved."))
        elif action == "reactie":
            voorstel = get_object_or_404(
                Themavoorstel, ronde=ronde, pk=request.POST.get("voorstel", "")
            )
            services.comment_create(voorstel=voorstel, lid=lid, tekst=request.POST.get("tekst", ""))
            messages.success(request, _("Your comment is posted."))
        elif action == "stemmen":
            ids = [int(v) for v in request.POST.getlist("voorstel") if v.isdigit()]
            services.ballot_save(ronde=ronde, lid=lid, voorstel_ids=ids)
            messages.success(
                request, _("Your choice is saved. You can change it until voting closes.")
            )
        elif action == "beschikbaarheid":
            peiling = get_object_or_404(Datumpeiling, ronde=ronde)
            dates.availability_save(
                peiling=peiling, lid=lid, antwoorden=_numbered(request, "avond-")
            )
            messages.success(
                request, _("Your answers are saved. You can change them until the poll closes.")
            )
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return None


@login_required
@personal_data
def round_page(request: HttpRequest, slug: str, jaar: int, helft: int) -> HttpResponse:
    netwerk = _network(request, slug)
    ronde = get_object_or_404(
        Themaronde.objects.select_related("netwerk"), netwerk=netwerk, jaar=jaar, helft=helft
    )
    form = None
    if request.method == "POST":
        form = _post(request, ronde)
        if form is None:
            return redirect(request.path)
    meedoen = can_take_part(request.user, netwerk)
    lid = lid_for_user(request.user) if meedoen else None
    view = round_for_page(ronde, lid)
    return render(
        request,
        "themas/ronde.html",
        {
            "netwerk": netwerk,
            "ronde": ronde,
            "view": view,
            "status": ronde.status(),
            "Status": RondeStatus,
            "meedoen": meedoen,
            # Comments are open while proposing and voting, to the round's members.
            "reageren": meedoen
            and ronde.status() in {RondeStatus.VOORSTELLEN, RondeStatus.STEMMEN},
            "sturen": can_steer(request.user, netwerk),
            "form": form or ProposalForm(),
            "tie_break": TIE_BREAK,
            "peiling": date_poll_for_page(ronde, lid),
        },
    )


def _plan_post(request: HttpRequest, ronde: Themaronde, peiling: Datumpeiling | None):
    """Open the poll or accept a plan; the open form with errors to show again, or None."""
    action = request.POST.get("actie")
    try:
        if action == "openen" and peiling is None:
            form = DatePollForm(request.POST)
            if not form.is_valid():
                return form
            dates.date_poll_open(
                ronde=ronde, sluit_op=form.cleaned_data["sluit_op"], avonden=form.evenings()
            )
            messages.success(request, _("The date poll is open: members can answer now."))
        elif action == "accepteren" and peiling is not None:
            toewijzing = {
                pk: int(value)
                for pk, value in _numbered(request, "thema-").items()
                if value.isdigit()
            }
            dates.date_plan_accept(peiling=peiling, toewijzing=toewijzing)
            messages.success(
                request,
                _("The meetings are in the programme draft. Publish it when it is ready."),
            )
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return None


@login_required
@personal_data
def date_planning(request: HttpRequest, slug: str, jaar: int, helft: int) -> HttpResponse:
    """The coordinators' page of a round's date poll: open it, see the proposed plan with
    each evening's score and who can come, adjust it and accept it."""
    netwerk = get_object_or_404(Netwerk, slug=slug)
    if not can_steer(request.user, netwerk):
        raise Http404
    ronde = get_object_or_404(
        Themaronde.objects.select_related("netwerk"), netwerk=netwerk, jaar=jaar, helft=helft
    )
    peiling = Datumpeiling.objects.filter(ronde=ronde).first()
    form = None
    if request.method == "POST":
        form = _plan_post(request, ronde, peiling)
        if form is None:
            return redirect(request.path)
    voorstel, probleem = None, ""
    if peiling is not None and peiling.geaccepteerd_op is None:
        try:
            voorstel = dates.date_plan_propose(peiling=peiling)
        except ValidationError as error:
            probleem = " ".join(error.messages)
    return render(
        request,
        "themas/datumplanning.html",
        {
            "netwerk": netwerk,
            "ronde": ronde,
            "peiling": peiling,
            "form": form or DatePollForm(initial={"begintijd": netwerk.vaste_aanvang}),
            "voorstel": voorstel,
            "probleem": probleem,
            "programma": dates.programme_of(ronde) if peiling and peiling.geaccepteerd_op else None,
            # The chosen themes with their meetings and forecasts; empty until the close.
            "gekozen": dates.chosen_themes(ronde) if peiling and peiling.geaccepteerd_op else [],
        },
    )
