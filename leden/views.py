import json
from typing import cast

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from netwerken.models import Netwerk
from portal.uploads import serve_private_file

from . import mail_preferences, photos, privacy, services
from .forms import MeedoenForm, ProfielForm
from .models import Lid, Lidmaatschap, User
from .permissions import can_see_member
from .selectors import lid_for_user


def _lid_or_404(request: HttpRequest):
    lid = lid_for_user(request.user)
    if lid is None:
        raise Http404
    return lid


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    lid = _lid_or_404(request)
    form = ProfielForm(request.POST or None, request.FILES or None, instance=lid)
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.cleaned_data["foto"]:
            photos.lid_photo_set(lid=lid, upload=form.cleaned_data["foto"])
        elif form.cleaned_data["foto_verwijderen"]:
            photos.lid_photo_remove(lid=lid)
        messages.success(request, _("Your profile has been saved."))
        return redirect("leden:profiel")
    memberships = lid.lidmaatschappen.select_related("netwerk").order_by("netwerk__naam")
    feed_url = (
        request.build_absolute_uri(f"/agenda/{lid.agenda_token}.ics") if lid.agenda_token else ""
    )
    # The newsletter as the one setting has it; it is chosen on the mail preferences page.
    keuzes = mail_preferences.mail_choices(lid)
    context = {
        "form": form,
        "lid": lid,
        "memberships": memberships,
        "feed_url": feed_url,
        "keuzes": keuzes,
        "nieuwsbrief_status": keuzes.status,
        "toestemming": keuzes.toestemming,
    }
    return render(request, "leden/profiel.html", context)


PHOTO_FIELDS = ("pk", "user_id", "foto")


def photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A member's photo, for whoever may see the member's name (else 404, as if none)."""
    return _photo_response(request, get_object_or_404(Lid.objects.only(*PHOTO_FIELDS), pk=pk))


def photo_file(request: HttpRequest, name: str) -> HttpResponseBase:
    """The same photo by its stored name: the URL the photo field itself gives (the admin's)."""
    lid = Lid.objects.only(*PHOTO_FIELDS).filter(foto=name).first()
    if lid is None:
        raise Http404
    return _photo_response(request, lid)


def _photo_response(request: HttpRequest, lid: Lid) -> HttpResponseBase:
    # The access check runs whether or not there is a photo: a hidden photo and no photo
    # answer the same 404 after the same work, so the time does not tell them apart.
    visible = can_see_member(request.user, lid)
    if not (visible and lid.foto):
        raise Http404
    return serve_private_file(lid.foto)


@login_required
@require_POST
def renew_calendar_token(request: HttpRequest) -> HttpResponse:
    services.lid_calendar_token_renew(lid=_lid_or_404(request))
    messages.success(request, _("You have a new calendar link; the old one no longer works."))
    return redirect("leden:profiel")


@login_required
def join(request: HttpRequest, slug: str) -> HttpResponse:
    lid = _lid_or_404(request)
    netwerk = get_object_or_404(Netwerk, slug=slug)
    form = MeedoenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.membership_request(lid=lid, netwerk_id=netwerk.pk, **form.cleaned_data)
        messages.success(
            request,
            _("Your request has been sent to the coordinators of %(netwerk)s.")
            % {"netwerk": netwerk.naam},
        )
        return redirect(netwerk)
    return render(request, "leden/meedoen.html", {"form": form, "netwerk": netwerk})


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    netwerk = get_object_or_404(Netwerk, slug=slug)
    if services.membership_leave(lid=_lid_or_404(request), netwerk_id=netwerk.pk):
        messages.success(request, _("You have left %(netwerk)s.") % {"netwerk": netwerk.naam})
    return redirect("leden:profiel")


@login_required
@require_POST
def tier_move(request: HttpRequest, slug: str) -> HttpResponse:
    netwerk = get_object_or_404(Netwerk, slug=slug)
    schil = request.POST.get("schil", "")
    if schil not in Lidmaatschap.Schil.values:
        raise Http404
    lid = _lid_or_404(request)
    if services.membership_tier_request(lid=lid, netwerk_id=netwerk.pk, schil=schil):
        messages.success(
            request,
            _("Your request has been sent to the coordinators of %(netwerk)s.")
            % {"netwerk": netwerk.naam},
        )
    return redirect("leden:profiel")


@login_required
def data_download(request: HttpRequest) -> HttpResponse:
    data = privacy.member_data(lid=_lid_or_404(request))
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens-regionet.json"'
    return response


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("bevestig") == "ja":
        user = cast(User, request.user)  # login_required
        logout(request)
        privacy.account_delete(user=user)
        messages.success(request, _("Your account and personal data have been deleted."))
        return redirect("home")
    return render(request, "leden/verwijderen.html")
