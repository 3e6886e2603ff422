"""The newsletter digest: what each member gets, and sending it in batches.

On digest morning the beat task (`tasks.send_digests`) splits the members due into batches
(`digest_batches`); each batch task builds the content for its members in a fixed number of
queries and sends it over one SMTP connection (`send_digest_batch`). A digest is rendered when
sent, not stored: the outbox holds only the claim (kind "digest", key the period, e.g.
"2026-W05"), so a rerun after a crash sends exactly the rest.
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.translation import gettext

from berichten.delivery import deliver, message_id
from berichten.models import Verzending
from berichten.outbox import Recipient, claim_mails
from leden.digest_consent import unsubscribe_token
from leden.mail_preferences import NewsletterStatus, digest_settings, receives_digest
from leden.models import Lid, Lidmaatschap
from netwerken.models import Netwerk
from portal.formats import format_of
from portal.mail import render_mail

from .models import Bijeenkomst, Halfjaarprogramma, Materiaal
from .reminders import PUBLISHED

TZ = ZoneInfo("Europe/Amsterdam")
DIGEST = "digest"
BATCH_SIZE = 500
# The digest morning (BERICHTEN_DIGEST_WEEKDAY, BERICHTEN_DIGEST_HOUR) is a setting.
# How far ahead the coming meetings reach, from the start of the period: far enough to plan.
DIGEST_HORIZON = {"wekelijks": timedelta(weeks=6), "maandelijks": timedelta(days=61)}
# A report or material is news only for a meeting this recent: editing an old one is not news.
RECENT = timedelta(days=92)


def digest_period(frequentie: str, *, now: datetime) -> str | None:
    """The period key of the digest due at `now`, or None if it is not digest time.

    Weekly: on the digest weekday from the digest hour, key "2026-W05". Monthly: on the first
    such weekday of the month, key "2026-02".
    """
    local = timezone.localtime(now, TZ)
    weekday, hour = settings.BERICHTEN_DIGEST_WEEKDAY, settings.BERICHTEN_DIGEST_HOUR
    if local.weekday() != weekday or local.hour < hour:
        return None
    if frequentie == Lid.Digest.WEEKLY:
        iso = local.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if frequentie == Lid.Digest.MONTHLY and local.day <= 7:
        return f"{local.year}-{local.month:02d}"
    return None


def _period_start(periode: str) -> tuple[str, datetime, datetime]:
    """(frequency, start of this period, start of the previous one) for a period key."""
    if "-W" in periode:
        year, week = periode.split("-W")
        monday = date.fromisocalendar(int(year), int(week), 1)
        start = datetime.combine(monday, time(0), TZ)
        return Lid.Digest.WEEKLY, start, start - timedelta(days=7)
    y, m = (int(part) for part in periode.split("-"))
    start = datetime.combine(date(y, m, 1), time(0), TZ)
    previous = date(y - 1, 12, 1) if m == 1 else date(y, m - 1, 1)
    return Lid.Digest.MONTHLY, start, datetime.combine(previous, time(0), TZ)


def period_in_words(periode: str) -> str:
    """The period as the subject names it, in the active language: "week 12 (22–28 maart
    2027)" or "maart 2027"."""
    if "-W" in periode:
        year, week = (int(part) for part in periode.split("-W"))
        first = date.fromisocalendar(year, week, 1)
        last = first + timedelta(days=6)
        if first.month == last.month:  # "22–28 maart 2027", "March 22–28, 2027"
            dates = (
                f"{date_format(first, format_of('SAME_MONTH_RANGE_START_FORMAT'))}"
                f"–{date_format(last, format_of('SAME_MONTH_RANGE_END_FORMAT'))}"
            )
        elif first.year == last.year:
            dates = f"{date_format(first, 'MONTH_DAY_FORMAT')} – {date_format(last, 'DATE_FORMAT')}"
        else:
            dates = f"{date_format(first, 'DATE_FORMAT')} – {date_format(last, 'DATE_FORMAT')}"
        return gettext("week %(week)d (%(dates)s)") % {"week": week, "dates": dates}
    year, month = (int(part) for part in periode.split("-"))
    return date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")


def digest_batches(
    *, now: datetime | None = None, batch_size: int = BATCH_SIZE
) -> Iterator[tuple[list[int], str]]:
    """The (member ids, period) batches due now and not yet sent, for the beat task to queue.

    Run it as often as you like on digest morning: members already mailed this period are
    skipped, and a rerun after a crash picks up exactly the rest.
    """
    now = now or timezone.now()
    for frequentie in (Lid.Digest.WEEKLY, Lid.Digest.MONTHLY):
        periode = digest_period(frequentie, now=now)
        if periode is None:
            continue
        done = Verzending.objects.filter(
            soort=DIGEST,
            sleutel=periode,
            lid=OuterRef("pk"),
            status__in=[Verzending.Status.SENT, Verzending.Status.FAILED],
        )
        ids = (
            Lid.objects.filter(receives_digest(frequentie))
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


# --- Sections from the apps above (action plans, ...) ------------------------------------------


@dataclass(frozen=True)
class DigestItem:
    """One line of an extra section: a text, the site path it links to, a note under it."""

    titel: str
    url: str
    toelichting: str = ""


@dataclass(frozen=True)
class DigestSection:
    titel: str | Promise  # lazy: rendered in the mail's language
    items: tuple[DigestItem, ...]


# (member ids, since, until) -> {member id: their items}: the news written in [since, until),
# so an item is in exactly one digest. One builder call per batch, in a fixed number of queries.
SectionBuilder = Callable[[Collection[int], datetime, datetime], Mapping[int, Sequence[DigestItem]]]
_sections: dict[str, tuple[str | Promise, SectionBuilder]] = {}


def register_section(name: str, *, titel: str | Promise, build: SectionBuilder) -> None:
    """Add a section to every digest, after the meetings. The app above that owns the news
    calls this at start-up (its AppConfig.ready); registering a name again replaces it."""
    _sections[name] = (titel, build)


@dataclass
class DigestContent:
    eigen: list[Bijeenkomst] = field(default_factory=list)
    in_de_buurt: list[Bijeenkomst] = field(default_factory=list)
    programmas: list[Halfjaarprogramma] = field(default_factory=list)
    materialen: list[Materiaal] = field(default_factory=list)
    verslagen: list[Bijeenkomst] = field(default_factory=list)
    extra: list[DigestSection] = field(default_factory=list)  # registered sections
    # The member's consent, whose token is their unsubscribe link: not part of the content.
    toestemming: UUID | None = None

    def __bool__(self) -> bool:
        return bool(
            self.eigen
            or self.in_de_buurt
            or self.programmas
            or self.materialen
            or self.verslagen
            or self.extra
        )

    @property
    def key(self) -> tuple:
        """Equal for equal content: members with the same key get the same digest."""
        parts = (self.eigen, self.in_de_buurt, self.programmas, self.materialen, self.verslagen)
        return (
            *(tuple(item.pk for item in items) for items in parts),
            tuple((str(s.titel), s.items) for s in self.extra),
        )


def build_digests(
    lid_ids: Sequence[int], periode: str, *, now: datetime
) -> dict[int, tuple[Lid, DigestContent]]:
    """Digest content for a batch of members, in a fixed number of queries (eleven, plus each
    registered section's own).

    For each member, of the networks this frequency is chosen for (`digest_settings`, the one
    place that decides): coming meetings within the horizon (core-only ones only for core
    members), open meetings of other networks under the same umbrella, reports or materials
    added since the previous digest to meetings held recently, and programmes published.
    """
    frequentie, start, since = _period_start(periode)
    until = start + DIGEST_HORIZON[frequentie]
    recent = now - RECENT
    found = (
        Lid.objects.filter(pk__in=lid_ids)
        .select_related("user")
        .only("pk", "naam", "digest", "user__email")
    )
    settings_of = digest_settings(found)
    leden = {lid.pk: lid for lid in found if settings_of[lid.pk].status == NewsletterStatus.ON}
    memberships: dict[int, dict[int, str]] = defaultdict(dict)
    elsewhere: dict[int, set[int]] = defaultdict(set)  # own networks left out of this digest
    for lid_id, netwerk_id, schil in Lidmaatschap.objects.filter(
        lid_id__in=leden, status=Lidmaatschap.Status.ACTIEF
    ).values_list("lid_id", "netwerk_id", "schil"):
        if settings_of[lid_id].frequency(netwerk_id) == frequentie:
            memberships[lid_id][netwerk_id] = schil
        else:
            elsewhere[lid_id].add(netwerk_id)
    koepel_of = dict(Netwerk.objects.values_list("pk", "koepel_id"))
    network_ids = {n for networks in memberships.values() for n in networks}
    koepel_ids = {koepel_of[n] for n in network_ids}

    coming = list(
        Bijeenkomst.objects.filter(PUBLISHED, geannuleerd=False, begin__gte=now, begin__lt=until)
        .filter(netwerken__koepel_id__in=koepel_ids)
        .distinct()
        .order_by("begin", "pk")
        .only("pk", "titel", "slug", "begin", "locatie", "doelgroep", "online_link")
    )
    published = list(
        Halfjaarprogramma.objects.filter(
            gepubliceerd=True, gepubliceerd_op__gte=since, netwerk_id__in=network_ids
        ).select_related("netwerk")
    )
    reports = list(
        Bijeenkomst.objects.filter(
            PUBLISHED, einde__lt=now, einde__gte=recent, gewijzigd_op__gte=since
        )
        .exclude(verslag="")
        .filter(netwerken__in=network_ids)
        .distinct()
        .only("pk", "titel", "slug", "begin", "doelgroep")
    )
    materials = list(
        Materiaal.objects.filter(
            toegevoegd_op__gte=since,
            bijeenkomst__einde__lt=now,
            bijeenkomst__einde__gte=recent,
            bijeenkomst__netwerken__in=network_ids,
        )
        .filter(
            Q(bijeenkomst__programma__isnull=True) | Q(bijeenkomst__programma__gepubliceerd=True)
        )
        .select_related("bijeenkomst")
        .distinct()
    )
    meeting_ids = {b.pk for b in coming} | {b.pk for b in reports}
    meeting_ids |= {m.bijeenkomst_id for m in materials}
    organisers: dict[int, set[int]] = defaultdict(set)
    for bijeenkomst_id, netwerk_id in Bijeenkomst.netwerken.through.objects.filter(
        bijeenkomst_id__in=meeting_ids
    ).values_list("bijeenkomst_id", "netwerk_id"):
        organisers[bijeenkomst_id].add(netwerk_id)

    def may_see(bijeenkomst: Bijeenkomst, mine: dict[int, str]) -> bool:
        own = organisers[bijeenkomst.pk] & mine.keys()
        if bijeenkomst.doelgroep == Bijeenkomst.Doelgroep.KERN:
            return any(mine[n] == Lidmaatschap.Schil.KERN for n in own)
        return bool(own) or bijeenkomst.doelgroep == Bijeenkomst.Doelgroep.OPEN

    extra = [(titel, build(list(leden), since, start)) for titel, build in _sections.values()]

    result = {}
    for lid_id, lid in leden.items():
        mine = memberships.get(lid_id, {})
        my_koepels = {koepel_of[n] for n in mine}
        consent = settings_of[lid_id].toestemming
        assert consent is not None  # only members whose newsletter is on are here
        content = DigestContent(toestemming=consent.sleutel)
        for b in coming:
            if organisers[b.pk] & mine.keys():
                if may_see(b, mine):
                    content.eigen.append(b)
            elif (
                b.doelgroep == Bijeenkomst.Doelgroep.OPEN
                and {koepel_of[n] for n in organisers[b.pk]} & my_koepels
                and not organisers[b.pk] & elsewhere[lid_id]  # not "nearby" when it is their own
            ):
                content.in_de_buurt.append(b)
        content.programmas = [p for p in published if p.netwerk_id in mine]
        content.verslagen = [
            b for b in reports if organisers[b.pk] & mine.keys() and may_see(b, mine)
        ]
        content.materialen = [
            m
            for m in materials
            if organisers[m.bijeenkomst_id] & mine.keys() and may_see(m.bijeenkomst, mine)
        ]
        content.extra = [
            DigestSection(titel, tuple(found[lid_id]))
            for titel, found in extra
            if found.get(lid_id)
        ]
        result[lid_id] = (lid, content)
    return result


def send_digest_batch(lid_ids: Sequence[int], periode: str, *, now: datetime | None = None) -> int:
    """Build and send one batch of digests over one SMTP connection; returns the number sent.

    The queries are the same for 5 members or 500: the content with each member's consent
    (see build_digests), one bulk insert of the claims and one read of those still queued.
    """
    now = now or timezone.now()
    digests = {pk: d for pk, d in build_digests(lid_ids, periode, now=now).items() if d[1]}
    if not digests:
        return 0
    claimed = claim_mails(
        kind=DIGEST,
        key=periode,
        recipients=[
            Recipient(to=lid.user.email, lid_id=lid.pk) for lid, _content in digests.values()
        ],
    )
    lid_of = {lid.user.email: lid_id for lid_id, (lid, _content) in digests.items()}
    queued = [(lid_of[email], pk) for email, pk in claimed.items()]
    connection = get_connection()
    raw = isinstance(connection, SmtpBackend)  # other backends (tests, files) get mail objects
    unsubscribe_path = reverse("berichten:afmelden", kwargs={"token": "TOKEN"})
    templates: dict[tuple, _DigestTemplate] = {}
    messages = []
    for lid_id, pk in sorted(queued, key=lambda item: item[1]):
        lid, content = digests[lid_id]
        assert content.toestemming is not None  # build_digests sets it for everyone
        key = (content.key, lid.taal)  # the same content in each member's language
        template = templates.get(key)
        if template is None:
            template = templates[key] = _DigestTemplate(content, periode, language=lid.taal)
        url = settings.SITE_URL + unsubscribe_path.replace(
            "TOKEN", unsubscribe_token(content.toestemming)
        )
        messages.append((pk, template.mail_for(pk=pk, lid=lid, url=url, raw=raw)))
    return deliver(messages, connection=connection)


# Members of the same networks get the same digest but for their name, address, unsubscribe
# link and Message-ID. So a batch renders and MIME-encodes the digest once per distinct content,
# with these markers in those places, and fills them in per member: rendering and encoding took
# most of a worker's time. The markers are random, so no meeting title can contain one.
_MARK = secrets.token_hex(8)
_NAME, _NAME_HTML = f"naam{_MARK}t", f"naam{_MARK}h"
_URL, _URL_HTML = f"afmelden{_MARK}t", f"afmelden{_MARK}h"
_ADDRESS, _ID = f"adres{_MARK}@regionet.invalid", f"id{_MARK}"
_MARKERS = re.compile("|".join([_NAME, _NAME_HTML, _URL, _URL_HTML, _ADDRESS, _ID]))
_RAW_MARKERS = re.compile(_MARKERS.pattern.encode())


class _DigestTemplate:
    """The digest for one content, rendered once with markers for what differs per member."""

    def __init__(
        self,
        content: DigestContent,
        periode: str,
        *,
        language: str = "",
        template: str = DIGEST,
        list_id: str = "Regionet digest <digest.regionet>",
    ) -> None:
        with translation.override(language or settings.LANGUAGE_CODE):
            self._render(content, periode, template=template, list_id=list_id)

    def _render(self, content: DigestContent, periode: str, *, template: str, list_id: str) -> None:
        headers = {
            "List-Unsubscribe": f"<{_URL}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": list_id,
            "Precedence": "bulk",
            "Message-ID": message_id(_ID),
        }
        context = {
            "lid": {"naam": _NAME},
            "digest": content,
            "periode": periode,
            "periode_tekst": period_in_words(periode),
        }
        self.mail = render_mail(template, {**context, "afmelden_url": _URL}, to=_ADDRESS)
        self.mail.extra_headers.update(headers)
        alternatives, self.mail.alternatives = self.mail.alternatives, []
        for html, mimetype in alternatives:
            html = str(html).replace(_NAME, _NAME_HTML).replace(_URL, _URL_HTML)
            self.mail.attach_alternative(html, mimetype)
        # The stubs lack as_bytes()'s policy keyword, which Django's SafeMIME classes take.
        encoded = self.mail.message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]
        # Markers survive only in plain 7bit/8bit parts; 7bit parts cannot take a non-ASCII name.
        self.raw_parts = None
        if not re.search(rb"Content-Transfer-Encoding: (quoted-printable|base64)", encoded):
            self.raw_parts = _RAW_MARKERS.split(encoded)
            self.markers = _RAW_MARKERS.findall(encoded)
        self.seven_bit = b"Content-Transfer-Encoding: 7bit" in encoded
        self.from_email = sanitize_address(self.mail.from_email, settings.DEFAULT_CHARSET)

    def mail_for(self, *, pk: int, lid: Lid, url: str, raw: bool) -> EmailMessage | _RawMail:
        """This member's digest: raw bytes to send as they are where possible, else a mail."""
        return self.mail_to(pk=pk, naam=lid.naam, email=lid.user.email, url=url, raw=raw)

    def mail_to(
        self, *, pk: int, naam: str, email: str, url: str, raw: bool
    ) -> EmailMessage | _RawMail:
        """The digest for this name and address (the newsletter without an account uses it)."""
        values = {
            _NAME: naam,
            _NAME_HTML: escape(naam),
            _URL: url,
            _URL_HTML: escape(url),
            _ADDRESS: email,
            _ID: str(pk),
        }
        fits = email.isascii() and (naam.isascii() or not self.seven_bit)
        if raw and self.raw_parts is not None and fits:
            filled = [values[m.decode()].encode() for m in self.markers] + [b""]
            body = b"".join(
                part + value for part, value in zip(self.raw_parts, filled, strict=True)
            )
            return _RawMail(from_email=self.from_email, to=email, raw=body)

        def fill(text: str) -> str:
            return _MARKERS.sub(lambda m: values[m[0]], text)

        message = EmailMultiAlternatives(
            subject=str(self.mail.subject),
            body=fill(str(self.mail.body)),
            from_email=self.mail.from_email,
            to=[email],
            headers={name: fill(value) for name, value in self.mail.extra_headers.items()},
        )
        for content, mimetype in self.mail.alternatives:
            message.attach_alternative(fill(str(content)), mimetype)
        return message


@dataclass
class _RawMail:
    """A mail already encoded; `deliver` sends it like an EmailMessage, over an SMTP backend."""

    from_email: str
    to: str
    raw: bytes
    connection: SmtpBackend | None = None
    extra_headers: dict[str, str] = field(default_factory=dict)  # its Message-ID is in raw

    def send(self, fail_silently: bool = False) -> int:
        # `deliver` opened the backend's connection before handing it over.
        assert self.connection is not None and self.connection.connection is not None
        self.connection.connection.sendmail(self.from_email, [self.to], self.raw)
        return 1


# For other digests built on this machinery (nieuwsbrief: the newsletter without an account).
DigestTemplate = _DigestTemplate
period_start = _period_start
