from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemasConfig(AppConfig):
    name = "themas"
    verbose_name = _("Themes")
