from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BerichtenConfig(AppConfig):
    name = "berichten"
    verbose_name = _("Mail")
