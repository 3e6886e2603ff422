"""Writes of action plans: plans, challenges, action points, progress notes, follows.

Every path (the admin's forms, inlines, bulk deletes, the pages, the demo data) calls these,
and each write records what changed in the history (`Wijziging`), here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from bevragingen.models import Bevraging
from bijeenkomsten.models import Bijeenkomst
from leden.models import Lid, User
from netwerken.models import Koepel, Netwerk, Subregio
from portal.formats import local_date

from .models import Actieplan, Actiepunt, Status, Uitdaging, Volger, Voortgang, Wijziging

PLAN_FIELDS = ("titel", "inleiding", "vastgesteld_op", "koepelplan")
CHALLENGE_FIELDS = ("titel", "toelichting", "volgorde", "subregio")
POINT_FIELDS = ("titel", "doel", "status", "nummer", "uitdaging")
POINT_RELATIONS = ("trekkers", "bijeenkomsten", "bevragingen")
NOTE_FIELDS = ("datum", "tekst")


def _shown(value: Any) -> Any:
    """A value as the history keeps it (JSON): a row by its name, a date as ISO text."""
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _record(
    *,
    plan: Actieplan,
    onderwerp: Model,
    soort: str,
    omschrijving: str,
    door: User | None,
    velden: dict | None = None,
    actiepunt: Actiepunt | None = None,
) -> Wijziging:
    return Wijziging.objects.create(
        plan=plan,
        onderwerp=onderwerp._meta.model_name or "",
        onderwerp_id=onderwerp.pk,
        actiepunt=actiepunt,
        soort=soort,
        omschrijving=omschrijving[:300],
        velden=velden or {},
        door=door if door is not None and door.is_authenticated else None,
    )


def _apply(obj: Model, allowed: Iterable[str], changes: dict[str, Any]) -> dict[str, list]:
    """Set `changes` on `obj` and return {field: [before, after]} for what really changed."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    changed = {}
    for name, value in changes.items():
        before = getattr(obj, name)
        if before != value:
            changed[name] = [_shown(before), _shown(value)]
            setattr(obj, name, value)
    return changed


# --- Plans ------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    titel: str,
    netwerk: Netwerk | None = None,
    koepel: Koepel | None = None,
    inleiding: str = "",
    vastgesteld_op: date | None = None,
    koepelplan: Actieplan | None = None,
    door: User | None = None,
) -> Actieplan:
    """A network's plan (`netwerk`), or an umbrella's (`koepel`); a network's plan may add to
    its umbrella's plan (`koepelplan`)."""
    plan = Actieplan(
        netwerk=netwerk,
        koepel=koepel,
        titel=titel,
        inleiding=inleiding,
        vastgesteld_op=vastgesteld_op,
        koepelplan=koepelplan,
    )
    plan.full_clean()  # a network adds only to its own umbrella's plan (Actieplan.clean)
    plan.save()
    _record(
        plan=plan,
        onderwerp=plan,
        soort=Wijziging.Soort.AANGEMAAKT,
        omschrijving=_("Plan “%(titel)s” created.") % {"titel": titel},
        door=door,
    )
    return plan


@transaction.atomic
def plan_update(*, plan: Actieplan, door: User | None = None, **changes: Any) -> Actieplan:
    """Change a plan's title, introduction, date or the umbrella plan it adds to."""
    before = Actieplan.objects.select_for_update().get(pk=plan.pk)
    changed = _apply(before, PLAN_FIELDS, changes)
    if not changed:
        return before
    before.full_clean()
    before.save()
    _record(
        plan=before,
        onderwerp=before,
        soort=Wijziging.Soort.GEWIJZIGD,
        omschrijving=_("Plan “%(titel)s” changed.") % {"titel": before.titel},
        door=door,
        velden=changed,
    )
    return before


def plan_delete(*, plan: Actieplan) -> None:
    """Delete a plan with its challenges, points, notes and history (umbrella staff only,
    in the admin): nothing of it is left to keep a history of."""
    plan.delete()


# --- Challenges -------------------------------------------------------------------------


@transaction.atomic
def challenge_create(
    *,
    plan: Actieplan,
    titel: str,
    toelichting: str = "",
    volgorde: int | None = None,
    subregio: Subregio | None = None,
    door: User | None = None,
) -> Uitdaging:
    """A challenge of a plan, last in order unless given; a sub-region may take it up."""
    if volgorde is None:
        volgorde = plan.uitdagingen.count()
    uitdaging = Uitdaging(
        plan=plan, titel=titel, toelichting=toelichting, volgorde=volgorde, subregio=subregio
    )
    uitdaging.full_clean()  # a sub-region of the plan's network only (Uitdaging.clean)
    uitdaging.save()
    _record(
        plan=plan,
        onderwerp=uitdaging,
        soort=Wijziging.Soort.AANGEMAAKT,
        omschrijving=_("Challenge “%(titel)s” added.") % {"titel": titel},
        door=door,
        velden={"subregio": [None, str(subregio)]} if subregio else None,
    )
    return uitdaging


@transaction.atomic
def challenge_update(
    *, uitdaging: Uitdaging, door: User | None = None, **changes: Any
) -> Uitdaging:
    current = Uitdaging.objects.select_for_update().select_related("plan").get(pk=uitdaging.pk)
    changed = _apply(current, CHALLENGE_FIELDS, changes)
    if not changed:
        return current
    current.full_clean()
    current.save()
    _record(
        plan=current.plan,
        onderwerp=current,
        soort=Wijziging.Soort.GEWIJZIGD,
        omschrijving=_("Challenge “%(titel)s” changed.") % {"titel": current.titel},
        door=door,
        velden=changed,
    )
    return current


@transaction.atomic
def challenge_delete(*, uitdaging: Uitdaging, door: User | None = None) -> None:
    """Delete a challenge with its action points; the history keeps that they were there."""
    plan = uitdaging.plan
    points = list(uitdaging.actiepunten.values_list("titel", flat=True))
    _record(
        plan=plan,
        onderwerp=uitdaging,
        soort=Wijziging.Soort.VERWIJDERD,
        omschrijving=_("Challenge “%(titel)s” deleted.") % {"titel": uitdaging.titel},
        door=door,
        velden={"actiepunten": [points, []]} if points else None,
    )
    uitdaging.delete()


# --- Action points ------------------------------------------------------------------------


@transaction.atomic
def action_point_create(
    *,
    uitdaging: Uitdaging,
    titel: str,
    doel: str = "",
    status: str = Status.IDEE,
    nummer: int | None = None,
    trekkers: Iterable[Lid] = (),
    bijeenkomsten: Iterable[Bijeenkomst] = (),
    bevragingen: Iterable[Bevraging] = (),
    door: User | None = None,
) -> Actiepunt:
    """An action point under a challenge, pulled by `trekkers`, fed by `bijeenkomsten` and
    `bevragingen` (surveys)."""
    punt = Actiepunt(uitdaging=uitdaging, titel=titel, doel=doel, status=status, nummer=nummer)
    punt.full_clean()
    punt.save()
    punt.trekkers.set(list(trekkers))
    punt.bijeenkomsten.set(list(bijeenkomsten))
    punt.bevragingen.set(list(bevragingen))
    _record(
        plan=uitdaging.plan,
        onderwerp=punt,
        actiepunt=punt,
        soort=Wijziging.Soort.AANGEMAAKT,
        omschrijving=_("Action point “%(titel)s” added (%(status)s).")
        % {"titel": titel, "status": Status(status).label},
        door=door,
    )
    return punt


@transaction.atomic
def action_point_update(
    *, actiepunt: Actiepunt, door: User | None = None, **changes: Any
) -> Actiepunt:
    """Change an action point's fields, its pullers (`trekkers`), meetings (`bijeenkomsten`) or
    surveys (`bevragingen`).

    A status change is its own kind of history entry, so the plan's page can tell when a point
    started or ended."""
    relations = {name: changes.pop(name) for name in POINT_RELATIONS if name in changes}
    current = (
        Actiepunt.objects.select_for_update().select_related("uitdaging__plan").get(pk=actiepunt.pk)
    )
    old_plan = current.uitdaging.plan
    changed = _apply(current, POINT_FIELDS, changes)
    for name, wanted in relations.items():
        manager = getattr(current, name)
        # By id: the history keeps no member's name (see privacy.py).
        before = set(manager.values_list("pk", flat=True))
        after = {obj.pk for obj in wanted}
        if before != after:
            manager.set(list(wanted))
            changed[name] = [sorted(before), sorted(after)]
    if not changed:
        return current
    if current.uitdaging.plan_id != old_plan.pk:
        raise ValidationError({"uitdaging": _("An action point stays within its plan.")})
    current.gewijzigd_op = timezone.now()
    current.full_clean()
    current.save()
    if set(changed) == {"status"}:
        soort = Wijziging.Soort.STATUS
        omschrijving = _("“%(titel)s”: %(before)s → %(after)s.") % {
            "titel": current.titel,
            "before": Status(changed["status"][0]).label,
            "after": Status(changed["status"][1]).label,
        }
    else:
        soort = Wijziging.Soort.GEWIJZIGD
        omschrijving = _("Action point “%(titel)s” changed.") % {"titel": current.titel}
    _record(
        plan=old_plan,
        onderwerp=current,
        actiepunt=current,
        soort=soort,
        omschrijving=omschrijving,
        door=door,
        velden=changed,
    )
    return current


@transaction.atomic
def action_point_delete(*, actiepunt: Actiepunt, door: User | None = None) -> None:
    plan = actiepunt.uitdaging.plan
    _record(
        plan=plan,
        onderwerp=actiepunt,
        soort=Wijziging.Soort.VERWIJDERD,
        omschrijving=_("Action point “%(titel)s” deleted.") % {"titel": actiepunt.titel},
        door=door,
    )
    actiepunt.delete()


# --- Progress notes -----------------------------------------------------------------------


@transaction.atomic
def progress_add(
    *,
    actiepunt: Actiepunt,
    tekst: str,
    datum: date | None = None,
    auteur: Lid | None = None,
    door: User | None = None,
) -> Voortgang:
    """A dated progress note; its followers find it in their next digest."""
    note = Voortgang(
        actiepunt=actiepunt, tekst=tekst, datum=datum or timezone.localdate(), auteur=auteur
    )
    note.full_clean()
    note.save()
    Actiepunt.objects.filter(pk=actiepunt.pk).update(gewijzigd_op=timezone.now())
    _record(
        plan=actiepunt.uitdaging.plan,
        onderwerp=note,
        actiepunt=actiepunt,
        soort=Wijziging.Soort.VOORTGANG,
        omschrijving=_("Progress on “%(titel)s” (%(datum)s).")
        % {"titel": actiepunt.titel, "datum": local_date(note.datum, "SHORT_DATE_FORMAT")},
        door=door,
    )
    return note


@transaction.atomic
def progress_update(*, voortgang: Voortgang, door: User | None = None, **changes: Any) -> Voortgang:
    current = (
        Voortgang.objects.select_for_update()
        .select_related("actiepunt__uitdaging__plan")
        .get(pk=voortgang.pk)
    )
    changed = _apply(current, NOTE_FIELDS, changes)
    if not changed:
        return current
    current.full_clean()
    current.save()
    punt = current.actiepunt
    _record(
        plan=punt.uitdaging.plan,
        onderwerp=current,
        actiepunt=punt,
        soort=Wijziging.Soort.GEWIJZIGD,
        omschrijving=_("Progress note on “%(titel)s” corrected.") % {"titel": punt.titel},
        door=door,
        velden=changed,
    )
    return current


@transaction.atomic
def progress_delete(*, voortgang: Voortgang, door: User | None = None) -> None:
    punt = voortgang.actiepunt
    _record(
        plan=punt.uitdaging.plan,
        onderwerp=voortgang,
        actiepunt=punt,
        soort=Wijziging.Soort.VERWIJDERD,
        omschrijving=_("Progress note on “%(titel)s” deleted.") % {"titel": punt.titel},
        door=door,
    )
    voortgang.delete()


# --- Following ----------------------------------------------------------------------------


def action_point_follow(*, actiepunt: Actiepunt, lid: Lid) -> Volger:
    """Follow a point: its new progress comes in the member's digest. Twice is once."""
    volger, _created = Volger.objects.get_or_create(actiepunt=actiepunt, lid=lid)
    return volger


def action_point_unfollow(*, actiepunt: Actiepunt, lid: Lid) -> None:
    Volger.objects.filter(actiepunt=actiepunt, lid=lid).delete()
