"""One word for one thing, one form of address: "inloggen/uitloggen" is the account,
"aanmelden/afmelden" a meeting, and the portal says "je", never "u".

allauth's and Django's own Dutch catalogues use "aanmelden" for logging in and address the reader
as "u"; ours overrides them. The tests read every message allauth and Django's installed apps can
show (the admin's JavaScript too) and check the Dutch the portal really renders."""

import gettext
import json
import re
from pathlib import Path

import allauth
import django
import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

ALLAUTH_MO = Path(allauth.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "django.mo"
# Words that mean a meeting here, or are misspelt, or address the reader as "u".
WRONG = re.compile(
    r"[Aa]anmeld|[Aa]fmeld|[Aa]fgemeld|onmiddelijk|Bevestigings e-mail|"
    r"Bedankt voor het gebruiken|\b[Uu]w\b|\b[Uu]\b|\b[Uu]zelf\b|IP adres"
)


def _django_catalogues() -> dict[str, Path]:
    """Django's own Dutch catalogues the portal can show: its core one (form errors, CSRF page)
    and those of the installed django.contrib apps (admin, auth, contenttypes, ...)."""
    found = {
        "django": Path(django.__file__).parent
        / "conf"
        / "locale"
        / "nl"
        / "LC_MESSAGES"
        / "django.mo"
    }
    for app in apps.get_app_configs():
        mo = Path(app.path) / "locale" / "nl" / "LC_MESSAGES" / "django.mo"
        if app.name.startswith("django.") and mo.exists():
            found[app.name] = mo
    return found


DJANGO_CATALOGUES = _django_catalogues()


def _messages(mo: Path) -> list[tuple[str | None, str, bool]]:
    """Every (context, msgid, is_plural) in a compiled catalogue."""
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog  # noqa: SLF001 (stdlib, read only)
    found = set()
    for key in catalogue:
        plural = isinstance(key, tuple)
        msgid = key[0] if plural else key
        if not msgid:
            continue
        context, _, text = msgid.rpartition("\x04")
        found.add((context or None, text, plural))
    return sorted(found, key=lambda item: (item[0] or "", item[1]))


def _wrong_dutch(messages: list[tuple[str | None, str, bool]]) -> list[tuple[str, str]]:
    """The messages whose Dutch, as the portal renders it, says "u" or "aanmelden"; plurals in
    both their forms (the catalogue lookup goes by the singular msgid)."""
    wrong = []
    with translation.override("nl"):
        for context, text, plural in messages:
            if plural:
                dutch = [
                    translation.npgettext(context, text, text, n)
                    if context
                    else translation.ngettext(text, text, n)
                    for n in (1, 2)
                ]
            else:
                dutch = [
                    translation.pgettext(context, text) if context else translation.gettext(text)
                ]
            wrong += [(text, form) for form in dutch if WRONG.search(form)]
    return wrong


def test_allauths_messages_say_inloggen_and_je_in_the_portals_dutch():
    messages = _messages(ALLAUTH_MO)
    assert len(messages) > 300  # the walk reads the real catalogue
    assert _wrong_dutch(messages) == []


def test_the_django_catalogues_walked_are_the_installed_ones():
    assert {
        "django",
        "django.contrib.admin",
        "django.contrib.auth",
        "django.contrib.contenttypes",
    } <= set(DJANGO_CATALOGUES)


@pytest.mark.parametrize("catalogue", sorted(DJANGO_CATALOGUES))
def test_djangos_messages_say_inloggen_and_je_in_the_portals_dutch(catalogue):
    messages = _messages(DJANGO_CATALOGUES[catalogue])
    assert len(messages) > 5  # the walk reads the real catalogue
    assert _wrong_dutch(messages) == []


def test_the_admins_javascript_speaks_the_portals_dutch(client, coordinator_twente):
    client.force_login(coordinator_twente)
    response = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    script = response.content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\n\s*\});", script, re.S).group(1))
    assert len(catalogue) > 30  # the admin's whole catalogue, not just the portal's own
    dutch = [
        form
        for value in catalogue.values()
        for form in ([value] if isinstance(value, str) else value)
    ]
    assert "Alle kiezen" in "".join(dutch)  # it is Dutch
    assert [form for form in dutch if WRONG.search(form)] == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("account_login", "Inloggen"),
        ("account_signup", "Registreren"),
        ("account_reset_password", "wachtwoord"),
    ],
)
def test_account_pages_speak_of_inloggen_not_aanmelden(client, db, url, expected):
    html = client.get(reverse(url)).content.decode()
    assert expected in html
    assert not re.search(r"[Aa]anmeld|[Aa]fmeld", html), url


def test_logging_out_says_uitgelogd(client, cast):
    client.force_login(cast["kern_twente"])
    response = client.post(reverse("account_logout"), follow=True)
    html = response.content.decode()
    assert "Je bent uitgelogd." in html and "afgemeld" not in html


def test_programmes_are_named_in_words(client, twente):
    from tests import factories

    programma = factories.HalfjaarprogrammaFactory(netwerk=twente, jaar=2027, helft=1)
    factories.BijeenkomstFactory(netwerken=[twente], programma=programma)
    assert str(programma) == "Regionetwerk Twente, eerste helft 2027"
    html = client.get(programma.get_absolute_url()).content.decode()
    assert "programma voor de eerste helft 2027" in html
    assert "2027-1" not in html and "helft 1" not in html


def test_no_two_meetings_share_a_page_title(client, twente, rotterdam):
    from datetime import timedelta

    from django.utils import timezone

    from tests import factories

    begin = timezone.now().replace(hour=18) + timedelta(days=20)
    same = [
        factories.BijeenkomstFactory(titel="Sociaal café", netwerken=[netwerk], begin=begin + shift)
        for netwerk, shift in [
            (twente, timedelta()),
            (rotterdam, timedelta()),
            (twente, timedelta(days=7)),
        ]
    ]
    titles = set()
    for bijeenkomst in same:
        html = client.get(bijeenkomst.get_absolute_url()).content.decode()
        titles.add(re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip())
    assert len(titles) == 3, titles
    assert any("Regionetwerk Rotterdam" in title for title in titles)


def test_the_admin_is_named_and_speaks_the_portals_dutch(client, coordinator_twente, twente):
    client.force_login(coordinator_twente)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Regionet beheer" in index and "Django" not in index
    response = client.post(
        reverse("admin:bijeenkomsten_halfjaarprogramma_add"),
        {
            "netwerk": twente.pk,
            "jaar": 2031,
            "helft": 1,
            "themas": "",
            "toelichting": "",
            "bijeenkomsten-TOTAL_FORMS": 0,
            "bijeenkomsten-INITIAL_FORMS": 0,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Toegevoegd: halfjaarprogramma" in html, html[:3000]
    assert "De halfjaarprogramma" not in html and "met succes" not in html
