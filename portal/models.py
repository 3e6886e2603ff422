import uuid

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .uploads import private_files


class ExportLog(models.Model):
    """One export someone ran: who, when, what and with which filter; never the data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # Kept as text too, so the log still says who after the account is deleted.
    user_email = models.EmailField(_("e-mail address"), blank=True)
    created_at = models.DateTimeField(_("exported on"), default=timezone.now, db_index=True)
    export = models.CharField(_("export"), max_length=50)
    format = models.CharField(_("format"), max_length=10)
    source = models.CharField(_("source"), max_length=50, blank=True)
    filters = models.JSONField(_("filter"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    complete = models.BooleanField(
        _("complete"),
        default=False,
        help_text=_("False when the download was broken off or failed."),
    )

    class Meta:
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        ordering = ["-created_at", "-id"]
        permissions = [("export_all_networks", _("Can export the members of every network"))]

    def __str__(self) -> str:
        return f"{self.export} ({self.format}) – {self.user_email}"


class RetentionLog(models.Model):
    """One retention rule applied in one nightly run: how many rows it changed, never which."""

    run_at = models.DateTimeField(_("run"), db_index=True)
    rule = models.CharField(_("rule"), max_length=50)
    days = models.PositiveIntegerField(_("period in days"))
    rows = models.PositiveIntegerField(_("rows changed"), default=0)
    ok = models.BooleanField(_("completed"), default=True)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-run_at", "rule"]

    def __str__(self) -> str:
        return f"{self.rule} ({self.run_at:%Y-%m-%d %H:%M})"


class Inzage(models.Model):
    """Someone opened a member's details (admin or portal): who, when, which member, where;
    never what they saw. Exports are in `ExportLog`. Kept a year (the "access_log" rule)."""

    class Waar(models.TextChoices):
        ADMIN = "admin", _("admin")
        PORTAL = "portal", _("portal")

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("viewed by"),
    )
    # Kept as text too, so the member still learns who after the viewer's account is gone.
    viewer_email = models.EmailField(_("viewer's e-mail address"), blank=True)
    # The member whose details were opened: their log goes with their account.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("member"),
    )
    waar = models.CharField(_("where"), max_length=10, choices=Waar)
    what = models.CharField(_("page"), max_length=50)
    created_at = models.DateTimeField(_("viewed on"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("view of member details")
        verbose_name_plural = _("views of member details")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject", "created_at"])]

    def __str__(self) -> str:
        return f"{self.viewer_email} – {self.created_at:%Y-%m-%d %H:%M}"


def export_storage() -> Storage:
    """Where finished export files go: the private storage every node shares."""
    return private_files()


class ExportJob(models.Model):
    """An export running in the worker (pretix's export jobs): the page follows its progress
    and offers the file, for a limited time, only to whoever started it.

    The id is random, but the id alone is never enough: every view also checks the user."""

    class Status(models.TextChoices):
        QUEUED = "wachtrij", _("queued")
        RUNNING = "bezig", _("running")
        DONE = "klaar", _("done")
        FAILED = "mislukt", _("failed")
        EXPIRED = "verlopen", _("expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    log = models.OneToOneField(
        ExportLog, on_delete=models.CASCADE, related_name="job", verbose_name=_("log entry")
    )
    exporter = models.CharField(_("exporter"), max_length=50)
    url_kwargs = models.JSONField(default=dict, blank=True)
    # The rows an admin action selected (ids); empty for the export page, which filters.
    ids = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows expected"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True, db_index=True)
    # The file's name in the private storage (`export_storage`): written by the worker, never
    # uploaded, so a plain name rather than a FileField (which must pass portal.uploads).
    file = models.CharField(_("file"), max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")

    def __str__(self) -> str:
        return f"{self.exporter} ({self.status})"
