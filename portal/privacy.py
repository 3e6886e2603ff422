"""What portal and Django's own apps keep on people, in the register of personal data:
the export log, the log of who viewed a member's details, sessions and the admin's history.
Imported at start-up by portal's autodiscovery (`portal.apps`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .exports import EXPORT_FILE_RETENTION
from .models import ExportLog, Inzage
from .personal_data import Action, Ground, Retention, declare, in_batches


def _delete(queryset: QuerySet) -> int:
    return queryset.delete()[1].get(queryset.model._meta.label, 0)


def forget_access_log(now: datetime) -> int:
    """Views of member details and exports older than the period go."""
    cutoff = now - timedelta(days=ACCESS_LOG.days)
    return in_batches(Inzage.objects.filter(created_at__lt=cutoff), _delete) + in_batches(
        ExportLog.objects.filter(created_at__lt=cutoff), _delete
    )


def forget_sessions(now: datetime) -> int:
    """Expired sessions (Django's `clearsessions`, by the register's clock)."""
    cutoff = now - timedelta(days=SESSIONS.days)
    return in_batches(Session.objects.filter(expire_date__lt=cutoff), _delete)


ACCESS_LOG = Retention(
    "access_log",
    365,
    starts=_("after the view or export"),
    action=Action.DELETE,
    apply=forget_access_log,
)
SESSIONS = Retention(
    "sessions",
    0,
    starts=_("after the session expired (two weeks after the last visit)"),
    action=Action.DELETE,
    apply=forget_sessions,
)

declare(
    "portal.ExportLog",
    fields=("user", "user_email", "filters"),
    purpose=_("Accountability: who exported which member data, and with which filter."),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_("staff; the members concerned in their data download"),
    retention=ACCESS_LOG,
)
declare(
    "portal.Inzage",
    fields=("viewer", "viewer_email", "subject"),
    purpose=_("Accountability: who opened a member's details, so the member can see it."),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_("staff; the member concerned in their data download"),
    retention=ACCESS_LOG,
)
declare(
    "sessions.Session",
    fields=("session_data",),
    purpose=_("Keeping you logged in."),
    ground=Ground.AGREEMENT,
    seen_by=_("nobody (the portal only)"),
    retention=SESSIONS,
)
declare(
    "admin.LogEntry",
    fields=("user", "object_repr", "change_message"),
    purpose=_("The admin's history: who changed what, to correct mistakes."),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_("coordinators (their networks) and staff"),
    kept=_(
        "as long as the record it is about; a member's or guest's name is taken out when "
        "they are erased or anonymised"
    ),
)
declare(
    "portal.ExportJob",
    fields=("user", "url_kwargs", "ids", "filename"),
    purpose=_("Accountability: who exported which member data, and with which filter."),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_("staff; the members concerned in their data download"),
    retention=ACCESS_LOG,  # the job goes with its export log entry
)
declare(
    "portal.ExportJob",
    fields=("file",),
    purpose=_("the export file (member or registration list) its downloader asked for"),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_("the staff member or coordinator who started the export"),
    retention=EXPORT_FILE_RETENTION,
)
