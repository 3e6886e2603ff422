import uuid
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.files.storage import Storage
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.uploads import CheckedFileField, private_files


def photo_storage() -> Storage:
    """Members' photos: private, their URL the view that checks who may see the member."""
    return private_files(url_name="leden:foto_bestand")


class UserManager(BaseUserManager["User"]):
    """Users log in by e-mail address; there are no usernames."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    # Django's way to drop an inherited field; the stubs know these only as fields (str).
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # The stubs want contrib.auth's UserManager (usernames); ours is its e-mail-only sibling.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        # No first and last name (a member's name is on their profile): Django's own would
        # read "None None", as the admin's history showed after every address.
        return ""

    def get_short_name(self) -> str:
        return ""


class Lid(models.Model):
    """A member's profile: one per user."""

    class Rol(models.TextChoices):
        PROFESSIONAL = "professional", _("professional")
        DOCENT = "docent", _("lecturer")
        OUD_DOCENT = "oud_docent", _("former lecturer")
        STUDENT = "student", _("student or young professional")

    class Digest(models.TextChoices):
        WEEKLY = "wekelijks", _("weekly")
        MONTHLY = "maandelijks", _("monthly")
        NEVER = "nooit", _("never")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="lid", verbose_name=_("user")
    )
    naam = models.CharField(_("name"), max_length=150)
    rol = models.CharField(_("role"), max_length=20, choices=Rol, default=Rol.PROFESSIONAL)
    organisatie = models.CharField(_("organisation"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    bpsw_lid = models.BooleanField(_("BPSW member"), default=False)
    registernummer = models.CharField(
        _("professional register number"),
        max_length=30,
        blank=True,
        help_text=_("Optional: your number in the professional register (Registerplein)."),
    )
    # Personal data: private storage, served only by leden:foto (and leden:foto_bestand, its
    # URL in the admin) to those who may see the member; a JPEG without EXIF, randomly named.
    foto = CheckedFileField(
        _("photo"), kind="photo", upload_to="leden/foto/", storage=photo_storage, blank=True
    )
    toon_organisatie = models.BooleanField(
        _("show my organisation to fellow members"), default=True
    )
    toon_email = models.BooleanField(_("show my e-mail address to fellow members"), default=False)
    herinneringen = models.BooleanField(_("meeting reminders"), default=True)
    digest = models.CharField(
        _("newsletter digest"), max_length=12, choices=Digest, default=Digest.NEVER
    )
    agenda_token = models.CharField(
        _("personal calendar token"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    # The language of every mail to this member (berichten.outbox renders in it).
    taal = models.CharField(
        _("language of your e-mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="nl",
        help_text=_("The portal writes to you in this language."),
    )
    aangemaakt_op = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["naam"]
        # Held by the umbrellas' staff (through a group): see and manage every network.
        permissions = [("alle_netwerken", _("Can see and manage all networks"))]
        indexes = [models.Index(fields=["naam"])]

    def __str__(self) -> str:
        return self.naam


# Lidmaatschap's choices, defined out here so its constraints can list their values; use them
# as `Lidmaatschap.Schil` and `Lidmaatschap.Status`.
class Schil(models.TextChoices):
    KERN = "kern", _("core (1st tier)")
    BETROKKEN = "betrokken", _("involved (2nd tier)")


class LidmaatschapStatus(models.TextChoices):
    AANGEVRAAGD = "aangevraagd", _("requested")
    ACTIEF = "actief", _("active")
    BEEINDIGD = "beeindigd", _("ended")
    AFGEWEZEN = "afgewezen", _("declined")


class LidmaatschapQuerySet(models.QuerySet):
    def active(self) -> "LidmaatschapQuerySet":
        """Accepted and not ended: the members a network counts."""
        return self.filter(status=LidmaatschapStatus.ACTIEF)

    def core(self) -> "LidmaatschapQuerySet":
        """Active members of the core (1st tier)."""
        return self.active().filter(schil=Schil.KERN)

    def pending(self) -> "LidmaatschapQuerySet":
        """Join requests waiting for a coordinator."""
        return self.filter(status=LidmaatschapStatus.AANGEVRAAGD)

    def current(self) -> "LidmaatschapQuerySet":
        """Pending or active: what a member can still withdraw or leave."""
        return self.filter(status__in=[LidmaatschapStatus.AANGEVRAAGD, LidmaatschapStatus.ACTIEF])

    def tier_move_requested(self) -> "LidmaatschapQuerySet":
        """Active members who asked to move to the other tier, waiting for a coordinator."""
        return self.active().exclude(gevraagde_schil="")


class Lidmaatschap(models.Model):
    """A member in a network: core ("1e schil") or second tier ("2e schil")."""

    Schil = Schil
    Status = LidmaatschapStatus

    lid = models.ForeignKey(
        Lid, on_delete=models.CASCADE, related_name="lidmaatschappen", verbose_name=_("member")
    )
    netwerk = models.ForeignKey(
        "netwerken.Netwerk",
        on_delete=models.CASCADE,
        related_name="lidmaatschappen",
        verbose_name=_("network"),
    )
    schil = models.CharField(_("tier"), max_length=10, choices=Schil, default=Schil.BETROKKEN)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.AANGEVRAAGD
    )
    motivatie = models.TextField(_("motivation"), blank=True)
    aangevraagd_op = models.DateTimeField(_("requested on"), default=timezone.now)
    lid_sinds = models.DateField(_("member since"), null=True, blank=True)
    beeindigd_op = models.DateField(_("ended on"), null=True, blank=True)
    # A member's own request to move to the other tier, pending until a coordinator decides.
    gevraagde_schil = models.CharField(
        _("requested tier"), max_length=10, choices=Schil, blank=True, default=""
    )
    schil_gevraagd_op = models.DateTimeField(_("tier move requested on"), null=True, blank=True)

    objects = LidmaatschapQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["netwerk", "lid"]
        constraints = [
            models.UniqueConstraint(
                fields=["lid", "netwerk"], name="lidmaatschap_once_per_network"
            ),
            models.CheckConstraint(
                condition=Q(schil__in=Schil.values), name="lidmaatschap_schil_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=LidmaatschapStatus.values),
                name="lidmaatschap_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(gevraagde_schil__in=["", *Schil.values]),
                name="lidmaatschap_gevraagde_schil_valid",
            ),
            models.CheckConstraint(
                condition=Q(beeindigd_op__isnull=True)
                | Q(lid_sinds__isnull=True)
                | Q(beeindigd_op__gte=models.F("lid_sinds")),
                name="lidmaatschap_ends_after_start",
                violation_error_message=_("The end date lies before the start date."),
            ),
        ]
        indexes = [models.Index(fields=["netwerk", "status", "schil"])]

    def __str__(self) -> str:
        return f"{self.lid} – {self.netwerk}"


class DigestToestemming(models.Model):
    """Consent for the newsletter digest: what was asked, when and how, and its confirmation.

    A digest goes out only while a record is confirmed (double opt-in) and not withdrawn.
    """

    lid = models.ForeignKey(
        Lid,
        on_delete=models.CASCADE,
        related_name="digest_toestemmingen",
        verbose_name=_("member"),
    )
    sleutel = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    frequentie = models.CharField(_("frequency"), max_length=12)
    tekst = models.TextField(_("consent text shown"))
    gevraagd_op = models.DateTimeField(_("requested on"), default=timezone.now)
    gevraagd_via = models.CharField(_("requested via"), max_length=100)
    bevestigd_op = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    ingetrokken_op = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    ingetrokken_via = models.CharField(_("withdrawn via"), max_length=100, blank=True)

    class Meta:
        db_table = "berichten_digesttoestemming"  # its table from when the mail app held it
        verbose_name = _("digest consent")
        verbose_name_plural = _("digest consents")
        ordering = ["-gevraagd_op", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lid"],
                condition=Q(ingetrokken_op__isnull=True),
                name="digesttoestemming_one_open_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lid} ({self.frequentie})"

    @property
    def actief(self) -> bool:
        return self.bevestigd_op is not None and self.ingetrokken_op is None


class Mailvoorkeur(models.Model):
    """A member's mail choice for one network: reminders on or off, and how often the digest.

    Without a row for a network the member's profile choice (Lid.herinneringen, Lid.digest)
    holds there. A digest still needs confirmed consent (DigestToestemming), whatever is chosen.
    """

    class Nieuwsbrief(models.TextChoices):
        # The same values as Lid.Digest, so a choice compares with the profile's directly.
        WEEKLY = "wekelijks", _("weekly")
        MONTHLY = "maandelijks", _("monthly")
        NEVER = "nooit", _("never")

    lid = models.ForeignKey(
        Lid,
        on_delete=models.CASCADE,
        related_name="mailvoorkeuren",
        verbose_name=_("member"),
    )
    netwerk = models.ForeignKey(
        "netwerken.Netwerk",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("network"),
    )
    herinneringen = models.BooleanField(_("meeting reminders"))
    nieuwsbrief = models.CharField(_("newsletter digest"), max_length=12, choices=Nieuwsbrief)
    gewijzigd_op = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        db_table = "berichten_mailvoorkeur"  # its table from when the mail app held it
        verbose_name = _("mail preference")
        verbose_name_plural = _("mail preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["lid", "netwerk"], name="mailvoorkeur_once_per_network"
            ),
            models.CheckConstraint(
                condition=Q(nieuwsbrief__in=["wekelijks", "maandelijks", "nooit"]),
                name="mailvoorkeur_nieuwsbrief_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lid} – {self.netwerk}"
