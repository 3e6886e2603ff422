"""Reads of action plans for the public pages, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from bevragingen.models import Bevraging
from bijeenkomsten.models import Bijeenkomst
from leden.models import Lid
from netwerken.models import Koepel, Netwerk

from .models import Actieplan, Actiepunt, Status, Uitdaging, Volger, Voortgang


def _with_contents(plans: QuerySet, *, pullers: bool) -> QuerySet:
    """Plans with their challenges, action points, progress, published meetings and the
    surveys that feed them: six queries (seven with the pullers' names) whatever the plan's
    size."""
    points = Actiepunt.objects.order_by("nummer", "pk").prefetch_related(
        Prefetch("voortgang", queryset=Voortgang.objects.order_by("-datum", "-pk")),
        Prefetch(
            "bijeenkomsten",
            queryset=Bijeenkomst.objects.published()
            .order_by("begin", "pk")
            .only("pk", "titel", "slug", "begin"),
        ),
        Prefetch(
            "bevragingen",
            queryset=Bevraging.objects.select_related("netwerk")
            .order_by("opent_op", "pk")
            .only("pk", "titel", "opent_op", "sluit_op", "netwerk__slug"),
        ),
    )
    if pullers:
        points = points.prefetch_related(
            Prefetch("trekkers", queryset=Lid.objects.order_by("naam", "pk").only("pk", "naam"))
        )
    challenges = (
        Uitdaging.objects.select_related("subregio")
        .order_by("volgorde", "pk")
        .prefetch_related(Prefetch("actiepunten", queryset=points))
    )
    return plans.select_related("netwerk", "koepel").prefetch_related(
        Prefetch("uitdagingen", queryset=challenges)
    )


def network_plans(netwerk: Netwerk, *, pullers: bool = False) -> list[Actieplan]:
    """A network's plans, newest first, with everything the page shows."""
    plans = Actieplan.objects.of_network(netwerk).select_related("koepelplan")
    return list(_with_contents(plans, pullers=pullers))


def umbrella_plans(koepel: Koepel, *, pullers: bool = False) -> list[Actieplan]:
    """An umbrella's own plans, with the networks' plans that add to them (named, linked)."""
    plans = Actieplan.objects.of_umbrella(koepel).prefetch_related(
        Prefetch(
            "aanvullingen",
            queryset=Actieplan.objects.select_related("netwerk").order_by("netwerk__naam"),
        )
    )
    return list(_with_contents(plans, pullers=pullers))


def followed_point_ids(lid: Lid | None, plans: list[Actieplan]) -> set[int]:
    """Which of these plans' points `lid` follows (one query; none for visitors)."""
    if lid is None or not plans:
        return set()
    return set(
        Volger.objects.filter(lid=lid, actiepunt__uitdaging__plan__in=plans).values_list(
            "actiepunt_id", flat=True
        )
    )


def status_counts(plan: Actieplan) -> list[tuple[Status, int]]:
    """How many of a plan's points stand where (every status, in order), counted from what
    is already loaded."""
    counts = dict.fromkeys(Status, 0)
    for uitdaging in plan.uitdagingen.all():
        for punt in uitdaging.actiepunten.all():
            counts[Status(punt.status)] += 1
    return list(counts.items())
