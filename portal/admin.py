from django.contrib import admin
from django.http import HttpRequest

from .models import ExportLog, Inzage, RetentionLog


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """Read-only: the log is written by exports only."""

    list_display = ["created_at", "user_email", "export", "format", "source", "rows", "complete"]
    list_filter = ["export", "format", "source", "complete"]
    search_fields = ["user_email"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ExportLog._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class _ReadOnlyLogAdmin(admin.ModelAdmin):
    """A log written by the portal only: staff read it, nobody edits it."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(RetentionLog)
class RetentionLogAdmin(_ReadOnlyLogAdmin):
    """The nightly retention job's runs (`portal.retention`): per rule, how many rows it
    changed; never which."""

    list_display = ["run_at", "rule", "days", "rows", "ok"]
    list_filter = ["rule", "ok"]
    date_hierarchy = "run_at"
    readonly_fields = [f.name for f in RetentionLog._meta.fields]


@admin.register(Inzage)
class InzageAdmin(_ReadOnlyLogAdmin):
    """Who opened which member's details (`portal.accesslog`)."""

    list_display = ["created_at", "viewer_email", "subject", "waar", "what"]
    list_filter = ["waar"]
    list_select_related = ["subject"]
    search_fields = ["viewer_email"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Inzage._meta.fields]
