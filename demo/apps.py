from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data (`manage.py seed_demo`): the top layer, free to use every app below it."""

    name = "demo"
    verbose_name = _("Demo data")
