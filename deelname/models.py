"""Attendance that counts: a meeting's educational time, and the certificates
("deelnamebewijzen") members download for the meetings they attended."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Categorie(models.TextChoices):
    """How the professional register (Registerplein) counts an activity."""

    GEACCREDITEERD = "geaccrediteerd", _("accredited")
    OVERIG = "overig", _("other professional development")
    REFLECTIE = "reflectie", _("reflection (peer consultation, case discussion)")


class Leertijd(models.Model):
    """A meeting's educational time as its coordinators set it. Without this row, or with its
    minutes left empty, the time follows from the programme parts or the kind's default
    (`deelname.educational`)."""

    bijeenkomst = models.OneToOneField(
        "bijeenkomsten.Bijeenkomst",
        on_delete=models.CASCADE,
        related_name="leertijd",
        verbose_name=_("meeting"),
    )
    minuten = models.PositiveSmallIntegerField(
        _("net educational minutes"),
        null=True,
        blank=True,
        help_text=_(
            "Only the educational content: no reception, breaks, drinks, welcome words or "
            "introductions of speakers. Leave empty to count the programme parts' times "
            "(parts of kind “other” do not count), or the usual time for this kind of meeting."
        ),
    )
    categorie = models.CharField(
        _("category"), max_length=20, choices=Categorie, default=Categorie.OVERIG
    )
    accreditatie_id = models.CharField(
        _("accreditation id (PE-online)"),
        max_length=40,
        blank=True,
        help_text=_("Required for an accredited activity."),
    )
    bewijs = models.BooleanField(
        _("certificate offered"),
        default=True,
        help_text=_("Members who attended can download a certificate of attendance."),
    )

    class Meta:
        verbose_name = _("educational time")
        verbose_name_plural = _("educational time")
        constraints = [
            models.CheckConstraint(
                condition=Q(categorie__in=Categorie.values), name="leertijd_categorie_valid"
            ),
            models.CheckConstraint(
                condition=(Q(categorie=Categorie.GEACCREDITEERD) & ~Q(accreditatie_id=""))
                | (~Q(categorie=Categorie.GEACCREDITEERD) & Q(accreditatie_id="")),
                name="leertijd_accredited_has_id",
                violation_error_message=_(
                    "An accredited activity needs its accreditation id, and only an accredited "
                    "one has it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(minuten__isnull=True) | Q(minuten__lte=24 * 60),
                name="leertijd_minuten_within_a_day",
            ),
        ]

    def __str__(self) -> str:
        return str(self.bijeenkomst)


def new_code() -> str:
    """The verification id: 128 random bits, unguessable, URL-safe."""
    return secrets.token_urlsafe(16)


class Deelnamebewijs(models.Model):
    """A certificate of attendance: issued for an attendance record, verified at /v/<code>.
    Its facts are read from the record each time, so withdrawn attendance makes it invalid."""

    code = models.CharField(
        _("verification id"), max_length=32, unique=True, default=new_code, editable=False
    )
    aanmelding = models.OneToOneField(
        "bijeenkomsten.Aanmelding",
        on_delete=models.CASCADE,
        related_name="deelnamebewijs",
        verbose_name=_("registration"),
    )
    aangemaakt_op = models.DateTimeField(_("issued on"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate of attendance")
        verbose_name_plural = _("certificates of attendance")

    def __str__(self) -> str:
        return self.code
