"""A member's mail choices per network, and the one place that decides who gets the digest.

Reminders: the choice for a network (Mailvoorkeur) or else the profile (Lid.herinneringen).

The newsletter digest (`DigestSetting`, `digest_settings`, `digest_frequency_for`): only with a
confirmed, not withdrawn consent (DigestToestemming, double opt-in); then for each network the
choice made there (Mailvoorkeur.nieuwsbrief) or else the default (Lid.digest, set when a
subscription for all networks is confirmed). The digest batch, the profile, the preferences page
and the subscription page all ask this module, so they cannot disagree. `receives_digest` is the
same rule as a database filter, for choosing the batch's members.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from netwerken.models import Netwerk

from .models import DigestToestemming, Lid, Lidmaatschap, Mailvoorkeur

NEVER = Lid.Digest.NEVER


class NewsletterStatus(StrEnum):
    ON = "aan"  # confirmed and not withdrawn: digests go out
    PENDING = "wacht"  # asked, the confirmation link not yet followed: nothing goes out
    OFF = "uit"  # never asked, or withdrawn: nothing goes out


@dataclass(frozen=True)
class DigestSetting:
    """Whether and how often one member gets the digest, per network."""

    profiel: str  # Lid.digest: for networks without a choice of their own
    keuzes: Mapping[int, str] = field(default_factory=dict)  # network id → own choice
    toestemming: DigestToestemming | None = None  # the open consent record, if any

    @property
    def status(self) -> NewsletterStatus:
        if self.toestemming is None:
            return NewsletterStatus.OFF
        if self.toestemming.bevestigd_op is None:
            return NewsletterStatus.PENDING
        return NewsletterStatus.ON

    def frequency(self, netwerk_id: int) -> str:
        """How often this network's news reaches the member: what the digest batch sends."""
        if self.status != NewsletterStatus.ON:
            return NEVER
        return self.keuzes.get(netwerk_id, self.profiel)

    def chosen(self, netwerk_id: int) -> str:
        """What the pages show: `frequency`, or while waiting for the confirmation, what
        was asked (a subscription for all networks asks one frequency for all of them)."""
        if self.status == NewsletterStatus.PENDING and self.toestemming is not None:
            asked = self.toestemming.frequentie
            if asked in (Lid.Digest.WEEKLY, Lid.Digest.MONTHLY):
                return asked
            return self.keuzes.get(netwerk_id, self.profiel)
        return self.frequency(netwerk_id)


def active_consent() -> Q:
    """Members with a confirmed, not withdrawn digest consent (as a filter on Lid)."""
    return Q(
        Exists(
            DigestToestemming.objects.filter(
                lid=OuterRef("pk"), bevestigd_op__isnull=False, ingetrokken_op__isnull=True
            )
        )
    )


def receives_digest(frequentie: str) -> Q:
    """Members who get the digest of this frequency for at least one network (a filter on
    Lid): `DigestSetting.frequency` as SQL, for choosing the members of a digest batch."""
    choice = Mailvoorkeur.objects.filter(lid=OuterRef("lid_id"), netwerk=OuterRef("netwerk_id"))
    networks = (
        Lidmaatschap.objects.filter(lid=OuterRef("pk"), status=Lidmaatschap.Status.ACTIEF)
        .annotate(keuze=Subquery(choice.values("nieuwsbrief")[:1]))
        .filter(Q(keuze=frequentie) | Q(keuze__isnull=True, lid__digest=frequentie))
    )
    return active_consent() & Q(Exists(networks))


def digest_settings(leden: Iterable[Lid]) -> dict[int, DigestSetting]:
    """The digest setting of each of these members (two queries, however many members)."""
    leden = list(leden)
    ids = [lid.pk for lid in leden]
    consents = {
        t.lid_id: t
        for t in DigestToestemming.objects.filter(lid_id__in=ids, ingetrokken_op__isnull=True)
    }
    keuzes: dict[int, dict[int, str]] = defaultdict(dict)
    for lid_id, netwerk_id, nieuwsbrief in Mailvoorkeur.objects.filter(lid_id__in=ids).values_list(
        "lid_id", "netwerk_id", "nieuwsbrief"
    ):
        keuzes[lid_id][netwerk_id] = nieuwsbrief
    return {
        lid.pk: DigestSetting(
            profiel=lid.digest, keuzes=keuzes.get(lid.pk, {}), toestemming=consents.get(lid.pk)
        )
        for lid in leden
    }


def digest_setting(lid: Lid) -> DigestSetting:
    """The member's digest setting (two queries)."""
    return digest_settings([lid])[lid.pk]


def digest_frequency_for(lid: Lid, netwerk: Netwerk) -> str:
    """How often the member gets the digest for this network: "nooit" without confirmed
    consent, else the choice made for the network, else the member's default."""
    return digest_setting(lid).frequency(netwerk.pk)


@dataclass(frozen=True)
class NetwerkKeuze:
    """What a member gets from one network, and whether that is their own choice there."""

    netwerk: Netwerk
    herinneringen: bool
    nieuwsbrief: str  # DigestSetting.chosen: what the pages show
    eigen_keuze: bool


@dataclass(frozen=True)
class MailChoices:
    """A member's mail choices for the pages: the newsletter's status and each network's."""

    digest: DigestSetting
    netwerken: list[NetwerkKeuze]

    @property
    def status(self) -> NewsletterStatus:
        return self.digest.status

    @property
    def toestemming(self) -> DigestToestemming | None:
        return self.digest.toestemming

    @property
    def ontvangen(self) -> list[NetwerkKeuze]:
        """The networks whose news the member gets (or asked for, while confirming)."""
        return [k for k in self.netwerken if k.nieuwsbrief != NEVER]


def mail_choices(lid: Lid) -> MailChoices:
    """The member's choices for each network of their active memberships (four queries)."""
    netwerken = [
        m.netwerk
        for m in Lidmaatschap.objects.filter(lid=lid, status=Lidmaatschap.Status.ACTIEF)
        .select_related("netwerk")
        .order_by("netwerk__naam")
    ]
    eigen = {v.netwerk_id: v for v in Mailvoorkeur.objects.filter(lid=lid)}
    setting = digest_setting(lid)
    return MailChoices(
        digest=setting,
        netwerken=[
            NetwerkKeuze(
                netwerk=n,
                herinneringen=eigen[n.pk].herinneringen if n.pk in eigen else lid.herinneringen,
                nieuwsbrief=setting.chosen(n.pk),
                eigen_keuze=n.pk in eigen,
            )
            for n in netwerken
        ],
    )


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


def mail_data_of(lid: Lid) -> dict[str, list[Any]]:
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
    row, so a later change of the default still reaches that network. Whether a digest goes
    out at all is the consent's business (see `digest_consent.digest_preferences_save`).
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


def digest_everywhere(*, lid_id: int, frequentie: str) -> None:
    """Make `frequentie` the member's digest frequency for all networks: the default, and no
    network choosing otherwise (rows left only for a reminder choice). Call inside a
    transaction; used when a subscription for all networks is confirmed and on unsubscribing.
    """
    Lid.objects.filter(pk=lid_id).update(digest=frequentie)
    herinneringen = Lid.objects.values_list("herinneringen", flat=True).get(pk=lid_id)
    rows = Mailvoorkeur.objects.filter(lid_id=lid_id)
    rows.filter(herinneringen=herinneringen).delete()
    rows.exclude(nieuwsbrief=frequentie).update(nieuwsbrief=frequentie, gewijzigd_op=timezone.now())
