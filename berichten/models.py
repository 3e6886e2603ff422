"""The outbox (mail log).

A `Verzending` row is written before a mail is sent and is the claim on that mail: the unique
constraint below makes a second mail with the same kind, recipient and key impossible, whoever
tries to send it (two beat ticks, two workers, a retried task). What makes a mail unique is the
domain's business: it puts that in `sleutel` (a reminder "bijeenkomst-12-7d", a digest period).
`soort` is a free label chosen by the domain app that queues the mail (its template name), so
a new kind of mail needs no change here.
"""

from __future__ import annotations

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
