"""The confidential channel (meldpunt): concerns about privacy and professional secrecy, for
the investigation committee (onderzoekscommissie) only.

A report (`Melding`) belongs to no account. Its reporter holds a receipt code; the row holds
only a keyed hash of it. Every text (the report, the reporter's additions, the committee's
replies) is stored encrypted (`crypto`), never in plain text, and nothing about the reporter's
network or browser is stored at all. Dates are days, not moments: a moment could be matched
against a proxy's or the rate limit's records of who sent something when.

Readings by the committee are logged (`Inzage`); closed reports are erased after the period
the committee sets (`Instelling`, `privacy`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    OPEN = "open", _("open")
    GESLOTEN = "gesloten", _("closed")


class MeldingQuerySet(models.QuerySet):
    def closed_before(self, moment) -> MeldingQuerySet:
        return self.filter(status=Status.GESLOTEN, gesloten_op__lte=moment)


class Melding(models.Model):
    ontvangen_op = models.DateField(_("received on"))  # the day only, on purpose
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    gesloten_op = models.DateTimeField(_("closed at"), null=True, blank=True)
    # HMAC of the receipt code (crypto.receipt_digest): finds the report, reveals no code.
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    tekst_versleuteld = models.TextField(editable=False)  # a Fernet token, see crypto
    # Whether the committee has been told "there is a new report" (tasks.notify_committee).
    gemeld = models.BooleanField(default=False, editable=False)

    objects = MeldingQuerySet.as_manager()

    class Meta:
        verbose_name = _("confidential report")
        verbose_name_plural = _("confidential reports")
        ordering = ["-pk"]
        # No add/change/delete/view permissions: a blanket grant of every permission to a
        # staff group must not reach these rows. The committee's one right is below.
        default_permissions = ()
        permissions = [("behandelen", _("Can read and answer confidential reports"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", gesloten_op__isnull=True)
                | Q(status="gesloten", gesloten_op__isnull=False),
                name="meldpunt_gesloten_heeft_datum",
            )
        ]

    def __str__(self) -> str:
        return str(_("Report %(number)s") % {"number": self.pk})


class Afzender(models.TextChoices):
    MELDER = "melder", _("reporter")
    COMMISSIE = "commissie", _("committee")


class Bericht(models.Model):
    """A message on a report: information the reporter adds, or the committee's reply."""

    melding = models.ForeignKey(Melding, on_delete=models.CASCADE, related_name="berichten")
    afzender = models.CharField(max_length=10, choices=Afzender)
    datum = models.DateField()  # the day only, as on the report
    tekst_versleuteld = models.TextField(editable=False)
    # Which committee member replied (accountability within the committee); the reporter
    # sees "the committee". Empty for the reporter's own messages.
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        default_permissions = ()
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(afzender="commissie") | Q(auteur__isnull=True),
                name="meldpunt_melder_zonder_auteur",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_afzender_display()} {self.datum}"  # never the text


class Inzage(models.Model):
    """One reading of a report by a committee member: who, when, which report. Kept after the
    report is erased (by its number)."""

    melding = models.ForeignKey(
        Melding,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("report"),
    )
    nummer = models.PositiveBigIntegerField(_("report number"))
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("committee member"),
    )
    gelezen_op = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        default_permissions = ()
        ordering = ["-pk"]
        indexes = [models.Index(fields=["nummer"])]

    def __str__(self) -> str:
        return f"{self.nummer} {self.gelezen_op:%Y-%m-%d %H:%M}"


class Instelling(models.Model):
    """The committee's settings: one row."""

    bewaartermijn_dagen = models.PositiveIntegerField(_("days a closed report is kept"), default=90)

    class Meta:
        default_permissions = ()
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="meldpunt_een_instelling")]

    def __str__(self) -> str:
        return str(self.bewaartermijn_dagen)

    @classmethod
    def current(cls) -> Instelling:
        return cls.objects.get_or_create(pk=1)[0]
