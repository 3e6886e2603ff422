"""Theme rounds: a network's members propose themes for a half-year, support them and vote
which they would come to; a proportional rule (`selection.py`) chooses the round's themes.

A ballot (`Stembiljet`) is one member's approvals in one round; its lines (`Stem`) name the
proposals. The ballot row is what a vote locks (`services.ballot_save`), so a member's limit
holds under concurrent requests. Counts are read only once a round is closed (`selectors`).
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from bijeenkomsten.models import HALF_YEAR_CHOICES


class RondeStatus(models.TextChoices):
    VOORSTELLEN = "voorstellen", _("proposing")
    STEMMEN = "stemmen", _("voting")
    TELLEN = "tellen", _("voting closed, counting")
    GESLOTEN = "gesloten", _("closed")


class Vorm(models.TextChoices):
    THEMABIJEENKOMST = "themabijeenkomst", _("themed meeting")
    SOCIAAL_CAFE = "sociaal_cafe", _("sociaal café with invited politicians")
    CASUISTIEK = "casuistiek", _("case discussion")


class ThemarondeQuerySet(models.QuerySet):
    def open(self) -> ThemarondeQuerySet:
        return self.filter(gesloten_op__isnull=True)

    def due_for_closing(self, now: datetime) -> ThemarondeQuerySet:
        return self.open().filter(stemmen_tot__lte=now)


class Themaronde(models.Model):
    """One network's round of theme proposals and votes for one half-year."""

    netwerk = models.ForeignKey(
        "netwerken.Netwerk",
        on_delete=models.CASCADE,
        related_name="themarondes",
        verbose_name=_("network"),
    )
    jaar = models.PositiveSmallIntegerField(_("year"))
    helft = models.PositiveSmallIntegerField(_("half"), choices=HALF_YEAR_CHOICES)
    voorstellen_tot = models.DateTimeField(_("proposals until"))
    stemmen_tot = models.DateTimeField(_("voting until"))
    max_stemmen = models.PositiveSmallIntegerField(
        _("approvals per member"),
        default=3,
        help_text=_("How many themes each member may tick."),
    )
    aantal_themas = models.PositiveSmallIntegerField(
        _("themes to choose"), default=4, help_text=_("How many themes the round selects.")
    )
    geopend_op = models.DateTimeField(_("opened"), default=timezone.now)
    gesloten_op = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)

    objects = ThemarondeQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme round")
        verbose_name_plural = _("theme rounds")
        ordering = ["netwerk", "-jaar", "-helft"]
        constraints = [
            models.UniqueConstraint(
                fields=["netwerk", "jaar", "helft"], name="themaronde_once_per_half_year"
            ),
            models.CheckConstraint(condition=Q(helft__in=[1, 2]), name="themaronde_helft_1_or_2"),
            models.CheckConstraint(
                condition=Q(jaar__gte=2000, jaar__lte=2100), name="themaronde_jaar_plausible"
            ),
            models.CheckConstraint(
                condition=Q(stemmen_tot__gt=F("voorstellen_tot")),
                name="themaronde_voting_after_proposals",
            ),
            models.CheckConstraint(
                condition=Q(max_stemmen__gte=1), name="themaronde_at_least_one_approval"
            ),
            models.CheckConstraint(
                condition=Q(aantal_themas__gte=1), name="themaronde_at_least_one_theme"
            ),
        ]

    def __str__(self) -> str:
        return _("Themes %(half)s/%(year)s") % {"half": self.helft, "year": self.jaar}

    def status(self, now: datetime | None = None) -> str:
        """Where the round stands: from the clock, unless it was closed."""
        if self.gesloten_op:
            return RondeStatus.GESLOTEN
        now = now or timezone.now()
        if now < self.voorstellen_tot:
            return RondeStatus.VOORSTELLEN
        if now < self.stemmen_tot:
            return RondeStatus.STEMMEN
        return RondeStatus.TELLEN

    def status_display(self) -> str:
        return str(RondeStatus(self.status()).label)

    @property
    def results_public(self) -> bool:
        return self.gesloten_op is not None


class Themavoorstel(models.Model):
    """A proposed theme. A duplicate is merged into another (`samengevoegd_in`): its votes
    and supporters move there, the row stays to say where it went."""

    ronde = models.ForeignKey(
        Themaronde, on_delete=models.CASCADE, related_name="voorstellen", verbose_name=_("round")
    )
    titel = models.CharField(_("title"), max_length=150)
    waarom = models.TextField(_("why it matters"), max_length=2000)
    vorm = models.CharField(_("form"), max_length=20, choices=Vorm, blank=True)
    indiener = models.ForeignKey(
        "leden.Lid",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="themavoorstellen",
        verbose_name=_("proposed by"),
    )
    samengevoegd_in = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="samengevoegd",
        verbose_name=_("merged into"),
    )
    # Set when the round closes: the order in which the rule chose it (1 = first), or empty.
    gekozen_als = models.PositiveSmallIntegerField(
        _("chosen as"), null=True, blank=True, editable=False
    )
    # Set when the coordinator accepts the date plan: the meeting this chosen theme became.
    bijeenkomst = models.ForeignKey(
        "bijeenkomsten.Bijeenkomst",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="themavoorstellen",
        verbose_name=_("meeting"),
    )
    aangemaakt_op = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("theme proposal")
        verbose_name_plural = _("theme proposals")
        # Never by support or votes: that order would reveal counts while voting runs.
        ordering = ["titel", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(samengevoegd_in=F("id")), name="themavoorstel_not_merged_into_self"
            ),
            models.UniqueConstraint(
                fields=["ronde", "gekozen_als"], name="themavoorstel_one_per_place"
            ),
        ]

    def __str__(self) -> str:
        return self.titel


class Steun(models.Model):
    """A member supports a proposal (during the proposal phase)."""

    voorstel = models.ForeignKey(
        Themavoorstel, on_delete=models.CASCADE, related_name="steun", verbose_name=_("proposal")
    )
    lid = models.ForeignKey(
        "leden.Lid", on_delete=models.CASCADE, related_name="themasteun", verbose_name=_("member")
    )

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("support")
        constraints = [
            models.UniqueConstraint(fields=["lid", "voorstel"], name="steun_once_per_member")
        ]

    def __str__(self) -> str:
        return str(_("support"))


class Reactie(models.Model):
    """A member's brief comment on a proposal, while proposals and voting are open. Says
    nothing about support or votes, so it may show during voting."""

    MAX_LENGTH = 500

    voorstel = models.ForeignKey(
        Themavoorstel,
        on_delete=models.CASCADE,
        related_name="reacties",
        verbose_name=_("proposal"),
    )
    # Goes with the member's profile when their account is erased.
    lid = models.ForeignKey(
        "leden.Lid",
        on_delete=models.CASCADE,
        related_name="themareacties",
        verbose_name=_("member"),
    )
    tekst = models.CharField(_("comment"), max_length=MAX_LENGTH)
    aangemaakt_op = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["aangemaakt_op", "pk"]
        constraints = [
            # SQLite ignores a varchar's length, so the database states the limit itself.
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("tekst"), 500)
                & GreaterThan(Length(Trim("tekst")), 0),
                name="reactie_tekst_brief_and_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return Truncator(self.tekst).chars(60)


class Stembiljet(models.Model):
    """One member's ballot in one round: locked while it is replaced."""

    ronde = models.ForeignKey(
        Themaronde, on_delete=models.CASCADE, related_name="biljetten", verbose_name=_("round")
    )
    lid = models.ForeignKey(
        "leden.Lid",
        on_delete=models.CASCADE,
        related_name="stembiljetten",
        verbose_name=_("member"),
    )
    bijgewerkt_op = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["ronde", "lid"], name="stembiljet_once_per_round")
        ]

    def __str__(self) -> str:  # never the voter
        return str(_("ballot"))


class Stem(models.Model):
    """One approval on a ballot: "I would come to this theme"."""

    biljet = models.ForeignKey(
        Stembiljet, on_delete=models.CASCADE, related_name="stemmen", verbose_name=_("ballot")
    )
    voorstel = models.ForeignKey(
        Themavoorstel, on_delete=models.CASCADE, related_name="stemmen", verbose_name=_("proposal")
    )

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.UniqueConstraint(fields=["biljet", "voorstel"], name="stem_once_per_ballot")
        ]

    def __str__(self) -> str:
        return str(_("approval"))


# The date poll: once a round has chosen its themes, the network picks their evenings together.
# The answer values are the planner's own (`planner.YES` …), so answers pass to it unchanged.


class Antwoord(models.TextChoices):
    YES = "yes", _("yes")
    IF_NEED_BE = "if_need_be", _("if need be")
    NO = "no", _("no")


class DatumpeilingQuerySet(models.QuerySet):
    def open(self, now: datetime) -> DatumpeilingQuerySet:
        """Still taking answers: not closed, no plan accepted."""
        return self.filter(sluit_op__gt=now, geaccepteerd_op__isnull=True)


class Datumpeiling(models.Model):
    """The date poll of a closed round: candidate evenings the members answer until `sluit_op`;
    the coordinator then accepts a plan (`geaccepteerd_op`), which puts the meetings in the
    programme draft."""

    ronde = models.OneToOneField(
        Themaronde, on_delete=models.CASCADE, related_name="datumpeiling", verbose_name=_("round")
    )
    sluit_op = models.DateTimeField(_("answers until"))
    geopend_op = models.DateTimeField(_("opened"), default=timezone.now, editable=False)
    # Claimed by a conditional update, so the reminder goes out once per poll.
    herinnerd_op = models.DateTimeField(_("reminder sent"), null=True, blank=True, editable=False)
    geaccepteerd_op = models.DateTimeField(
        _("plan accepted"), null=True, blank=True, editable=False
    )

    objects = DatumpeilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("date poll")
        verbose_name_plural = _("date polls")
        constraints = [
            models.CheckConstraint(
                condition=Q(sluit_op__gt=F("geopend_op")), name="datumpeiling_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return _("Date poll, %(round)s") % {"round": self.ronde}

    def is_open(self, now: datetime | None = None) -> bool:
        return self.geaccepteerd_op is None and (now or timezone.now()) < self.sluit_op


class Kandidaatavond(models.Model):
    """A candidate evening: a date with a start and end time, wall-clock Europe/Amsterdam."""

    peiling = models.ForeignKey(
        Datumpeiling, on_delete=models.CASCADE, related_name="avonden", verbose_name=_("date poll")
    )
    datum = models.DateField(_("date"))
    begintijd = models.TimeField(_("start time"))
    eindtijd = models.TimeField(_("end time"))

    class Meta:
        verbose_name = _("candidate evening")
        verbose_name_plural = _("candidate evenings")
        ordering = ["datum"]
        constraints = [
            # The planner chooses dates: two evenings on one day would be one candidate.
            models.UniqueConstraint(fields=["peiling", "datum"], name="kandidaatavond_one_per_day"),
            models.CheckConstraint(
                condition=Q(eindtijd__gt=F("begintijd")), name="kandidaatavond_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.datum:%Y-%m-%d} {self.begintijd:%H:%M}–{self.eindtijd:%H:%M}"


class Beschikbaarheid(models.Model):
    """A member's answer for one candidate evening."""

    avond = models.ForeignKey(
        Kandidaatavond,
        on_delete=models.CASCADE,
        related_name="beschikbaarheden",
        verbose_name=_("candidate evening"),
    )
    lid = models.ForeignKey(
        "leden.Lid",
        on_delete=models.CASCADE,
        related_name="beschikbaarheden",
        verbose_name=_("member"),
    )
    antwoord = models.CharField(_("answer"), max_length=10, choices=Antwoord)
    bijgewerkt_op = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")
        constraints = [
            models.UniqueConstraint(
                fields=["lid", "avond"], name="beschikbaarheid_once_per_evening"
            ),
            models.CheckConstraint(
                condition=Q(antwoord__in=Antwoord.values), name="beschikbaarheid_antwoord_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(_("availability"))
