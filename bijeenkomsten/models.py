from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.fields import LinkField
from portal.uploads import CheckedFileField, material_storage


def half_year_label(jaar: int, helft: int) -> str:
    """A half-year as people say it: "eerste helft 2027", not "2027-1"."""
    if helft == 1:
        return _("first half of %(year)s") % {"year": jaar}
    return _("second half of %(year)s") % {"year": jaar}


class HalfjaarprogrammaQuerySet(models.QuerySet):
    def published(self) -> "HalfjaarprogrammaQuerySet":
        return self.filter(gepubliceerd=True)


# A half-year, as programmes and theme rounds name it.
HALF_YEAR_CHOICES = [(1, _("first half (January–June)")), (2, _("second half (July–December)"))]


class Halfjaarprogramma(models.Model):
    """A network's programme for one half-year, with its jointly chosen themes."""

    netwerk = models.ForeignKey(
        "netwerken.Netwerk",
        on_delete=models.CASCADE,
        related_name="programmas",
        verbose_name=_("network"),
    )
    jaar = models.PositiveSmallIntegerField(_("year"))
    helft = models.PositiveSmallIntegerField(_("half"), choices=HALF_YEAR_CHOICES)
    themas = models.TextField(
        _("themes"), blank=True, help_text=_("The jointly chosen themes, one per line.")
    )
    toelichting = models.TextField(_("introduction"), blank=True)
    gepubliceerd = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Members see a programme and its meetings only once it is published."),
    )
    gepubliceerd_op = models.DateTimeField(_("published on"), null=True, blank=True)

    objects = HalfjaarprogrammaQuerySet.as_manager()

    class Meta:
        verbose_name = _("half-year programme")
        verbose_name_plural = _("half-year programmes")
        ordering = ["netwerk", "-jaar", "-helft"]
        constraints = [
            models.UniqueConstraint(
                fields=["netwerk", "jaar", "helft"], name="programma_once_per_half_year"
            ),
            models.CheckConstraint(condition=Q(helft__in=[1, 2]), name="programma_helft_1_or_2"),
            models.CheckConstraint(
                condition=Q(jaar__gte=2000, jaar__lte=2100), name="programma_jaar_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.netwerk}, {self.periode}"

    def get_absolute_url(self) -> str:
        return reverse(
            "netwerken:programma",
            kwargs={"slug": self.netwerk.slug, "jaar": self.jaar, "helft": self.helft},
        )

    @property
    def periode(self) -> str:
        """The half-year in words, e.g. "eerste helft 2027"."""
        return half_year_label(self.jaar, self.helft)

    @property
    def thema_lijst(self) -> list[str]:
        return [line.strip() for line in self.themas.splitlines() if line.strip()]


class Doelgroep(models.TextChoices):
    """Who a meeting is for, narrowest first. "Organising network" means any network that
    organises it. (Defined out here so the model's constraint can list its values; use it as
    `Bijeenkomst.Doelgroep`.)"""

    KERN = "kern", _("core of the organising network")
    NETWERK = "netwerk", _("members of the organising network (both tiers)")
    LEDEN = "leden", _("members of any network")
    OPEN = "open", _("open to anyone interested")


# A meeting outside any programme counts as published: only a draft programme hides meetings.
PUBLISHED = Q(programma__isnull=True) | Q(programma__gepubliceerd=True)


class BijeenkomstQuerySet(models.QuerySet):
    def published(self) -> "BijeenkomstQuerySet":
        """Meetings whose programme is published, or that belong to none (a draft programme's
        meetings are seen by its coordinators only)."""
        return self.filter(PUBLISHED)


class Bijeenkomst(models.Model):
    """A meeting, organised by one or more networks."""

    class Soort(models.TextChoices):
        NETWERK = "netwerk", _("network meeting")
        THEMA = "thema", _("themed meeting")
        SOCIAAL_CAFE = "sociaal_cafe", _("sociaal café")
        CONFERENTIE = "conferentie", _("conference")
        ONLINE = "online", _("online session (praktijksafari)")
        STUURGROEP = "stuurgroep", _("steering group")
        WSWD = "wswd", _("World Social Work Day")
        OVERIG = "overig", _("other")

    Doelgroep = Doelgroep

    netwerken = models.ManyToManyField(
        "netwerken.Netwerk", related_name="bijeenkomsten", verbose_name=_("organising networks")
    )
    # PROTECT: a programme's meetings go only through `services.programme_delete`, which
    # deletes those nobody registered for and cancels the others. (SET_NULL would also have
    # made a draft programme's meetings public: no programme counts as published.)
    programma = models.ForeignKey(
        Halfjaarprogramma,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bijeenkomsten",
        verbose_name=_("half-year programme"),
    )
    soort = models.CharField(_("kind"), max_length=20, choices=Soort, default=Soort.NETWERK)
    titel = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    subregio = models.ForeignKey(
        "netwerken.Subregio",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bijeenkomsten",
        verbose_name=_("sub-region"),
        help_text=_("For a network that works in sub-regions: where this meeting belongs."),
    )
    thema = models.CharField(_("theme"), max_length=200, blank=True)
    begin = models.DateTimeField(_("start"))
    einde = models.DateTimeField(_("end"))
    locatie = models.CharField(_("place"), max_length=200, blank=True)
    adres = models.CharField(_("address"), max_length=250, blank=True)
    online_link = LinkField(
        _("online link"), blank=True, help_text=_("Shown only to people who registered.")
    )
    doelgroep = models.CharField(
        _("audience"), max_length=10, choices=Doelgroep, default=Doelgroep.NETWERK
    )
    capaciteit = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    aanmelden_verplicht = models.BooleanField(_("registration required"), default=True)
    aanmelden_tot = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Leave empty to close registration when the meeting starts."),
    )
    beschrijving = models.TextField(_("description"), blank=True)
    verslag = models.TextField(_("report"), blank=True)
    geannuleerd = models.BooleanField(_("cancelled"), default=False)
    sequence = models.PositiveIntegerField(
        _("calendar sequence"),
        default=0,
        editable=False,
        help_text=_("Raised on every change of time or cancellation, for calendar feeds."),
    )
    aangemaakt_op = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    gewijzigd_op = models.DateTimeField(_("changed"), auto_now=True)

    objects = BijeenkomstQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["begin", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(einde__gt=F("begin")),
                name="bijeenkomst_ends_after_start",
                violation_error_message=_("The end lies before the start."),
            ),
            models.CheckConstraint(
                condition=Q(capaciteit__isnull=True) | Q(capaciteit__gt=0),
                name="bijeenkomst_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(aanmelden_tot__isnull=True) | Q(aanmelden_tot__lte=F("begin")),
                name="bijeenkomst_deadline_before_start",
                violation_error_message=_("The registration deadline lies after the start."),
            ),
            models.CheckConstraint(
                condition=Q(doelgroep__in=Doelgroep.values),
                name="bijeenkomst_doelgroep_valid",
            ),
        ]
        indexes = [models.Index(fields=["begin"]), models.Index(fields=["soort", "begin"])]

    def __str__(self) -> str:
        return self.titel

    def get_absolute_url(self) -> str:
        return reverse("bijeenkomsten:detail", kwargs={"slug": self.slug})

    @property
    def is_online(self) -> bool:
        return bool(self.online_link) and not self.locatie


class Programmaonderdeel(models.Model):
    """A part of a meeting's programme: a lecture, workshop, round table, poster…"""

    class Soort(models.TextChoices):
        INLEIDING = "inleiding", _("introduction")
        LEZING = "lezing", _("lecture")
        WORKSHOP = "workshop", _("workshop")
        TAFELRONDE = "tafelronde", _("round table")
        POSTER = "poster", _("poster presentation")
        CASUS = "casus", _("case discussion")
        OVERIG = "overig", _("other")

    bijeenkomst = models.ForeignKey(
        Bijeenkomst, on_delete=models.CASCADE, related_name="onderdelen", verbose_name=_("meeting")
    )
    soort = models.CharField(_("kind"), max_length=20, choices=Soort, default=Soort.LEZING)
    titel = models.CharField(_("title"), max_length=200)
    sprekers = models.CharField(_("speakers"), max_length=300, blank=True)
    begintijd = models.TimeField(_("start time"), null=True, blank=True)
    eindtijd = models.TimeField(_("end time"), null=True, blank=True)
    beschrijving = models.TextField(_("description"), blank=True)
    volgorde = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("programme part")
        verbose_name_plural = _("programme parts")
        ordering = ["bijeenkomst", "volgorde", "begintijd", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(begintijd__isnull=True)
                | Q(eindtijd__isnull=True)
                | Q(eindtijd__gt=F("begintijd")),
                name="onderdeel_ends_after_start",
                violation_error_message=_("The end lies before the start."),
            ),
        ]

    def __str__(self) -> str:
        return self.titel


class VorigeSlug(models.Model):
    """A meeting's earlier address: its slug holds its date, so a moved meeting gets a new one,
    and links already shared (mails, calendars, chats) lead to it through this row."""

    bijeenkomst = models.ForeignKey(
        Bijeenkomst,
        on_delete=models.CASCADE,
        related_name="vorige_slugs",
        verbose_name=_("meeting"),
    )
    slug = models.SlugField(_("slug"), max_length=220, unique=True)

    class Meta:
        verbose_name = _("earlier address")
        verbose_name_plural = _("earlier addresses")

    def __str__(self) -> str:
        return self.slug


class Materiaal(models.Model):
    """Material shared after a meeting: slides, a video, a written report, photos."""

    class Soort(models.TextChoices):
        SLIDES = "slides", _("slides (PDF)")
        VIDEO = "video", _("video")
        VERSLAG = "verslag", _("written report")
        FOTO = "foto", _("photo")

    bijeenkomst = models.ForeignKey(
        Bijeenkomst, on_delete=models.CASCADE, related_name="materialen", verbose_name=_("meeting")
    )
    soort = models.CharField(_("kind"), max_length=10, choices=Soort)
    titel = models.CharField(_("title"), max_length=200)
    # Checked, rewritten and renamed by the portal (a PDF stays a PDF, a photo loses its EXIF);
    # served by bijeenkomsten:materiaal with the kind's type.
    pdf = CheckedFileField(
        _("PDF file"), kind="pdf", upload_to="materiaal/pdf/", storage=material_storage, blank=True
    )
    afbeelding = CheckedFileField(
        _("photo"),
        kind="meeting_photo",
        upload_to="materiaal/foto/",
        storage=material_storage,
        blank=True,
    )
    url = LinkField(_("link"), blank=True)
    tekst = models.TextField(_("text"), blank=True)
    toegevoegd_op = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["bijeenkomst", "soort", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(pdf="") | ~Q(afbeelding="") | ~Q(url="") | ~Q(tekst=""),
                name="materiaal_has_content",
                violation_error_message=_("Add a file, a link or a text."),
            ),
        ]

    def __str__(self) -> str:
        return self.titel


class AanmeldingStatus(models.TextChoices):
    """A registration's status (defined out here so the constraints below can use it; use it
    as `Aanmelding.Status`)."""

    AANGEMELD = "aangemeld", _("registered")
    WACHTLIJST = "wachtlijst", _("waiting list")
    GEANNULEERD = "geannuleerd", _("cancelled")
    AANWEZIG = "aanwezig", _("attended")


# A live registration holds a place or waits for one (or attended); at most one per person.
LIVE_STATUSES = (AanmeldingStatus.AANGEMELD, AanmeldingStatus.WACHTLIJST, AanmeldingStatus.AANWEZIG)
# What the member (or the service, for them) may still cancel: the meeting has not happened.
CANCELLABLE_STATUSES = (AanmeldingStatus.AANGEMELD, AanmeldingStatus.WACHTLIJST)
# A registration that fills a place: confirmed (guests confirm by mail), not waiting.
TAKES_A_PLACE = Q(
    status__in=[AanmeldingStatus.AANGEMELD, AanmeldingStatus.AANWEZIG], bevestigd=True
)


class AanmeldingQuerySet(models.QuerySet):
    def live(self) -> "AanmeldingQuerySet":
        """Registered, waiting or attended: not cancelled."""
        return self.filter(status__in=LIVE_STATUSES)

    def cancellable(self) -> "AanmeldingQuerySet":
        """Registered or waiting: what cancelling (by the member, or when they lose sight of
        the meeting) applies to."""
        return self.filter(status__in=CANCELLABLE_STATUSES)

    def taking_a_place(self) -> "AanmeldingQuerySet":
        return self.filter(TAKES_A_PLACE)

    def waiting(self) -> "AanmeldingQuerySet":
        """The waiting list: confirmed rows waiting for a place (unordered)."""
        return self.filter(status=AanmeldingStatus.WACHTLIJST, bevestigd=True)

    def attended(self) -> "AanmeldingQuerySet":
        return self.filter(status=AanmeldingStatus.AANWEZIG)


class Aanmelding(models.Model):
    """A registration for a meeting, by a member or (for open meetings) a guest."""

    Status = AanmeldingStatus

    # PROTECT: no path deletes registrations with their meeting; `services.meeting_delete`
    # cancels a meeting with registrations instead (mails, feeds), and the ORM refuses the rest.
    bijeenkomst = models.ForeignKey(
        Bijeenkomst,
        on_delete=models.PROTECT,
        related_name="aanmeldingen",
        verbose_name=_("meeting"),
    )
    lid = models.ForeignKey(
        "leden.Lid",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aanmeldingen",
        verbose_name=_("member"),
    )
    gast_naam = models.CharField(_("guest name"), max_length=150, blank=True)
    gast_email = models.EmailField(_("guest e-mail"), blank=True)
    # A guest's mails are in the language they registered in (a member's follow Lid.taal).
    taal = models.CharField(
        _("language of the guest's mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="nl",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.AANGEMELD)
    voorrang = models.BooleanField(
        _("priority"),
        default=False,
        help_text=_("Core members of an organising network go first on the waiting list."),
    )
    bevestigd = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_("A guest's place counts only after they confirm by the mailed link."),
    )
    geanonimiseerd = models.BooleanField(_("anonymised"), default=False, editable=False)
    aangemeld_op = models.DateTimeField(_("registered on"), default=timezone.now)
    gewijzigd_op = models.DateTimeField(_("changed"), auto_now=True)

    objects = AanmeldingQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["bijeenkomst", "aangemeld_op", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AanmeldingStatus.values),
                name="aanmelding_status_valid",
            ),
            # Exactly one of: a member, a guest, or an anonymised past registration.
            models.CheckConstraint(
                condition=(Q(lid__isnull=False) & Q(gast_email="") & Q(geanonimiseerd=False))
                | (Q(lid__isnull=True) & ~Q(gast_email="") & Q(geanonimiseerd=False))
                | (Q(lid__isnull=True) & Q(gast_email="") & Q(geanonimiseerd=True)),
                name="aanmelding_member_or_guest",
            ),
            models.UniqueConstraint(
                fields=["bijeenkomst", "lid"],
                condition=Q(status__in=LIVE_STATUSES, lid__isnull=False),
                name="aanmelding_one_live_per_member",
                violation_error_message=_("You are already registered for this meeting."),
            ),
            models.UniqueConstraint(
                F("bijeenkomst"),
                Lower("gast_email"),
                condition=Q(status__in=LIVE_STATUSES, lid__isnull=True, geanonimiseerd=False),
                name="aanmelding_one_live_per_guest",
                violation_error_message=_("This e-mail address is already registered."),
            ),
        ]
        indexes = [
            models.Index(fields=["bijeenkomst", "status"]),
            models.Index(fields=["lid", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.naam} – {self.bijeenkomst}"

    @property
    def naam(self) -> str:
        if self.lid is not None:  # without a lid_id, no query
            return self.lid.naam
        return self.gast_naam or str(_("anonymous"))

    @property
    def email(self) -> str:
        if self.lid is not None:
            return self.lid.user.email
        return self.gast_email
