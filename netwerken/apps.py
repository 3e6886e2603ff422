from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetwerkenConfig(AppConfig):
    name = "netwerken"
    verbose_name = _("Networks")
