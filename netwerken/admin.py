from django.contrib import admin
from django.http import HttpRequest
from django.utils.text import capfirst

from portal.adminhistory import VerboseHistoryMixin
from portal.adminscope import ALL_PERMISSIONS, NetworkScopedMixin

from .models import Koepel, Netwerk, Partnerorganisatie, Subregio


@admin.register(Koepel)
class KoepelAdmin(VerboseHistoryMixin, admin.ModelAdmin):
    list_display = ["naam", "afkorting", "land"]
    list_filter = ["land"]
    search_fields = ["naam", "afkorting"]
    prepopulated_fields = {"slug": ["naam"]}


@admin.register(Partnerorganisatie)
class PartnerorganisatieAdmin(VerboseHistoryMixin, admin.ModelAdmin):
    list_display = ["naam", "soort", "website"]
    list_filter = ["soort"]
    search_fields = ["naam"]


class SubregioInline(NetworkScopedMixin, admin.TabularInline):
    model = Subregio
    network_path = None  # rows of an already scoped network
    coordinator_permissions = ALL_PERMISSIONS
    extra = 0


@admin.register(Netwerk)
class NetwerkAdmin(VerboseHistoryMixin, NetworkScopedMixin, admin.ModelAdmin):
    network_path = "pk"
    # Coordinators keep their network's page up to date; creating networks, naming them and
    # choosing coordinators stays with the umbrella's staff.
    coordinator_permissions = frozenset({"view", "change"})
    list_display = ["naam", "koepel", "regio", "opgericht_in", "contact_email"]
    list_filter = ["koepel", "koepel__land"]
    search_fields = ["naam", "regio", "subregios__naam"]
    list_select_related = ["koepel"]
    prepopulated_fields = {"slug": ["naam"]}
    filter_horizontal = ["partners"]
    autocomplete_fields = ["coordinators"]
    inlines = [SubregioInline]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if self.sees_all_networks(request):
            return super().get_readonly_fields(request, obj)
        return ["naam", "slug", "koepel", "coordinators"]

    def get_deleted_objects(self, objs, request: HttpRequest):
        """A network that organises meetings is not deleted, from its page or in bulk: the
        meetings and their registrations would lose their organiser (and with it every
        coordinator's view of them). Meetings in its programmes are protected by the database
        already (a programme's meetings are PROTECT); the others are added here."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        meetings = self.model.bijeenkomsten.rel.related_model.objects.filter(
            netwerken__in=objs
        ).exclude(programma__netwerk__in=objs)
        protected = [
            *protected,
            *(f"{capfirst(m._meta.verbose_name)}: {m}" for m in meetings.distinct()),
        ]
        return to_delete, model_count, perms_needed, protected

    def get_prepopulated_fields(self, request: HttpRequest, obj=None):
        if self.sees_all_networks(request):
            return super().get_prepopulated_fields(request, obj)
        return {}
