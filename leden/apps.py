from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedenConfig(AppConfig):
    name = "leden"
    verbose_name = _("Members")
