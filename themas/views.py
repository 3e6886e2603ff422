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

from . import services
from .forms import ProposalForm
from .models import RondeStatus, Themaronde, Themavoorstel
from .permissions import can_steer, can_take_part, can_view_rounds
from .selection import TIE_BREAK
from .selectors import round_for_page


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
        elif action == "stemmen":
            ids = [int(v) for v in request.POST.getlist("voorstel") if v.isdigit()]
            services.ballot_save(ronde=ronde, lid=lid, voorstel_ids=ids)
            messages.success(
                request, _("Your choice is saved. You can change it until voting closes.")
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
    view = round_for_page(ronde, lid_for_user(request.user) if meedoen else None)
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
            "sturen": can_steer(request.user, netwerk),
            "form": form or ProposalForm(),
            "tie_break": TIE_BREAK,
        },
    )
