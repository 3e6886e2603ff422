"""The one mail helper: three templates in, one multipart mail out.

`templates/emails/<name>_subject.txt`, `<name>.txt` and `<name>.html` are rendered with the same
context; every mail is marked `Auto-Submitted: auto-generated` (RFC 3834) so that out-of-office
replies and ticket systems leave it alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

SITE_NAME = "Regionet"


def render_mail(
    name: str,
    context: Mapping[str, Any],
    *,
    to: str | list[str],
    headers: Mapping[str, str] | None = None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    connection=None,
    from_email: str | None = None,
) -> EmailMultiAlternatives:
    """Build (not send) the mail `name` for `to`; attachments are (filename, content, mimetype)."""
    context = {"site_name": SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject: str = render_to_string(f"emails/{name}_subject.txt", context, using="text")
    subject = " ".join(subject.split())
    text = render_to_string(f"emails/{name}.txt", context, using="text")
    html = render_to_string(f"emails/{name}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=[to] if isinstance(to, str) else list(to),
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message
