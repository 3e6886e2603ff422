from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.fields import LinkField
from portal.uploads import CheckedFileField


class Koepel(models.Model):
    """The umbrella body: BPSW in the Netherlands, Sterk Sociaal Werk in Flanders."""

    class Land(models.TextChoices):
        NL = "NL", _("the Netherlands")
        BE = "BE", _("Belgium (Flanders)")

    naam = models.CharField(_("name"), max_length=100, unique=True)
    afkorting = models.CharField(_("abbreviation"), max_length=20, blank=True)
    slug = models.SlugField(_("slug"), unique=True)
    land = models.CharField(_("country"), max_length=2, choices=Land)
    website = LinkField(_("website"), blank=True)
    # Who is responsible for the personal data of this umbrella's networks (AVG art. 13): the
    # privacy statement names them.
    privacy_organisatie = models.CharField(
        _("responsible organisation"),
        max_length=200,
        blank=True,
        help_text=_("The organisation responsible for the personal data (the controller)."),
    )
    privacy_adres = models.TextField(_("its postal address"), blank=True)
    privacy_contact = models.EmailField(
        _("privacy contact"),
        blank=True,
        help_text=_("Where members send questions and requests about their data (the DPO)."),
    )

    class Meta:
        verbose_name = _("umbrella")
        verbose_name_plural = _("umbrellas")
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(condition=Q(land__in=["NL", "BE"]), name="koepel_land_valid"),
        ]

    def __str__(self) -> str:
        return self.naam


class Partnerorganisatie(models.Model):
    """A university of applied sciences, a "werkplaats" or another partner."""

    class Soort(models.TextChoices):
        HOGESCHOOL = "hogeschool", _("university of applied sciences")
        WERKPLAATS = "werkplaats", _("werkplaats (practice-research partnership)")
        ORGANISATIE = "organisatie", _("organisation")

    naam = models.CharField(_("name"), max_length=200, unique=True)
    soort = models.CharField(_("kind"), max_length=20, choices=Soort, default=Soort.ORGANISATIE)
    website = LinkField(_("website"), blank=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["naam"]

    def __str__(self) -> str:
        return self.naam


class Netwerk(models.Model):
    """A regional network (BPSW "regionetwerk") or platform (Sterk Sociaal Werk)."""

    class Weekdag(models.IntegerChoices):
        MAANDAG = 0, _("Monday")
        DINSDAG = 1, _("Tuesday")
        WOENSDAG = 2, _("Wednesday")
        DONDERDAG = 3, _("Thursday")
        VRIJDAG = 4, _("Friday")

    naam = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    koepel = models.ForeignKey(
        Koepel, on_delete=models.PROTECT, related_name="netwerken", verbose_name=_("umbrella")
    )
    regio = models.CharField(_("region or province"), max_length=100)
    beschrijving = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    opgericht_in = models.PositiveSmallIntegerField(_("founded in"), null=True, blank=True)
    kern_min = models.PositiveSmallIntegerField(
        _("core size, at least"),
        default=10,
        help_text=_("The core (1st tier) the network aims for."),
    )
    kern_max = models.PositiveSmallIntegerField(_("core size, at most"), default=14)
    partners = models.ManyToManyField(
        Partnerorganisatie, blank=True, related_name="netwerken", verbose_name=_("partners")
    )
    # Public (MEDIA_ROOT), so re-encoded as a PNG under a name the portal chose.
    logo = CheckedFileField(_("logo"), kind="logo", upload_to="netwerken/logo/", blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="gecoordineerde_netwerken",
        verbose_name=_("coordinators"),
    )
    vaste_weekdag = models.PositiveSmallIntegerField(
        _("usual weekday"), choices=Weekdag, null=True, blank=True
    )
    vaste_aanvang = models.TimeField(_("usual start time"), null=True, blank=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kern_min__lte=models.F("kern_max")),
                name="netwerk_kern_min_lte_max",
                violation_error_message=_("The minimum core size is larger than the maximum."),
            ),
            models.CheckConstraint(
                condition=Q(opgericht_in__isnull=True)
                | Q(opgericht_in__gte=1900, opgericht_in__lte=2100),
                name="netwerk_opgericht_in_plausible",
            ),
            models.CheckConstraint(
                condition=Q(vaste_weekdag__isnull=True) | Q(vaste_weekdag__lte=6),
                name="netwerk_weekdag_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.naam

    def get_absolute_url(self) -> str:
        return reverse("netwerken:detail", kwargs={"slug": self.slug})


class Subregio(models.Model):
    netwerk = models.ForeignKey(
        Netwerk, on_delete=models.CASCADE, related_name="subregios", verbose_name=_("network")
    )
    naam = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("sub-region")
        verbose_name_plural = _("sub-regions")
        ordering = ["netwerk", "naam"]
        constraints = [
            models.UniqueConstraint(fields=["netwerk", "naam"], name="subregio_unique_per_network")
        ]

    def __str__(self) -> str:
        return self.naam
