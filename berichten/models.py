"""The outbox (mail log) and the digest consent.

A `Verzending` row is written before a mail is sent and is the claim on that mail: the unique
constraint below makes a second mail with the same kind, recipient and key impossible, whoever
tries to send it (two beat ticks, two workers, a retried task). What makes a mail unique is the
domain's business: it puts that in `sleutel` (a reminder "bijeenkomst-12-7d", a digest period).
`soort` is a free label chosen by the domain app that queues the mail (its template name), so
a new kind of mail needs no change here.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Verzending(models.Model):
    """One mail to one recipient: queued, then sent or failed."""

    class Status(models.TextChoices):
        QUEUED = "wachtrij", _("queued")
        SENT = "verzonden", _("sent")
        FAILED = "mislukt", _("failed")

    ontvanger = models.EmailField(_("recipient"))
    soort = models.CharField(_("kind"), max_length=40)
    # Kept for the privacy download and erasure (the mail log to a member) and the admin log.
    bijeenkomst = models.ForeignKey(
        "bijeenkomsten.Bijeenkomst",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="verzendingen",
        verbose_name=_("meeting"),
    )
    lid = models.ForeignKey(
        "leden.Lid",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="verzendingen",
        verbose_name=_("member"),
    )
    sleutel = models.CharField(
        _("key"),
        max_length=60,
        blank=True,
        help_text=_(
            "What makes this mail unique: the reminder offset, the digest period, or the "
            "registration or meeting version."
        ),
    )
    gegevens = models.JSONField(_("data"), default=dict, blank=True)
    # The mail as rendered when it was queued, sent as it is. The text and HTML are cleared
    # once the mail is sent: they may hold a secret link (address confirmation, password
    # reset, a guest's cancel link). A row without a subject is a claim only: its domain
    # renders and sends it itself (the digest, the departure mail), never the outbox worker.
    onderwerp = models.CharField(_("subject"), max_length=255, blank=True)
    tekst = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    # [[filename, base64 content, mimetype], ...]
    bijlagen = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.QUEUED, db_index=True
    )
    pogingen = models.PositiveSmallIntegerField(_("attempts"), default=0)
    fout = models.TextField(_("error"), blank=True)
    aangemaakt_op = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    verzonden_op = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("mail")
        verbose_name_plural = _("mail log")
        ordering = ["-aangemaakt_op", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["soort", "ontvanger", "sleutel"],
                condition=~Q(sleutel=""),
                name="verzending_once_per_key",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["wachtrij", "verzonden", "mislukt"]),
                name="verzending_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["soort", "sleutel"])]

    def __str__(self) -> str:
        return f"{self.soort} → {self.ontvanger}"


class DigestToestemming(models.Model):
    """Consent for the newsletter digest: what was asked, when and how, and its confirmation.

    A digest goes out only while a record is confirmed (double opt-in) and not withdrawn.
    """

    lid = models.ForeignKey(
        "leden.Lid",
        on_delete=models.CASCADE,
        related_name="digest_toestemmingen",
        verbose_name=_("member"),
    )
    sleutel = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    frequentie = models.CharField(_("frequency"), max_length=12)
    tekst = models.TextField(_("consent text shown"))
    gevraagd_op = models.DateTimeField(_("requested on"), default=timezone.now)
    gevraagd_via = models.CharField(_("requested via"), max_length=100)
    bevestigd_op = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    ingetrokken_op = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    ingetrokken_via = models.CharField(_("withdrawn via"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("digest consent")
        verbose_name_plural = _("digest consents")
        ordering = ["-gevraagd_op", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lid"],
                condition=Q(ingetrokken_op__isnull=True),
                name="digesttoestemming_one_open_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lid} ({self.frequentie})"

    @property
    def actief(self) -> bool:
        return self.bevestigd_op is not None and self.ingetrokken_op is None


class Mailvoorkeur(models.Model):
    """A member's mail choice for one network: reminders on or off, and how often the digest.

    Without a row for a network the member's profile choice (Lid.herinneringen, Lid.digest)
    holds there. A digest still needs confirmed consent (DigestToestemming), whatever is chosen.
    """

    class Nieuwsbrief(models.TextChoices):
        # The same values as Lid.Digest, so a choice compares with the profile's directly.
        WEEKLY = "wekelijks", _("weekly")
        MONTHLY = "maandelijks", _("monthly")
        NEVER = "nooit", _("never")

    lid = models.ForeignKey(
        "leden.Lid",
        on_delete=models.CASCADE,
        related_name="mailvoorkeuren",
        verbose_name=_("member"),
    )
    netwerk = models.ForeignKey(
        "netwerken.Netwerk",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("network"),
    )
    herinneringen = models.BooleanField(_("meeting reminders"))
    nieuwsbrief = models.CharField(_("newsletter digest"), max_length=12, choices=Nieuwsbrief)
    gewijzigd_op = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("mail preference")
        verbose_name_plural = _("mail preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["lid", "netwerk"], name="mailvoorkeur_once_per_network"
            ),
            models.CheckConstraint(
                condition=Q(nieuwsbrief__in=["wekelijks", "maandelijks", "nooit"]),
                name="mailvoorkeur_nieuwsbrief_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lid} – {self.netwerk}"
