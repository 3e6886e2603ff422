from django.contrib import admin
from django.http import HttpRequest

from .models import ExportLog


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
