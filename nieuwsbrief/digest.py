"""The newsletter for subscribers without an account, on the members' digest machinery.

The same period keys, horizon and batches as `bijeenkomsten.digest`, the same claim in the
outbox (kind "nieuwsbrief_digest", key the period: a rerun sends only the rest), the same
send-time rendering once per distinct content and the same one-click unsubscribe headers
(RFC 8058). What differs is what a subscriber may see: only what a visitor sees on the site
(`bijeenkomsten.permissions.visible_meetings` for an anonymous user: published open meetings)
of the networks they follow, and published programmes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from berichten.delivery import deliver
from berichten.models import Verzending
from berichten.outbox import Recipient, claim_mails
from bijeenkomsten.digest import (
    BATCH_SIZE,
    DIGEST_HORIZON,
    RECENT,
    DigestContent,
    DigestTemplate,
    digest_period,
    period_start,
)
from bijeenkomsten.models import Bijeenkomst, Halfjaarprogramma, Materiaal
from bijeenkomsten.permissions import visible_meetings
from leden.models import Lid
from netwerken.models import Netwerk

from .models import Abonnee, Abonnement
from .services import unsubscribe_token

KIND = "nieuwsbrief_digest"
FREQUENCY = Lid.Digest.WEEKLY  # subscribers get the weekly digest


def _confirmed_subscriptions() -> Q:
    return Q(Exists(Abonnement.objects.filter(abonnee=OuterRef("pk"), bevestigd_op__isnull=False)))


def subscriber_batches(
    *, now: datetime | None = None, batch_size: int = BATCH_SIZE
) -> Iterator[tuple[list[int], str]]:
    """The (subscriber ids, period) batches due now and not yet sent, for the beat task."""
    now = now or timezone.now()
    periode = digest_period(FREQUENCY, now=now)
    if periode is None:
        return
    done = Verzending.objects.filter(
        soort=KIND,
        sleutel=periode,
        ontvanger=OuterRef("email"),
        status__in=[Verzending.Status.SENT, Verzending.Status.FAILED],
    )
    ids = (
        Abonnee.objects.active()
        .filter(_confirmed_subscriptions())
        .exclude(Exists(done))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    batch: list[int] = []
    for pk in ids.iterator(chunk_size=5000):
        batch.append(pk)
        if len(batch) == batch_size:
            yield batch, periode
            batch = []
    if batch:
        yield batch, periode


def followed_networks(abonnee_ids: Sequence[int]) -> dict[int, set[int]]:
    """{subscriber id: network ids followed, an umbrella's networks included} (two queries)."""
    networks_of_koepel: dict[int, set[int]] = defaultdict(set)
    for pk, koepel_id in Netwerk.objects.values_list("pk", "koepel_id"):
        networks_of_koepel[koepel_id].add(pk)
    followed: dict[int, set[int]] = defaultdict(set)
    for abonnee_id, netwerk_id, koepel_id in Abonnement.objects.filter(
        abonnee_id__in=abonnee_ids,
        bevestigd_op__isnull=False,
        abonnee__bevestigd_op__isnull=False,
        abonnee__ingetrokken_op__isnull=True,
    ).values_list("abonnee_id", "netwerk_id", "koepel_id"):
        if netwerk_id is not None:
            followed[abonnee_id].add(netwerk_id)
        else:
            followed[abonnee_id] |= networks_of_koepel[koepel_id]
    return followed


def build_subscriber_digests(
    abonnee_ids: Sequence[int], periode: str, *, now: datetime
) -> dict[int, tuple[Abonnee, DigestContent]]:
    """Digest content per subscriber, in a fixed number of queries: the coming open meetings
    of the networks they follow within the horizon, reports and materials of recent open
    meetings added since the previous digest, and programmes published since."""
    frequentie, start, since = period_start(periode)
    until = start + DIGEST_HORIZON[frequentie]
    recent = now - RECENT
    followed = followed_networks(abonnee_ids)
    network_ids = {n for networks in followed.values() for n in networks}
    public = visible_meetings(AnonymousUser(), Bijeenkomst.objects.all())
    coming = list(
        public.filter(geannuleerd=False, begin__gte=now, begin__lt=until)
        .filter(netwerken__in=network_ids)
        .distinct()
        .order_by("begin", "pk")
        .only("pk", "titel", "slug", "begin", "locatie", "doelgroep")
    )
    reports = list(
        public.filter(einde__lt=now, einde__gte=recent, gewijzigd_op__gte=since)
        .exclude(verslag="")
        .filter(netwerken__in=network_ids)
        .distinct()
        .order_by("begin", "pk")
        .only("pk", "titel", "slug", "begin", "doelgroep")
    )
    materials = list(
        Materiaal.objects.filter(
            toegevoegd_op__gte=since,
            bijeenkomst__in=public.filter(
                einde__lt=now, einde__gte=recent, netwerken__in=network_ids
            ),
        )
        .select_related("bijeenkomst")
        .distinct()
        .order_by("pk")
    )
    programmes = list(
        Halfjaarprogramma.objects.filter(
            gepubliceerd=True, gepubliceerd_op__gte=since, netwerk_id__in=network_ids
        ).select_related("netwerk")
    )
    meeting_ids = {b.pk for b in coming} | {b.pk for b in reports}
    meeting_ids |= {m.bijeenkomst_id for m in materials}
    organisers: dict[int, set[int]] = defaultdict(set)
    for bijeenkomst_id, netwerk_id in Bijeenkomst.netwerken.through.objects.filter(
        bijeenkomst_id__in=meeting_ids
    ).values_list("bijeenkomst_id", "netwerk_id"):
        organisers[bijeenkomst_id].add(netwerk_id)
    result = {}
    for abonnee in Abonnee.objects.filter(pk__in=followed.keys()).only(
        "pk", "email", "sleutel", "taal"
    ):
        mine = followed[abonnee.pk]
        content = DigestContent(toestemming=abonnee.sleutel)
        content.eigen = [b for b in coming if organisers[b.pk] & mine]
        content.verslagen = [b for b in reports if organisers[b.pk] & mine]
        content.materialen = [m for m in materials if organisers[m.bijeenkomst_id] & mine]
        content.programmas = [p for p in programmes if p.netwerk_id in mine]
        result[abonnee.pk] = (abonnee, content)
    return result


def send_subscriber_digest_batch(
    abonnee_ids: Sequence[int], periode: str, *, now: datetime | None = None
) -> int:
    """Build and send one batch over one SMTP connection; returns the number sent. Each
    subscriber is claimed once per period: a rerun sends only what is still queued."""
    now = now or timezone.now()
    digests = {
        pk: d for pk, d in build_subscriber_digests(abonnee_ids, periode, now=now).items() if d[1]
    }
    if not digests:
        return 0
    claimed = claim_mails(
        kind=KIND,
        key=periode,
        recipients=[Recipient(to=abonnee.email) for abonnee, _content in digests.values()],
    )
    id_of = {abonnee.email: pk for pk, (abonnee, _content) in digests.items()}
    connection = get_connection()
    raw = isinstance(connection, SmtpBackend)
    unsubscribe_path = reverse("nieuwsbrief:afmelden", kwargs={"token": "TOKEN"})
    templates: dict[tuple, DigestTemplate] = {}
    messages = []
    for email, row_pk in sorted(claimed.items(), key=lambda item: item[1]):
        abonnee, content = digests[id_of[email]]
        key = (content.key, abonnee.taal)  # the same content in each subscriber's language
        template = templates.get(key)
        if template is None:
            template = templates[key] = DigestTemplate(
                content,
                periode,
                language=abonnee.taal,
                template=KIND,
                list_id="Regionet newsletter <nieuwsbrief.regionet>",
            )
        url = settings.SITE_URL + unsubscribe_path.replace(
            "TOKEN", unsubscribe_token(abonnee.sleutel)
        )
        messages.append(
            (row_pk, template.mail_to(pk=row_pk, naam="", email=email, url=url, raw=raw))
        )
    return deliver(messages, connection=connection)
