"""Messages from visitors to a network's coordinators or an umbrella's staff, sent through a
form: no coordinator's address is ever shown. Kept for a period (see privacy.py)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Contactbericht(models.Model):
    class Ontvangers(models.TextChoices):
        COORDINATORS = "coordinatoren", _("the network's coordinators")
        STAFF = "staf", _("the umbrella's staff")

    netwerk = models.ForeignKey(
        "netwerken.Netwerk",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("network"),
    )
    koepel = models.ForeignKey(
        "netwerken.Koepel",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("umbrella"),
    )
    naam = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    bericht = models.TextField(_("message"), max_length=5000)
    wil_meedoen = models.BooleanField(_("would like to join"), default=False)
    ontvangers = models.CharField(_("delivered to"), max_length=20, choices=Ontvangers)
    aantal_ontvangers = models.PositiveSmallIntegerField(_("number of recipients"), default=0)
    verstuurd_op = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-verstuurd_op"]
        constraints = [
            models.CheckConstraint(
                condition=Q(netwerk__isnull=True, koepel__isnull=False)
                | Q(netwerk__isnull=False, koepel__isnull=True),
                name="contactbericht_netwerk_xor_koepel",
            ),
            models.CheckConstraint(
                condition=Q(ontvangers__in=["coordinatoren", "staf"]),
                name="contactbericht_ontvangers_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.naam} → {self.netwerk_id or self.koepel_id}"
