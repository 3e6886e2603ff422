"""Coordinators set a meeting's educational time on the meeting's own admin page: an inline
added to bijeenkomsten' meeting admin, scoped like the meeting (their networks only)."""

from __future__ import annotations

from django.contrib import admin

from bijeenkomsten.admin.meetings import BijeenkomstAdmin
from portal.adminscope import ALL_PERMISSIONS, NetworkScopedMixin

from .models import Leertijd


class LeertijdInline(NetworkScopedMixin, admin.StackedInline):
    model = Leertijd
    network_path = None  # the meeting's page is scoped already
    coordinator_permissions = ALL_PERMISSIONS
    fields = ["minuten", "categorie", "accreditatie_id", "bewijs"]
    max_num = 1
    extra = 0
    verbose_name_plural = Leertijd._meta.verbose_name_plural


# Added here rather than in bijeenkomsten (which cannot know this app, above it).
BijeenkomstAdmin.inlines = [*BijeenkomstAdmin.inlines, LeertijdInline]
