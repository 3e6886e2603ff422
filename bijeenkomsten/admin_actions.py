"""Admin actions of the meeting admin that belong to the meeting mails."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import reminders


@admin.action(description=_("Send reminder now"))
def send_reminder_now(modeladmin, request, queryset) -> None:
    """Remind everyone registered (at most once per meeting per day)."""
    total = 0
    with transaction.atomic():
        for pk in queryset.values_list("pk", flat=True):
            total += reminders.send_reminder_now(bijeenkomst_id=pk)
    modeladmin.message_user(
        request,
        ngettext("%(count)d reminder queued.", "%(count)d reminders queued.", total)
        % {"count": total},
        messages.SUCCESS,
    )
