from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the members' pages show: a save or delete of any of these invalidates cached pages.
PAGE_MODELS = [
    "netwerken.Koepel",
    "netwerken.Netwerk",
    "netwerken.Partnerorganisatie",
    "netwerken.Subregio",
    "netwerken.Speerpunt",
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
    ("leden.User", "groups"),
    ("leden.User", "user_permissions"),
    ("auth.Group", "permissions"),
]


def _user_saved(sender, update_fields=None, **kwargs) -> None:
    from .pagecache import bump_content_version

    # A login only stamps last_login: that changes no page.
    if update_fields is None or set(update_fields) - {"last_login", "password"}:
        bump_content_version()


def _authenticator_saved(sender, update_fields=None, **kwargs) -> None:
    from .pagecache import bump_content_version

    # Activating TOTP puts staff and coordinator rights in force (portal.permissions): who
    # sees what changes. Using it (allauth stamps last_used_at) changes nothing.
    if update_fields is None or set(update_fields) - {"last_used_at"}:
        bump_content_version()


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.apps import apps
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .pagecache import bump_content_version

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
