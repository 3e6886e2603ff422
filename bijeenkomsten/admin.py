from django.contrib import admin

from .models import Aanmelding, Bijeenkomst, Halfjaarprogramma, Materiaal, Programmaonderdeel


class BijeenkomstInline(admin.TabularInline):
    model = Bijeenkomst
    extra = 0
    fields = ["titel", "soort", "begin", "einde", "doelgroep", "capaciteit", "geannuleerd"]
    show_change_link = True


@admin.register(Halfjaarprogramma)
class HalfjaarprogrammaAdmin(admin.ModelAdmin):
    list_display = ["netwerk", "jaar", "helft", "gepubliceerd"]
    list_filter = ["gepubliceerd", "jaar", "helft", "netwerk__koepel", "netwerk"]
    search_fields = ["netwerk__naam", "themas"]
    list_select_related = ["netwerk"]
    autocomplete_fields = ["netwerk"]
    inlines = [BijeenkomstInline]


class ProgrammaonderdeelInline(admin.TabularInline):
    model = Programmaonderdeel
    extra = 0


class MateriaalInline(admin.StackedInline):
    model = Materiaal
    extra = 0


@admin.register(Bijeenkomst)
class BijeenkomstAdmin(admin.ModelAdmin):
    list_display = ["titel", "soort", "begin", "doelgroep", "capaciteit", "geannuleerd"]
    list_filter = ["soort", "doelgroep", "geannuleerd", "netwerken__koepel", "netwerken"]
    search_fields = ["titel", "thema", "beschrijving", "locatie"]
    date_hierarchy = "begin"
    prepopulated_fields = {"slug": ["titel"]}
    autocomplete_fields = ["netwerken", "programma"]
    inlines = [ProgrammaonderdeelInline, MateriaalInline]


@admin.register(Aanmelding)
class AanmeldingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "voorrang", "bevestigd", "aangemeld_op"]
    list_filter = ["status", "voorrang", "bevestigd"]
    search_fields = ["lid__naam", "gast_naam", "gast_email", "bijeenkomst__titel"]
    list_select_related = ["lid", "bijeenkomst"]
    autocomplete_fields = ["bijeenkomst", "lid"]
    date_hierarchy = "aangemeld_op"


@admin.register(Programmaonderdeel)
class ProgrammaonderdeelAdmin(admin.ModelAdmin):
    list_display = ["titel", "soort", "sprekers", "bijeenkomst"]
    list_filter = ["soort"]
    search_fields = ["titel", "sprekers", "bijeenkomst__titel"]
    list_select_related = ["bijeenkomst"]
    autocomplete_fields = ["bijeenkomst"]


@admin.register(Materiaal)
class MateriaalAdmin(admin.ModelAdmin):
    list_display = ["titel", "soort", "bijeenkomst", "toegevoegd_op"]
    list_filter = ["soort"]
    search_fields = ["titel", "bijeenkomst__titel"]
    list_select_related = ["bijeenkomst"]
    autocomplete_fields = ["bijeenkomst"]
