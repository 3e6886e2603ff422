from django.contrib import admin

from portal.adminscope import NetworkScopedMixin

from .models import Contactbericht


@admin.register(Contactbericht)
class ContactberichtAdmin(NetworkScopedMixin, admin.ModelAdmin):
    """Read-only: coordinators see their networks' messages, staff every one."""

    network_path = "netwerk"
    coordinator_permissions = frozenset({"view"})
    list_display = ["verstuurd_op", "naam", "netwerk", "koepel", "wil_meedoen", "ontvangers"]
    list_filter = ["wil_meedoen", "ontvangers", "koepel"]
    list_select_related = ["netwerk", "koepel"]
    search_fields = ["naam", "email", "bericht"]
    date_hierarchy = "verstuurd_op"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
