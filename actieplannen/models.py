"""Action plans: a network's (or an umbrella's) challenges, each with action points whose
progress is noted as it happens, and the history of every change.

The umbrella's plan (the Flemish plan's actions) is a plan of the `Koepel`; a network's plan
may add to it (`koepelplan`), as the regional platforms add their own actions. Every write goes
through `services`, which also writes the history (`Wijziging`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bevragingen.models import Bevraging
from bijeenkomsten.models import Bijeenkomst
from leden.models import Lid
from netwerken.models import Koepel, Netwerk, Subregio
from portal.formats import local_date


class Status(models.TextChoices):
    """Where an action point stands. Shown in words on every page, never by colour alone."""

    IDEE = "idee", _("idea")
    LOPEND = "lopend", _("running")
    AFGEROND = "afgerond", _("done")
    GESTOPT = "gestopt", _("stopped")


class ActieplanQuerySet(models.QuerySet):
    def of_network(self, netwerk: Netwerk) -> ActieplanQuerySet:
        return self.filter(netwerk=netwerk)

    def of_umbrella(self, koepel: Koepel) -> ActieplanQuerySet:
        return self.filter(koepel=koepel, netwerk__isnull=True)


class Actieplan(models.Model):
    """The plan of one network, or of an umbrella (then `netwerk` is empty)."""

    netwerk = models.ForeignKey(
        Netwerk,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="actieplannen",
        verbose_name=_("network"),
    )
    koepel = models.ForeignKey(
        Koepel,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="actieplannen",
        verbose_name=_("umbrella"),
        help_text=_("For the umbrella's own plan; leave empty for a network's plan."),
    )
    koepelplan = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aanvullingen",
        verbose_name=_("adds to the umbrella plan"),
        help_text=_("The umbrella's plan this network's plan adds its own actions to."),
    )
    titel = models.CharField(_("title"), max_length=200)
    inleiding = models.TextField(
        _("introduction"), blank=True, help_text=_("How the plan came about, and for whom.")
    )
    vastgesteld_op = models.DateField(_("agreed on"), null=True, blank=True)
    aangemaakt_op = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = ActieplanQuerySet.as_manager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-vastgesteld_op", "titel", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(netwerk__isnull=True, koepel__isnull=False)
                | Q(netwerk__isnull=False, koepel__isnull=True),
                name="actieplan_of_network_or_umbrella",
                violation_error_message=_(
                    "An action plan belongs to a network or to an umbrella, not both."
                ),
            ),
            models.CheckConstraint(
                condition=Q(koepelplan__isnull=True) | Q(netwerk__isnull=False),
                name="actieplan_only_networks_add_to_umbrella",
                violation_error_message=_("Only a network's plan adds to an umbrella plan."),
            ),
        ]

    def __str__(self) -> str:
        return self.titel

    def get_absolute_url(self) -> str:
        if self.netwerk is not None:
            return reverse("actieplannen:netwerk", kwargs={"slug": self.netwerk.slug})
        assert self.koepel is not None  # a plan is a network's or an umbrella's (constraint)
        return reverse("actieplannen:koepel", kwargs={"slug": self.koepel.slug})

    def clean(self) -> None:
        # Here so the admin's form shows it; the services call full_clean().
        umbrella = self.koepelplan
        if umbrella is None or self.netwerk is None:
            return
        if umbrella.netwerk_id is not None or umbrella.koepel_id != self.netwerk.koepel_id:
            message = _("A network adds only to its own umbrella's plan.")
            raise ValidationError({"koepelplan": message})


class Uitdaging(models.Model):
    """A challenge of a plan; a sub-region of the network may take it up."""

    plan = models.ForeignKey(
        Actieplan, on_delete=models.CASCADE, related_name="uitdagingen", verbose_name=_("plan")
    )
    volgorde = models.PositiveSmallIntegerField(_("order"), default=0)
    titel = models.CharField(_("title"), max_length=200)
    toelichting = models.TextField(_("explanation"), blank=True)
    subregio = models.ForeignKey(
        Subregio,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uitdagingen",
        verbose_name=_("taken up by sub-region"),
    )

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["plan", "volgorde", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "titel"], name="uitdaging_unique_per_plan"),
            # Each sub-region starts from one challenge of the plan.
            models.UniqueConstraint(
                fields=["plan", "subregio"],
                condition=Q(subregio__isnull=False),
                name="uitdaging_one_per_subregion",
                violation_error_message=_("This sub-region already took up a challenge."),
            ),
        ]

    def __str__(self) -> str:
        return self.titel

    def clean(self) -> None:
        # Checked here so the admin's form shows it; the services call full_clean().
        if self.subregio is None or self.plan_id is None:
            return
        if self.subregio.netwerk_id != self.plan.netwerk_id:
            message = _("Only a sub-region of the plan's network can take up its challenge.")
            raise ValidationError({"subregio": message})


class Actiepunt(models.Model):
    """One action of a challenge: what it aims at, who pulls it, where it stands."""

    uitdaging = models.ForeignKey(
        Uitdaging,
        on_delete=models.CASCADE,
        related_name="actiepunten",
        verbose_name=_("challenge"),
    )
    nummer = models.PositiveSmallIntegerField(
        _("number"), null=True, blank=True, help_text=_("Its number in the plan, if it has one.")
    )
    titel = models.CharField(_("title"), max_length=250)
    doel = models.TextField(_("aim"), blank=True, help_text=_("What the action aims at."))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.IDEE)
    trekkers = models.ManyToManyField(
        Lid, blank=True, related_name="getrokken_actiepunten", verbose_name=_("pulled by")
    )
    bijeenkomsten = models.ManyToManyField(
        Bijeenkomst,
        blank=True,
        related_name="actiepunten",
        verbose_name=_("meetings that feed it"),
    )
    bevragingen = models.ManyToManyField(
        Bevraging,
        blank=True,
        related_name="actiepunten",
        verbose_name=_("surveys that feed it"),
    )
    aangemaakt_op = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    gewijzigd_op = models.DateTimeField(_("changed"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("action point")
        verbose_name_plural = _("action points")
        ordering = ["uitdaging", "nummer", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="actiepunt_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nummer}. {self.titel}" if self.nummer else self.titel


class Voortgang(models.Model):
    """A dated progress note on an action point."""

    actiepunt = models.ForeignKey(
        Actiepunt,
        on_delete=models.CASCADE,
        related_name="voortgang",
        verbose_name=_("action point"),
    )
    datum = models.DateField(_("date"), default=timezone.localdate)
    tekst = models.TextField(_("progress"))
    auteur = models.ForeignKey(
        Lid,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    # When it was written (the digest's news window), whatever date it carries.
    aangemaakt_op = models.DateTimeField(_("written"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["actiepunt", "-datum", "-id"]
        indexes = [models.Index(fields=["aangemaakt_op"])]

    def __str__(self) -> str:
        return local_date(self.datum, "SHORT_DATE_FORMAT")


class Volger(models.Model):
    """A member who follows an action point: its progress comes in their digest."""

    actiepunt = models.ForeignKey(
        Actiepunt, on_delete=models.CASCADE, related_name="volgers", verbose_name=_("action point")
    )
    lid = models.ForeignKey(
        Lid, on_delete=models.CASCADE, related_name="gevolgde_actiepunten", verbose_name=_("member")
    )
    sinds = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["actiepunt", "lid"], name="volger_once_per_point")
        ]

    def __str__(self) -> str:
        return str(self.actiepunt)


class Wijziging(models.Model):
    """One change to a plan, its challenges, action points or progress notes: the history.

    Written by the services only (every admin path calls them), never edited."""

    class Soort(models.TextChoices):
        AANGEMAAKT = "aangemaakt", _("created")
        GEWIJZIGD = "gewijzigd", _("changed")
        STATUS = "status", _("status changed")
        VOORTGANG = "voortgang", _("progress noted")
        VERWIJDERD = "verwijderd", _("deleted")

    plan = models.ForeignKey(
        Actieplan, on_delete=models.CASCADE, related_name="wijzigingen", verbose_name=_("plan")
    )
    # What changed, by name (the row itself may be gone) and, while it exists, by link.
    onderwerp = models.CharField(_("subject"), max_length=30)  # "plan", "uitdaging", ...
    onderwerp_id = models.PositiveIntegerField(_("subject id"), null=True, blank=True)
    actiepunt = models.ForeignKey(
        Actiepunt,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wijzigingen",
        verbose_name=_("action point"),
    )
    soort = models.CharField(_("kind"), max_length=12, choices=Soort)
    omschrijving = models.CharField(_("description"), max_length=300)
    velden = models.JSONField(_("fields"), default=dict, blank=True)  # {field: [before, after]}
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    op = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["-op", "-id"]

    def __str__(self) -> str:
        return self.omschrijving
