"""The public action plan pages (a network's, an umbrella's) and following an action point.

Public, with two personal touches for a logged-in member (the follow buttons and, for the
network's members, who pulls each point): not in the page cache, and private to the browser.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leden.selectors import lid_for_user
from netwerken.models import Koepel, Netwerk

from . import selectors, services
from .models import Actieplan, Actiepunt
from .permissions import can_follow, can_see_pullers


def _page(
    request: HttpRequest, template: str, context: dict, plans: list[Actieplan]
) -> HttpResponse:
    lid = lid_for_user(request.user) if can_follow(request.user) else None  # the cached profile
    context.update(
        plannen=[(plan, selectors.status_counts(plan)) for plan in plans],
        volgt=selectors.followed_point_ids(lid, plans),
        kan_volgen=lid is not None,
    )
    response = render(request, template, context)
    if request.user.is_authenticated:
        patch_cache_control(response, private=True)
    return response


def network_plan(request: HttpRequest, slug: str) -> HttpResponse:
    netwerk = get_object_or_404(Netwerk.objects.select_related("koepel"), slug=slug)
    pullers = can_see_pullers(request.user, netwerk=netwerk)
    plans = selectors.network_plans(netwerk, pullers=pullers)
    context = {"netwerk": netwerk, "koepel": netwerk.koepel, "trekkers_zichtbaar": pullers}
    return _page(request, "actieplannen/netwerk.html", context, plans)


def umbrella_plan(request: HttpRequest, slug: str) -> HttpResponse:
    koepel = get_object_or_404(Koepel, slug=slug)
    pullers = can_see_pullers(request.user, koepel=koepel)
    plans = selectors.umbrella_plans(koepel, pullers=pullers)
    context = {"koepel": koepel, "trekkers_zichtbaar": pullers}
    return _page(request, "actieplannen/koepel.html", context, plans)


@login_required
@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow (or, with `stop`, unfollow) an action point; back to it on its plan's page."""
    punt = get_object_or_404(
        Actiepunt.objects.select_related("uitdaging__plan__netwerk", "uitdaging__plan__koepel"),
        pk=pk,
    )
    lid = lid_for_user(request.user)
    if lid is None:
        raise Http404
    if request.POST.get("stop"):
        services.action_point_unfollow(actiepunt=punt, lid=lid)
        messages.success(request, _("You no longer follow “%(titel)s”.") % {"titel": punt.titel})
    else:
        services.action_point_follow(actiepunt=punt, lid=lid)
        messages.success(
            request,
            _("You follow “%(titel)s”: its progress comes in your newsletter.")
            % {"titel": punt.titel},
        )
    return redirect(f"{punt.uitdaging.plan.get_absolute_url()}#punt-{punt.pk}")
