"""A member's mail choices per network: reminders on or off, and how often the digest.

The member's profile (Lid.herinneringen, Lid.digest) holds wherever no choice was made for a
network. Reads first, then the one write.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction

from berichten.models import DigestToestemming, Mailvoorkeur
from netwerken.models import Netwerk

from .models import Lid, Lidmaatschap


@dataclass(frozen=True)
class NetwerkKeuze:
    """What a member gets from one network, and whether that is their own choice there."""

    netwerk: Netwerk
    herinneringen: bool
    nieuwsbrief: str
    eigen_keuze: bool


def mail_choices(lid: Lid) -> list[NetwerkKeuze]:
    """The member's choices for each network of their active memberships (two queries)."""
    netwerken = [
        m.netwerk
        for m in Lidmaatschap.objects.filter(lid=lid, status=Lidmaatschap.Status.ACTIEF)
        .select_related("netwerk")
        .order_by("netwerk__naam")
    ]
    eigen = {v.netwerk_id: v for v in Mailvoorkeur.objects.filter(lid=lid)}
    return [
        NetwerkKeuze(
            netwerk=n,
            herinneringen=eigen[n.pk].herinneringen if n.pk in eigen else lid.herinneringen,
            nieuwsbrief=eigen[n.pk].nieuwsbrief if n.pk in eigen else lid.digest,
            eigen_keuze=n.pk in eigen,
        )
        for n in netwerken
    ]


def has_digest_consent(lid: Lid) -> bool:
    """Whether the member confirmed the digest (double opt-in) and has not withdrawn since."""
    return DigestToestemming.objects.filter(
        lid=lid, bevestigd_op__isnull=False, ingetrokken_op__isnull=True
    ).exists()


def reminder_choices(leden: Iterable[Lid], netwerk_ids: Collection[int]) -> set[int]:
    """The ids of those members who want reminders for a meeting of these networks (one query).

    A member's choice for a network overrides their profile there; for a meeting of several
    networks, one of them switched on is enough.
    """
    leden = list(leden)
    if not leden or not netwerk_ids:
        return {lid.pk for lid in leden if lid.herinneringen}
    choices = {
        (lid_id, netwerk_id): on
        for lid_id, netwerk_id, on in Mailvoorkeur.objects.filter(
            lid__in=[lid.pk for lid in leden], netwerk__in=netwerk_ids
        ).values_list("lid_id", "netwerk_id", "herinneringen")
    }
    return {
        lid.pk
        for lid in leden
        if any(choices.get((lid.pk, n), lid.herinneringen) for n in netwerk_ids)
    }


def digest_choices(lid_ids: Collection[int]) -> dict[tuple[int, int], str]:
    """(member id, network id) → digest frequency, for the networks where it differs (one query)."""
    return {
        (lid_id, netwerk_id): nieuwsbrief
        for lid_id, netwerk_id, nieuwsbrief in Mailvoorkeur.objects.filter(
            lid__in=lid_ids
        ).values_list("lid_id", "netwerk_id", "nieuwsbrief")
    }


def mail_data_of(lid: Lid) -> dict[str, list[dict]]:
    """The member's digest consents and mail choices, for the privacy download (two queries)."""
    return {
        "nieuwsbrief_toestemmingen": list(
            DigestToestemming.objects.filter(lid=lid)
            .order_by("gevraagd_op")
            .values(
                "frequentie",
                "tekst",
                "gevraagd_op",
                "gevraagd_via",
                "bevestigd_op",
                "ingetrokken_op",
                "ingetrokken_via",
            )
        ),
        "mailvoorkeuren": list(
            Mailvoorkeur.objects.filter(lid=lid)
            .order_by("netwerk__naam")
            .values("netwerk__naam", "herinneringen", "nieuwsbrief", "gewijzigd_op")
        ),
    }


@transaction.atomic
def mail_preferences_save(*, lid: Lid, keuzes: Mapping[int, tuple[bool, str]]) -> None:
    """Save a member's choices per network: {network id: (reminders on, digest frequency)}.

    Only networks of the member's active memberships. A choice equal to the profile's leaves no
    row, so a later change in the profile still reaches that network.
    """
    actief = set(
        Lidmaatschap.objects.filter(
            lid=lid, status=Lidmaatschap.Status.ACTIEF, netwerk_id__in=keuzes
        ).values_list("netwerk_id", flat=True)
    )
    if unknown := set(keuzes) - actief:
        raise ValueError(f"not an active membership: {sorted(unknown)}")
    for netwerk_id, (herinneringen, nieuwsbrief) in keuzes.items():
        if (herinneringen, nieuwsbrief) == (lid.herinneringen, lid.digest):
            Mailvoorkeur.objects.filter(lid=lid, netwerk_id=netwerk_id).delete()
            continue
        if nieuwsbrief not in Mailvoorkeur.Nieuwsbrief.values:
            raise ValueError(f"not a digest frequency: {nieuwsbrief}")
        Mailvoorkeur.objects.update_or_create(
            lid=lid,
            netwerk_id=netwerk_id,
            defaults={"herinneringen": herinneringen, "nieuwsbrief": nieuwsbrief},
        )
