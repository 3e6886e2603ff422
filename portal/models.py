from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
