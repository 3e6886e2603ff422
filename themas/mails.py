"""Mails about theme rounds: opened, voting closes in two days, merged proposals, results;
and the date poll closing in two days.

Each function builds the context and hands the mails to the outbox (`berichten.outbox`), which
renders them inside the caller's transaction and sends them once it commits. The keys make
each mail once per member and round, however often a task runs.

Preferences: the voting reminder is a reminder, so it follows the member's reminder choice for
the network (`leden.mail_preferences.reminder_choices`); the opening and the result are the
network's own business, like membership decisions, and go to every active member.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse

from berichten.outbox import Mail, queue_mails
from leden.mail_preferences import reminder_choices
from leden.models import Lid

from .models import Beschikbaarheid, Datumpeiling, Stem, Stembiljet, Themaronde, Themavoorstel


def round_url(ronde: Themaronde) -> str:
    return settings.SITE_URL + reverse(
        "themas:ronde",
        kwargs={"slug": ronde.netwerk.slug, "jaar": ronde.jaar, "helft": ronde.helft},
    )


def _active_members(ronde: Themaronde):
    return (
        Lid.objects.filter(
            lidmaatschappen__netwerk_id=ronde.netwerk_id,
            lidmaatschappen__status="actief",
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
    )


def _mails(ronde: Themaronde, leden, extra: dict) -> list[Mail]:
    context = {"ronde": ronde, "netwerk": ronde.netwerk, "ronde_url": round_url(ronde), **extra}
    return [
        Mail(to=lid.user.email, context={**context, "lid": lid}, lid_id=lid.pk, language=lid.taal)
        for lid in leden
    ]


def queue_round_opened(ronde_id: int) -> list[int]:
    """Tell the network's active members that a round is open for proposals."""
    ronde = Themaronde.objects.select_related("netwerk").get(pk=ronde_id)
    return queue_mails(
        kind="themaronde_geopend",
        key=f"themaronde-{ronde.pk}",
        mails=_mails(ronde, _active_members(ronde), {}),
    )


def queue_voting_reminders(ronde_id: int) -> list[int]:
    """Remind the active members who have not voted (and want reminders) that voting closes
    soon. Once per member and round (the key), however often the periodic job runs."""
    ronde = Themaronde.objects.select_related("netwerk").get(pk=ronde_id)
    voted = Stembiljet.objects.filter(ronde=ronde, pk__in=Stem.objects.values("biljet_id")).values(
        "lid_id"
    )
    leden = list(_active_members(ronde).exclude(pk__in=voted))
    wanted = reminder_choices(leden, [ronde.netwerk_id])
    return queue_mails(
        kind="themaronde_stemherinnering",
        key=f"themaronde-{ronde.pk}",
        mails=_mails(ronde, [lid for lid in leden if lid.pk in wanted], {}),
    )


def queue_results(ronde_id: int) -> list[int]:
    """Tell the network's active members which themes the round chose."""
    ronde = Themaronde.objects.select_related("netwerk").get(pk=ronde_id)
    chosen = list(
        Themavoorstel.objects.filter(ronde=ronde, gekozen_als__isnull=False).order_by("gekozen_als")
    )
    return queue_mails(
        kind="themaronde_uitslag",
        key=f"themaronde-{ronde.pk}",
        mails=_mails(ronde, _active_members(ronde), {"gekozen": chosen}),
    )


def queue_proposal_merged(voorstel_id: int) -> list[int]:
    """Tell the proposers of both proposals that one was merged into the other."""
    voorstel = Themavoorstel.objects.select_related(
        "ronde__netwerk", "indiener__user", "samengevoegd_in__indiener__user"
    ).get(pk=voorstel_id)
    into = voorstel.samengevoegd_in
    assert into is not None, "queued by proposal_merge, after the merge"
    proposers = {p.pk: p for p in (voorstel.indiener, into.indiener) if p and p.user.is_active}
    return queue_mails(
        kind="themavoorstel_samengevoegd",
        key=f"themavoorstel-{voorstel.pk}",
        mails=_mails(voorstel.ronde, proposers.values(), {"voorstel": voorstel, "into": into}),
    )


def due_reminder_window(ronde: Themaronde, now: datetime) -> bool:
    """Voting runs and closes within two days."""
    return ronde.voorstellen_tot <= now < ronde.stemmen_tot <= now + settings.THEMAS_REMINDER_BEFORE


def queue_date_poll_reminders(peiling_id: int) -> list[int]:
    """Remind the active members who have answered none of the poll's evenings (and want
    reminders) that it closes soon. Once per member and poll (the key); the periodic job
    also claims the poll first (`Datumpeiling.herinnerd_op`), so it runs this once."""
    peiling = Datumpeiling.objects.select_related("ronde__netwerk").get(pk=peiling_id)
    ronde = peiling.ronde
    answered = Beschikbaarheid.objects.filter(avond__peiling=peiling).values("lid_id")
    leden = list(_active_members(ronde).exclude(pk__in=answered))
    wanted = reminder_choices(leden, [ronde.netwerk_id])
    return queue_mails(
        kind="datumpeiling_herinnering",
        key=f"datumpeiling-{peiling.pk}",
        mails=_mails(ronde, [lid for lid in leden if lid.pk in wanted], {"peiling": peiling}),
    )


def date_polls_due_for_reminder(now: datetime):
    """Open polls that close within the reminder window and have not been reminded of."""
    return Datumpeiling.objects.open(now).filter(
        herinnerd_op__isnull=True, sluit_op__lte=now + settings.THEMAS_REMINDER_BEFORE
    )
