"""Dates in the current language's own format, by name.

Django's `date` filter takes a format name only for its own settings (DATE_FORMAT, ...);
the portal also writes dates with a weekday in front, or without a year. Those names live
in the same format modules (settings.FORMAT_MODULE_PATH, `config/formats/<lang>/formats.py`),
so a template says `{{ begin|datum:"WEEKDAY_DATETIME_FORMAT" }}` and never a Dutch
"l j F Y, H:i". Times are shown in the site's zone (Europe/Amsterdam).
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.dateformat import format as dateformat
from django.utils.translation import get_language


def format_of(name: str, lang: str | None = None) -> str:
    """The format called `name` in `lang` (default: the current language)."""
    for module in formats.iter_format_modules(lang or get_language() or "nl"):
        if hasattr(module, name):
            return getattr(module, name)
    return str(formats.get_format(name, lang))


def local_date(value: date | datetime, name: str = "DATE_FORMAT") -> str:
    """`value` written in the current language's format `name`, an aware datetime in local
    time."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat(value, format_of(name))
