from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActieplannenConfig(AppConfig):
    name = "actieplannen"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        # The followed action points' news joins the members' digest (bijeenkomsten.digest).
        from . import digest  # noqa: F401
