"""Surveys ("bevragingen") of a network or an umbrella, and their anonymous responses.

A response (`Respons`) holds no account, name, IP address or user agent: only a hash of the
random token in the respondent's cookie (to resume on the same device) and the day it began.
Who has responded, where the coordinator asks for one response per person, is kept apart:
`Deelname` (a member's account, members-only surveys) and `Emailbevestiging` (a confirmed
address, open surveys) have no link to the answers.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerken.models import Koepel, Netwerk


def new_key() -> str:
    return secrets.token_urlsafe(12)


class BevragingQuerySet(models.QuerySet):
    def open_now(self) -> BevragingQuerySet:
        now = timezone.now()
        return self.filter(opent_op__lte=now, sluit_op__gt=now)


class Bevraging(models.Model):
    """A survey of one network or of an umbrella (for all its networks)."""

    class Doelgroep(models.TextChoices):
        OPEN = "open", _("anyone with the link")
        LEDEN = "leden", _("the network's members")

    netwerk = models.ForeignKey(
        Netwerk,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bevragingen",
        verbose_name=_("network"),
    )
    koepel = models.ForeignKey(
        Koepel,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bevragingen",
        verbose_name=_("umbrella"),
    )
    titel = models.CharField(_("title"), max_length=200)
    sleutel = models.CharField(_("link key"), max_length=32, unique=True, default=new_key)
    welkomtekst = models.TextField(_("welcome text"), blank=True)
    danktekst = models.TextField(_("thank-you text"), blank=True)
    opent_op = models.DateTimeField(_("opens at"))
    sluit_op = models.DateTimeField(_("closes at"))
    doelgroep = models.CharField(
        _("audience"), max_length=10, choices=Doelgroep, default=Doelgroep.OPEN
    )
    een_per_persoon = models.BooleanField(
        _("one response per person"),
        default=False,
        help_text=_(
            "Members-only: one response per account. Open: respondents confirm an e-mail "
            "address first, kept apart from their answers."
        ),
    )
    resultaten_toelichting = models.TextField(_("about the results"), blank=True)

    objects = BevragingQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opent_op", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(netwerk__isnull=True, koepel__isnull=False)
                | Q(netwerk__isnull=False, koepel__isnull=True),
                name="bevraging_netwerk_of_koepel",
            ),
            models.CheckConstraint(
                condition=Q(opent_op__lt=models.F("sluit_op")), name="bevraging_opent_voor_sluit"
            ),
            models.CheckConstraint(
                condition=~Q(doelgroep="leden", netwerk__isnull=True),
                name="bevraging_leden_van_netwerk",
            ),
        ]

    def __str__(self) -> str:
        return self.titel

    def get_absolute_url(self) -> str:
        return reverse("bevragingen:invullen", kwargs={"sleutel": self.sleutel})

    @property
    def is_open(self) -> bool:
        return self.opent_op <= timezone.now() < self.sluit_op

    @property
    def asks_email(self) -> bool:
        return self.een_per_persoon and self.doelgroep == self.Doelgroep.OPEN


class Sectie(models.Model):
    bevraging = models.ForeignKey(
        Bevraging, on_delete=models.CASCADE, related_name="secties", verbose_name=_("survey")
    )
    volgorde = models.PositiveSmallIntegerField(_("order"), default=0)
    titel = models.CharField(_("title"), max_length=200)
    toelichting = models.TextField(_("explanation"), blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["volgorde", "pk"]

    def __str__(self) -> str:
        return self.titel


class Vraag(models.Model):
    class Soort(models.TextChoices):
        EEN = "een", _("one choice")
        MEER = "meer", _("several choices")
        SCHAAL = "schaal", _("scale 1 to 5")
        GETAL = "getal", _("number")
        OPEN = "open", _("open text")

    CHOICE_KINDS = frozenset({Soort.EEN, Soort.MEER})

    # Denormalised from the section, so results group by survey without a join.
    bevraging = models.ForeignKey(
        Bevraging, on_delete=models.CASCADE, related_name="vragen", verbose_name=_("survey")
    )
    sectie = models.ForeignKey(
        Sectie, on_delete=models.CASCADE, related_name="vragen", verbose_name=_("section")
    )
    volgorde = models.PositiveSmallIntegerField(_("order"), default=0)
    tekst = models.CharField(_("question"), max_length=300)
    toelichting = models.CharField(_("help text"), max_length=300, blank=True)
    soort = models.CharField(_("kind"), max_length=10, choices=Soort)
    verplicht = models.BooleanField(_("required"), default=True)
    publiceren = models.BooleanField(
        _("publish results"),
        default=False,
        help_text=_("Show this question's results on the network's public page."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["sectie__volgorde", "sectie_id", "volgorde", "pk"]

    def __str__(self) -> str:
        return self.tekst

    @property
    def is_choice(self) -> bool:
        return self.soort in self.CHOICE_KINDS

    @property
    def is_categorical(self) -> bool:
        """Answers that fall in categories: counts, percentages and breakdowns."""
        return self.soort in (self.Soort.EEN, self.Soort.MEER, self.Soort.SCHAAL)


class Optie(models.Model):
    vraag = models.ForeignKey(
        Vraag, on_delete=models.CASCADE, related_name="opties", verbose_name=_("question")
    )
    volgorde = models.PositiveSmallIntegerField(_("order"), default=0)
    tekst = models.CharField(_("option"), max_length=200)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["volgorde", "pk"]

    def __str__(self) -> str:
        return self.tekst


class ResponsQuerySet(models.QuerySet):
    def complete(self) -> ResponsQuerySet:
        return self.filter(afgerond=True)


class Respons(models.Model):
    """One anonymous response: no account, name, IP or user agent; the cookie token only as
    a hash, and only the day it began."""

    bevraging = models.ForeignKey(
        Bevraging, on_delete=models.CASCADE, related_name="responsen", verbose_name=_("survey")
    )
    sleutel_hash = models.CharField(max_length=64, unique=True)
    begonnen_op = models.DateField(_("begun on"), default=timezone.localdate)
    afgerond = models.BooleanField(_("complete"), default=False)

    objects = ResponsQuerySet.as_manager()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["bevraging", "afgerond"])]

    def __str__(self) -> str:
        return f"{_('response')} {self.pk}"


class Label(models.Model):
    """A coordinator's tag for open answers of a survey."""

    bevraging = models.ForeignKey(
        Bevraging, on_delete=models.CASCADE, related_name="labels", verbose_name=_("survey")
    )
    naam = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["naam"]
        constraints = [
            models.UniqueConstraint(fields=["bevraging", "naam"], name="label_uniek_per_bevraging")
        ]

    def __str__(self) -> str:
        return self.naam


class Antwoord(models.Model):
    """One answer: a chosen option (one row per option for several choices), a number (scale
    and number questions) or a text."""

    respons = models.ForeignKey(
        Respons, on_delete=models.CASCADE, related_name="antwoorden", verbose_name=_("response")
    )
    vraag = models.ForeignKey(
        Vraag, on_delete=models.CASCADE, related_name="antwoorden", verbose_name=_("question")
    )
    optie = models.ForeignKey(
        Optie,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="antwoorden",
        verbose_name=_("option"),
    )
    getal = models.IntegerField(_("number"), null=True, blank=True)
    tekst = models.TextField(_("text"), blank=True)
    labels = models.ManyToManyField(
        Label, blank=True, related_name="antwoorden", verbose_name=_("tags")
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["vraag", "optie"]), models.Index(fields=["vraag", "getal"])]
        constraints = [
            models.UniqueConstraint(
                fields=["respons", "vraag", "optie"],
                name="antwoord_optie_eenmaal",
                condition=Q(optie__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["respons", "vraag"],
                name="antwoord_eenmaal",
                condition=Q(optie__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vraag_id}: {self.optie_id or self.getal or self.tekst[:30]}"


class Deelname(models.Model):
    """That a member has responded to a members-only survey, and nothing more: no link to
    the response, no time."""

    bevraging = models.ForeignKey(
        Bevraging, on_delete=models.CASCADE, related_name="deelnames", verbose_name=_("survey")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bevraging_deelnames",
        verbose_name=_("account"),
    )

    class Meta:
        verbose_name = _("has responded")
        verbose_name_plural = _("have responded")
        constraints = [
            models.UniqueConstraint(fields=["bevraging", "user"], name="deelname_eenmaal")
        ]

    def __str__(self) -> str:
        return f"{self.bevraging_id}/{self.user_id}"


class Emailbevestiging(models.Model):
    """A confirmed e-mail address for an open one-per-person survey: used once to begin a
    response, with no link to it."""

    bevraging = models.ForeignKey(
        Bevraging,
        on_delete=models.CASCADE,
        related_name="emailbevestigingen",
        verbose_name=_("survey"),
    )
    email = models.EmailField(_("e-mail address"))
    sleutel_hash = models.CharField(max_length=64, unique=True)
    aangevraagd_op = models.DateTimeField(_("requested at"), default=timezone.now)
    gebruikt = models.BooleanField(_("used"), default=False)

    class Meta:
        verbose_name = _("e-mail confirmation")
        verbose_name_plural = _("e-mail confirmations")
        constraints = [
            models.UniqueConstraint(fields=["bevraging", "email"], name="emailbevestiging_eenmaal")
        ]

    def __str__(self) -> str:
        return self.email
