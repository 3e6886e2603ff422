from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

from portal.formats import format_of, local_date

register = template.Library()


@register.filter
def tijdvak(begin: datetime, einde: datetime | None = None) -> str:
    """A meeting's time in the current language, e.g. "do 17 januari 2019, 19:30–21:30"."""
    begin = timezone.localtime(begin)
    text = date_format(begin, format_of("SHORT_WEEKDAY_DATETIME_FORMAT"))
    if einde is None:
        return text
    einde = timezone.localtime(einde)
    if einde.date() == begin.date():
        return f"{text}–{date_format(einde, format_of('TIME_FORMAT'))}"
    return f"{text} – {date_format(einde, format_of('SHORT_WEEKDAY_DATETIME_FORMAT'))}"


@register.filter(expects_localtime=True)
def datum(value, name: str = "DATE_FORMAT") -> str:
    """`value` in the current language's format `name` (see portal.formats), e.g.
    `{{ begin|datum:"WEEKDAY_DATETIME_FORMAT" }}`; "" for no value."""
    if not value:
        return ""
    return local_date(value, name)


@register.filter
def plaatsen_over(bijeenkomst) -> int | None:
    """Places left, from the `bezet` annotation; None when there is no limit."""
    if bijeenkomst.capaciteit is None:
        return None
    return max(bijeenkomst.capaciteit - getattr(bijeenkomst, "bezet", 0), 0)


@register.filter
def lookup(mapping, key):
    """`mapping[key]`, or None when absent (or when there is no mapping)."""
    return mapping.get(key) if mapping else None


@register.filter(is_safe=True)
def squash(value: str) -> str:
    """Runs of whitespace, newlines included, as one space (page titles, descriptions)."""
    return " ".join(str(value).split())
