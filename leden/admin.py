from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .exports import ADMIN_ACTIONS as EXPORT_ACTIONS
from .models import Lid, Lidmaatschap, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "is_staff", "is_active", "date_joined", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "lid__naam"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class LidmaatschapInline(admin.TabularInline):
    model = Lidmaatschap
    extra = 0
    fields = ["netwerk", "schil", "status", "lid_sinds", "beeindigd_op"]
    autocomplete_fields = ["netwerk"]


@admin.register(Lid)
class LidAdmin(admin.ModelAdmin):
    list_display = ["naam", "user", "rol", "organisatie", "sector", "bpsw_lid"]
    list_filter = ["rol", "bpsw_lid", "digest", "herinneringen"]
    search_fields = ["naam", "user__email", "organisatie"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    inlines = [LidmaatschapInline]
    actions = EXPORT_ACTIONS


@admin.register(Lidmaatschap)
class LidmaatschapAdmin(admin.ModelAdmin):
    list_display = ["lid", "netwerk", "schil", "status", "lid_sinds", "aangevraagd_op"]
    list_filter = ["status", "schil", "netwerk__koepel", "netwerk"]
    search_fields = ["lid__naam", "lid__user__email", "netwerk__naam"]
    list_select_related = ["lid", "netwerk"]
    autocomplete_fields = ["lid", "netwerk"]
    date_hierarchy = "aangevraagd_op"
    actions = EXPORT_ACTIONS
