"""Portal's start-up: the page cache's invalidation signals, and the domain's answers.

Portal is plumbing and imports no app. What only the domain knows (which networks a request
may manage in the admin, what decides what a user sees, which exports there are) the domain
registers with portal (`adminscope.register_scope`, `pagecache.register_audience`,
`exports.register`) from its `permissions` and `exports` modules, when they are imported.
Apps register what they hold on members with `leden.privacy` from their `privacy` module.
`ready()` imports those modules of every installed app, as the admin's autodiscovery imports
every `admin.py`, so the registrations are in place before the first request.
"""

from django.apps import AppConfig, apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from .pagecache import bump_content_version

# What the members' pages show: a save or delete of any of these invalidates cached pages.
PAGE_MODELS = [
    "netwerken.Koepel",
    "netwerken.Netwerk",
    "netwerken.Partnerorganisatie",
    "netwerken.Subregio",
    "bijeenkomsten.Halfjaarprogramma",
    "bijeenkomsten.Bijeenkomst",
    "bijeenkomsten.Programmaonderdeel",
    "bijeenkomsten.Materiaal",
    "bijeenkomsten.Aanmelding",
    "leden.Lid",
    "leden.Lidmaatschap",
]
PAGE_RELATIONS = [
    ("bijeenkomsten.Bijeenkomst", "netwerken"),
    ("netwerken.Netwerk", "partners"),
    ("netwerken.Netwerk", "coordinators"),
    # Staff rights (all networks) come from groups and permissions: who sees what.
    (settings.AUTH_USER_MODEL, "groups"),
    (settings.AUTH_USER_MODEL, "user_permissions"),
    ("auth.Group", "permissions"),
]


def _user_saved(sender, update_fields=None, **kwargs) -> None:
    # A login only stamps last_login: that changes no page.
    if update_fields is None or set(update_fields) - {"last_login", "password"}:
        bump_content_version()


def _authenticator_saved(sender, update_fields=None, **kwargs) -> None:
    # Activating TOTP puts staff and coordinator rights in force (netwerken.permissions): who
    # sees what changes. Using it (allauth stamps last_used_at) changes nothing.
    if update_fields is None or set(update_fields) - {"last_used_at"}:
        bump_content_version()


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        autodiscover_modules("permissions", "exports", "privacy")
        for label in PAGE_MODELS:
            model = apps.get_model(label)
            post_save.connect(bump_content_version, sender=model, dispatch_uid=f"page-{label}")
            post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"page-d-{label}")
        for label, field in PAGE_RELATIONS:
            through = getattr(apps.get_model(label), field).through
            m2m_changed.connect(
                bump_content_version, sender=through, dispatch_uid=f"page-{label}-{field}"
            )
        user = get_user_model()
        post_save.connect(_user_saved, sender=user, dispatch_uid="page-user")
        post_delete.connect(bump_content_version, sender=user, dispatch_uid="page-d-user")
        authenticator = apps.get_model("mfa.Authenticator")
        post_save.connect(_authenticator_saved, sender=authenticator, dispatch_uid="page-mfa")
        post_delete.connect(bump_content_version, sender=authenticator, dispatch_uid="page-d-mfa")
