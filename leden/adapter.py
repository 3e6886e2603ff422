"""allauth, adapted: its mails go through the outbox like every other mail.

allauth sends its mails (address confirmation, password reset, notices of a changed password
or address) inside the request, so with the SMTP server down sign-up and password reset
answered 500. Here allauth still renders its message in the request (its templates want the
request, and the secret link exists only now); the outbox keeps the rendering and the worker
sends it after the commit, retrying with growing delays like any other mail.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from berichten.outbox import queue_rendered_mail


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request  # as DefaultAccountAdapter.send_mail, minus send()
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        message = self.render_mail(template_prefix, email, {**ctx, **context})
        queue_rendered_mail(message=message)
