from collections.abc import Iterable
from datetime import date as Date
from datetime import datetime

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import get_language, to_locale

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


OG_DESCRIPTION_LENGTH = 300


@register.simple_tag(takes_context=True)
def opengraph(
    context: template.Context,
    *,
    title: str,
    description: str = "",
    date: datetime | Date | None = None,
    end: datetime | None = None,
    network: str | Iterable = "",
    type: str = "website",  # noqa: A002 (the Open Graph property's name)
) -> SafeString:
    """Open Graph tags for the page's head, so a link pasted in a chat or a newsletter shows
    what it is. Fill base.html's `opengraph` block with it:
    `{% block opengraph %}{% opengraph title=x date=y network=z description=w %}{% endblock %}`.
    The description starts with the date and the network(s) (names, or objects with `naam`);
    a date without a time (a plan agreed on, a survey's closing day) in DATE_FORMAT."""
    if isinstance(network, str):
        networks = network
    else:
        networks = ", ".join(getattr(n, "naam", str(n)) for n in network)
    when = ""
    if isinstance(date, datetime):
        when = tijdvak(date, end)
    elif date:
        when = local_date(date)
    text = " · ".join(p for p in (when, networks, squash(description)) if p)
    request = context.get("request")
    url = settings.SITE_URL + (request.path if request is not None else "/")
    tags = [
        ("og:type", type),
        ("og:site_name", "Regionet"),
        ("og:locale", to_locale(get_language() or settings.LANGUAGE_CODE)),
        ("og:title", squash(title)),
        ("og:description", Truncator(text).chars(OG_DESCRIPTION_LENGTH)),
        ("og:url", url),
    ]
    return format_html_join("\n", '<meta property="{}" content="{}">', tags)
