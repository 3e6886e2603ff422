from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BevragingenConfig(AppConfig):
    name = "bevragingen"
    verbose_name = _("Surveys")
