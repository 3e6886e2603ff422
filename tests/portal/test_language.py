"""One word for one thing: "inloggen/uitloggen" is the account, "aanmelden/afmelden" a meeting.

allauth's own Dutch catalogue uses "aanmelden" for logging in; ours overrides it. The test reads
every message allauth can show and checks the Dutch the portal really renders."""

import gettext
import re
from pathlib import Path

import allauth
import pytest
from django.urls import reverse
from django.utils import translation

ALLAUTH_MO = Path(allauth.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "django.mo"
# Words that mean a meeting here, or are misspelt, or address the reader as "u".
WRONG = re.compile(
    r"[Aa]anmeld|[Aa]fmeld|[Aa]fgemeld|onmiddelijk|Bevestigings e-mail|"
    r"Bedankt voor het gebruiken|\b[Uu]w\b|\bu\b|IP adres"
)


def _allauth_messages() -> list[tuple[str | None, str]]:
    with ALLAUTH_MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog  # noqa: SLF001 (stdlib, read only)
    found = set()
    for key in catalogue:
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid:
            continue
        context, _, text = msgid.rpartition("\x04")
        found.add((context or None, text))
    return sorted(found, key=lambda item: (item[0] or "", item[1]))


def test_allauths_messages_say_inloggen_and_je_in_the_portals_dutch():
    messages = _allauth_messages()
    assert len(messages) > 300  # the walk reads the real catalogue
    wrong = []
    with translation.override("nl"):
        for context, text in messages:
            dutch = translation.pgettext(context, text) if context else translation.gettext(text)
            if WRONG.search(dutch):
                wrong.append((text, dutch))
    assert wrong == []


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
