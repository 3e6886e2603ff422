"""Following networks' newsletters with an e-mail address alone: no account.

An `Abonnee` is one address with its consent (the text as shown, when asked, when confirmed,
when withdrawn); its `Abonnement` rows say which networks it follows, or a whole umbrella
(every network under it, also those added later). A row counts once confirmed: a request made
while subscribed adds rows that wait for the next confirmation.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AbonneeQuerySet(models.QuerySet):
    def active(self) -> AbonneeQuerySet:
        """Confirmed and not withdrawn: the digest goes out to these."""
        return self.filter(bevestigd_op__isnull=False, ingetrokken_op__isnull=True)


class Abonnee(models.Model):
    """One e-mail address that follows newsletters without an account."""

    email = models.EmailField(_("e-mail address"), unique=True)  # stored in lower case
    # Random, in the (signed) confirmation and unsubscribe links: no address in a link.
    sleutel = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    tekst = models.TextField(_("consent text as shown"))
    gevraagd_op = models.DateTimeField(_("asked"), default=timezone.now)
    gevraagd_via = models.CharField(_("asked via"), max_length=100, blank=True)
    bevestigd_op = models.DateTimeField(_("confirmed"), null=True, blank=True)
    ingetrokken_op = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    ingetrokken_via = models.CharField(_("unsubscribed via"), max_length=100, blank=True)
    # The mails (confirmation, newsletter) are in the language of the page they signed up on.
    taal = models.CharField(
        _("language of the mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="nl",
    )
    # Set once the subscriber has an account with this address, verified.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nieuwsbrief_abonnementen",
        verbose_name=_("account"),
    )

    objects = AbonneeQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-gevraagd_op"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email=models.functions.Lower("email")),
                name="abonnee_email_lowercase",
            ),
        ]

    def __str__(self) -> str:
        return self.email


class Abonnement(models.Model):
    """An address follows one network, or every network of one umbrella."""

    abonnee = models.ForeignKey(
        Abonnee, on_delete=models.CASCADE, related_name="abonnementen", verbose_name=_("subscriber")
    )
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
    aangemaakt_op = models.DateTimeField(_("asked"), default=timezone.now)
    bevestigd_op = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(netwerk__isnull=True, koepel__isnull=False)
                | Q(netwerk__isnull=False, koepel__isnull=True),
                name="abonnement_netwerk_xor_koepel",
            ),
            models.UniqueConstraint(
                fields=["abonnee", "netwerk"],
                condition=Q(netwerk__isnull=False),
                name="abonnement_once_per_network",
            ),
            models.UniqueConstraint(
                fields=["abonnee", "koepel"],
                condition=Q(koepel__isnull=False),
                name="abonnement_once_per_umbrella",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.abonnee_id} → {self.netwerk_id or self.koepel_id}"
