from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NieuwsbriefConfig(AppConfig):
    name = "nieuwsbrief"
    verbose_name = _("Newsletter without an account")

    def ready(self) -> None:
        # A subscriber who creates an account keeps the subscription once allauth has verified
        # the address (see services.subscriber_link_account).
        from allauth.account.signals import email_confirmed

        from . import signals

        email_confirmed.connect(signals.address_verified, dispatch_uid="nieuwsbrief-verified")
