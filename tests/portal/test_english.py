"""English: every source string translated in both languages, and the English site without
Dutch.

The catalogue check is Decidim's i18n-tasks rule: the source strings are extracted as
`makemessages` extracts them, and a string without a (non-fuzzy) Dutch or English translation
fails the build, naming it and where it is. The crawl is a visitor's: from the home page in
English, every same-origin page a link leads to, with the demo data loaded; no page may show
the Dutch of the nl catalogue or Dutch words outside the content (what the database holds:
the demo's Dutch network descriptions and meeting titles are content, not source text).
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from bijeenkomsten.models import Aanmelding
from deelname.models import Deelnamebewijs
from portal import catalogues

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.fixture(scope="module")
def source() -> dict[str, polib.POFile]:
    # Extracting needs GNU gettext's xgettext, as makemessages does: skipped locally without
    # it (a fresh machine may lack it), required in CI (.ci/run installs it).
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext is required in CI (apt-get install gettext)")
        pytest.skip("GNU gettext (xgettext) is not installed")
    return {domain: catalogues.source_messages(domain) for domain in catalogues.DOMAINS}


def test_every_source_string_has_a_dutch_and_an_english_translation(source):
    gaps = catalogues.missing(source)
    assert gaps == [], (
        "add the Dutch at the end of locale/nl/LC_MESSAGES/django.po and run "
        "`make messages-en`:\n" + "\n".join(map(str, gaps))
    )


def test_the_check_finds_a_string_without_translation(source, tmp_path, settings):
    """The negative control: a new source string nobody translated is reported, in both
    languages, and a fuzzy entry counts as missing."""
    pot = polib.POFile()
    for entry in source["django"]:
        pot.append(entry)
    pot.append(polib.POEntry(msgid="A string nobody translated", occurrences=[("x.py", "1")]))
    fuzzy = next(e for e in polib.pofile(str(LOCALE / "nl/LC_MESSAGES/django.po")) if e.msgstr)
    settings.BASE_DIR = tmp_path
    for language in ("nl", "en"):
        (tmp_path / "locale" / language / "LC_MESSAGES").mkdir(parents=True)
        po = polib.pofile(str(LOCALE / language / "LC_MESSAGES/django.po"))
        if language == "nl":
            next(e for e in po if e.msgid == fuzzy.msgid).flags.append("fuzzy")
        po.save(str(tmp_path / "locale" / language / "LC_MESSAGES/django.po"))
    gaps = catalogues.missing({"django": pot, "djangojs": polib.POFile()})
    found = {(g.language, g.msgid) for g in gaps}
    assert ("nl", "A string nobody translated") in found
    assert ("en", "A string nobody translated") in found
    assert ("nl", fuzzy.msgid) in found


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("domain", catalogues.DOMAINS)
def test_compiled_catalogue_says_what_its_po_says(language, domain):
    """A .po edited without `msgfmt` (or `make messages-en`) would not show on the site."""
    po = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
    with (po.with_suffix(".mo")).open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # noqa: SLF001 (stdlib, read only)
    for entry in polib.pofile(str(po)).translated_entries():
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            assert compiled.get((key, 0)) == entry.msgstr_plural[0], entry.msgid
        else:
            assert compiled.get(key) == entry.msgstr, entry.msgid


def test_english_catalogue_has_every_entry_of_the_dutch_one():
    for domain in catalogues.DOMAINS:
        nl = {
            (e.msgctxt, e.msgid) for e in polib.pofile(str(catalogues.catalogue_path("nl", domain)))
        }
        en = {
            (e.msgctxt, e.msgid)
            for e in polib.pofile(str(catalogues.catalogue_path("en", domain))).translated_entries()
        }
        assert nl - en == set(), domain


# --- The English crawl -----------------------------------------------------------------------

# Words that are Dutch and not English; month and day names only in lower case, as Dutch
# writes them ("8 december", English "December 8").
DUTCH_WORDS = re.compile(
    r"\b(?:het|een|voor|niet|naar|jouw|jij|jouw|uw|wordt|worden|deze|geen|ook|maar|wij|jullie"
    r"|heeft|hebt|nog|zijn|bijeenkomsten?|aanmelden|aangemeld|afmelden|inloggen|uitloggen"
    r"|wachtwoord|gebruiker|leden|netwerken|opslaan|verzenden|zoeken|terug|volgende|vorige"
    r"|pagina|meer|welkom|programma|archief|mijn|profiel)\b",
    re.IGNORECASE,
)
DUTCH_DATES = re.compile(
    r"\b(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|januari|februari|maart"
    r"|mei|juni|juli|augustus|oktober|mrt|okt)\b"
)
# Not pages a visitor reads: the admin (staff), files, feeds, health checks.
SKIP = re.compile(r"^/(?:admin|static|media|export|healthz|favicon)|\.ics$|/logout/")
MAX_PAGES = 400
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


class _Text(HTMLParser):
    """The text a reader meets: text nodes (not script or style) and the attributes read out
    or shown (title, alt, aria-label, placeholder, a button's value); and the links."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[str] = []
        self.links: list[str] = []
        self.lang = ""
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang") or ""
        if tag in {"script", "style"}:
            self._skip += 1
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        for name in ("title", "alt", "aria-label", "placeholder"):
            if attributes.get(name):
                self.nodes.append(attributes[name])
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.nodes.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.nodes.append(" ".join(data.split()))


def _content() -> str:
    """Everything the database holds as text (the demo's content), one value a line."""
    values = []
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not getattr(f, "choices", None)
        ]
        if fields:
            for row in model._default_manager.values_list(*fields).iterator():
                values += [" ".join(str(v).split()) for v in row if v]
    return "\n".join(values)


def _dutch_phrases() -> list[str]:
    """The Dutch of the nl catalogue, where it differs from the English: each stretch between
    placeholders of two or more words."""
    phrases = set()
    english = set()
    for entry in polib.pofile(str(LOCALE / "nl/LC_MESSAGES/django.po")).translated_entries():
        english.add(entry.msgid)
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            if text == entry.msgid:
                continue
            for part in PLACEHOLDER.split(text):
                part = " ".join(part.split()).strip(" .,:;·()")
                if len(part) >= 10 and " " in part:
                    phrases.add(part)
    return sorted(phrases - english)


class _Content:
    """What the database holds as text, to leave out of a page's text: a node that is (part
    of) a stored value, and stored values inside a node; what remains is what templates and
    code wrote. Remembered per node: most nodes repeat from page to page."""

    def __init__(self) -> None:
        self.text = _content()
        self.values = sorted(
            {v for v in self.text.split("\n") if len(v) > 2}, key=len, reverse=True
        )
        self.seen: dict[str, list[str]] = {}

    def without_content(self, node: str) -> str:
        """`node` without what the database holds (the words templates and code wrote)."""
        bare = node.rstrip("…").strip()
        if bare in self.text:
            return ""
        for value in self.values:
            if value in node:
                node = node.replace(value, " ")
        return node

    def dutch_in(self, node: str) -> list[str]:
        """The Dutch words in `node` once the content is left out."""
        if node not in self.seen:
            found: list[str] = []
            if DUTCH_WORDS.search(node) or DUTCH_DATES.search(node):
                bare = node.rstrip("…").strip()
                if bare not in self.text:
                    for value in self.values:
                        if value in node:
                            node = node.replace(value, " ")
                    found = [
                        m[0] for m in (*DUTCH_WORDS.finditer(node), *DUTCH_DATES.finditer(node))
                    ]
            self.seen[node] = found
        return self.seen[node]


@pytest.mark.django_db
def test_english_crawl_of_every_page_a_visitor_reaches_shows_no_dutch(client):
    call_command("seed_demo")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = _Content()
    phrases = _dutch_phrases()
    # A certificate's verification page is reached from the certificate, not from a link.
    attended = Aanmelding.objects.filter(
        status=Aanmelding.Status.AANWEZIG, lid__isnull=False, bijeenkomst__leertijd__bewijs=True
    ).first()
    assert attended is not None
    bewijs = Deelnamebewijs.objects.create(aanmelding=attended)
    start = ["/", reverse("deelname:verificatie", args=[bewijs.code])]
    queue, seen, problems = deque((path, 0) for path in start), set(start), []
    visited = 0
    while queue and visited < MAX_PAGES:
        path, depth = queue.popleft()
        response = client.get(path)
        visited += 1
        if response.status_code in (301, 302):
            target = urlsplit(urljoin(path, response["Location"]))
            if not target.netloc and target.path not in seen and not SKIP.search(target.path):
                seen.add(target.path)
                queue.append((target.path + (f"?{target.query}" if target.query else ""), depth))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Text()
        parser.feed(response.content.decode())
        if parser.lang != "en":
            problems.append(f"{path}: <html lang={parser.lang!r}>")
        # The catalogue's Dutch in what templates and code wrote (the demo's content is Dutch).
        page = " ".join(content.without_content(node) for node in parser.nodes)
        problems += [f"{path}: Dutch of the nl catalogue: {p!r}" for p in phrases if p in page]
        for node in parser.nodes:
            for word in content.dutch_in(node):
                problems.append(f"{path}: Dutch word {word!r} in {node[:120]!r}")
        if depth >= 4:
            continue
        for href in parser.links:
            target = urlsplit(urljoin(path, href))
            if target.scheme not in ("", "http") or target.netloc not in ("", "testserver"):
                continue
            # A page once, whatever its sort or filter; pages of a list up to the third.
            query = target.query if re.fullmatch(r"pagina=[1-3]", target.query) else ""
            link = target.path + (f"?{query}" if query else "")
            if link not in seen and not SKIP.search(target.path):
                seen.add(link)
                queue.append((link, depth + 1))
    assert visited > 30, f"the crawl reached only {visited} pages"
    # Every kind of page a visitor reaches was among them.
    kinds = {
        "agenda": r"/",
        "archive": r"/bijeenkomsten/archief/",
        "meeting": r"/bijeenkomsten/[\w-]+/",
        "guest form": r"/bijeenkomsten/[\w-]+/gast/",
        "network": r"/netwerken/[\w-]+/",
        "programme": r"/netwerken/[\w-]+/programma/\d+/\d/",
        "login": r"/accounts/login/",
        "signup": r"/accounts/signup/",
        "password reset": r"/accounts/password/reset/",
        "newsletter": r"/nieuwsbrief/",
        "contact": r"/contact/",
        "network contact": r"/contact/netwerk/[\w-]+/",
        "umbrella contact": r"/contact/koepel/[\w-]+/",
        "confidential channel": r"/meldpunt/",
        "confidential channel return": r"/meldpunt/terugkeren/",
        "published survey results": r"/netwerken/[\w-]+/bevragingen/",
        "network action plan": r"/actieplannen/netwerk/[\w-]+/",
        "umbrella action plan": r"/actieplannen/koepel/[\w-]+/",
        "certificate verification": r"/v/[\w-]+",
    }
    reached = {k for k, pattern in kinds.items() if any(re.fullmatch(pattern, u) for u in seen)}
    assert reached == set(kinds), set(kinds) - reached
    assert problems == [], "\n".join(sorted(set(problems)))


@pytest.mark.django_db
def test_a_dutch_page_is_dutch_and_the_crawl_would_see_it(client):
    """The negative control: the same checks on the Dutch home page find Dutch."""
    call_command("seed_demo")
    response = client.get("/")  # no cookie: Dutch
    parser = _Text()
    parser.feed(response.content.decode())
    assert parser.lang == "nl"
    page = " ".join(parser.nodes)
    assert any(p in page for p in _dutch_phrases())
    content = _Content()
    assert any(content.dutch_in(node) for node in parser.nodes)


def test_make_messages_keeps_the_dutch_wording_of_allauths_strings_not_dead_ones(
    tmp_path, settings
):
    """makemessages --no-obsolete drops what is not in the source: the portal's Dutch for
    allauth's and Django's strings comes back, a string that left the source does not."""
    before = polib.pofile(str(LOCALE / "nl/LC_MESSAGES/django.po"))
    override = next(e for e in before if e.msgid == "Sign In")  # allauth's, ours: "Inloggen"
    before.append(polib.POEntry(msgid="A string that left the source", msgstr="Weg"))
    before.save(str(tmp_path / "before.po"))
    after = polib.POFile()
    after.metadata = before.metadata
    after.append(polib.POEntry(msgid="Agenda", msgstr="Agenda"))
    settings.BASE_DIR = tmp_path
    (tmp_path / "locale/nl/LC_MESSAGES").mkdir(parents=True)
    after.save(str(tmp_path / "locale/nl/LC_MESSAGES/django.po"))

    assert catalogues.restore_dutch_overrides(tmp_path / "before.po") > 0
    kept = {e.msgid: e.msgstr for e in polib.pofile(str(catalogues.catalogue_path("nl")))}
    assert kept["Sign In"] == override.msgstr
    assert "A string that left the source" not in kept
    assert (tmp_path / "locale/nl/LC_MESSAGES/django.mo").exists()
