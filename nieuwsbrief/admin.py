from django.contrib import admin

from .models import Abonnee, Abonnement


class AbonnementInline(admin.TabularInline):
    model = Abonnement
    extra = 0
    fields = ["netwerk", "koepel", "aangemaakt_op", "bevestigd_op"]
    readonly_fields = ["netwerk", "koepel", "aangemaakt_op", "bevestigd_op"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Abonnee)
class AbonneeAdmin(admin.ModelAdmin):
    """Read-only for staff: subscriptions change only by their owner's own links."""

    list_display = ["email", "gevraagd_op", "bevestigd_op", "ingetrokken_op"]
    list_filter = [("bevestigd_op", admin.EmptyFieldListFilter), "ingetrokken_op"]
    search_fields = ["email"]
    inlines = [AbonnementInline]
    readonly_fields = [
        "email",
        "tekst",
        "gevraagd_op",
        "gevraagd_via",
        "taal",
        "bevestigd_op",
        "ingetrokken_op",
        "ingetrokken_via",
        "user",
    ]
    exclude = ["sleutel"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
