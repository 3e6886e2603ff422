from django.contrib import admin

from .models import Koepel, Netwerk, Partnerorganisatie, Speerpunt, Subregio


@admin.register(Koepel)
class KoepelAdmin(admin.ModelAdmin):
    list_display = ["naam", "afkorting", "land"]
    list_filter = ["land"]
    search_fields = ["naam", "afkorting"]
    prepopulated_fields = {"slug": ["naam"]}


@admin.register(Partnerorganisatie)
class PartnerorganisatieAdmin(admin.ModelAdmin):
    list_display = ["naam", "soort", "website"]
    list_filter = ["soort"]
    search_fields = ["naam"]


class SubregioInline(admin.TabularInline):
    model = Subregio
    extra = 0


class SpeerpuntInline(admin.StackedInline):
    model = Speerpunt
    extra = 0


@admin.register(Netwerk)
class NetwerkAdmin(admin.ModelAdmin):
    list_display = ["naam", "koepel", "regio", "opgericht_in", "contact_email"]
    list_filter = ["koepel", "koepel__land"]
    search_fields = ["naam", "regio", "subregios__naam"]
    list_select_related = ["koepel"]
    prepopulated_fields = {"slug": ["naam"]}
    filter_horizontal = ["partners"]
    autocomplete_fields = ["coordinators"]
    inlines = [SubregioInline, SpeerpuntInline]
