"""The translation catalogues: what the source asks to translate, what each catalogue lacks,
and the English catalogue made from the source.

Source strings are English, so English needs no translator: `fill_english` gives every
message in the source (and every one the Dutch catalogue has, Django's and allauth's
overrides among them) an English entry equal to its msgid, keeps a deliberate English
wording where one was written, and drops what neither has any more. `missing` is what the
completeness test (tests/portal/test_catalogues.py) and `manage.py english_catalogue --check`
report: a source string without a (non-fuzzy) translation, like Decidim's i18n-tasks check.

The source is read as `makemessages` reads it (same extractor, same ignore patterns as
`make messages`), but nothing under locale/ is rewritten: the Dutch catalogue is only ever
appended to by hand (see the README), so that parallel branches merge.

Needs polib (a dev dependency) and GNU gettext's xgettext, as makemessages does.
"""

from __future__ import annotations

import contextlib
import gettext
import subprocess
from dataclasses import dataclass
from pathlib import Path

import django
import polib
from django.apps import apps
from django.conf import settings
from django.core.management.commands import makemessages

DOMAINS = ("django", "djangojs")
# As `make messages`: never the venv, the runtime files or the vendored bundles.
IGNORE = [".venv", "var", "static/vendor", "node_modules"]
SITE_LANGUAGES = ("nl", "en")
Key = tuple[str, str]  # (msgctxt, msgid)


def catalogue_path(language: str, domain: str = "django") -> Path:
    return Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / f"{domain}.po"


class _Extract(makemessages.Command):
    """makemessages that keeps the extracted template in memory instead of merging it into
    the catalogues."""

    def write_po_file(self, potfile: str, locale: str) -> None:
        self.extracted = Path(potfile).read_text(encoding="utf-8")


def source_messages(domain: str = "django") -> polib.POFile:
    """Every message the source marks for translation in `domain` (a .pot, in memory)."""
    command = _Extract()
    command.extracted = ""
    with contextlib.chdir(settings.BASE_DIR):  # makemessages reads the current directory
        command.run_from_argv(
            ["manage.py", "makemessages", "-l", "en", "-d", domain, "--verbosity", "0"]
            + [f"--ignore={pattern}" for pattern in IGNORE]
        )
    return polib.pofile(command.extracted) if command.extracted else polib.POFile()


def _key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt or "", entry.msgid)


def _translated(entry: polib.POEntry) -> bool:
    return entry.translated() and not entry.obsolete  # polib: fuzzy is not translated


def _installed_catalogues(language: str) -> list[gettext.NullTranslations]:
    """Django's and the installed apps' own catalogues (allauth's ...), not the portal's."""
    dirs = [Path(django.__file__).parent / "conf" / "locale"]
    dirs += [Path(app.path) / "locale" for app in apps.get_app_configs()]
    return [
        gettext.translation("django", str(d), [language], fallback=True)
        for d in dirs
        if d.is_dir() and d.resolve() not in {Path(p).resolve() for p in settings.LOCALE_PATHS}
    ]


def _translated_by_django(entry: polib.POEntry, language: str, domain: str) -> bool:
    """A template that overrides Django's or allauth's keeps their strings, which their own
    Dutch catalogues translate (English has them all, from `fill_english`)."""
    if language == "en" or domain != "django":
        return False
    for catalogue in _installed_catalogues(language):
        if entry.msgid_plural:
            text = (
                catalogue.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
                if entry.msgctxt
                else catalogue.ngettext(entry.msgid, entry.msgid_plural, 1)
            )
        elif entry.msgctxt:
            text = catalogue.pgettext(entry.msgctxt, entry.msgid)
        else:
            text = catalogue.gettext(entry.msgid)
        if text != entry.msgid:
            return True
    return False


@dataclass(frozen=True)
class Missing:
    language: str
    domain: str
    msgid: str
    where: str  # the first source reference, or "(the Dutch catalogue)"

    def __str__(self) -> str:
        return f"{self.language}/{self.domain}.po: {self.msgid!r} ({self.where})"


def missing(source: dict[str, polib.POFile] | None = None) -> list[Missing]:
    """The source strings a catalogue has no (non-fuzzy) translation for, in each language;
    and for English also what the Dutch catalogue translates (it must be as complete)."""
    found = []
    for domain in DOMAINS:
        pot = source[domain] if source else source_messages(domain)
        wanted = {_key(e): e for e in pot if e.msgid}
        nl_path = catalogue_path("nl", domain)
        if nl_path.exists():
            for entry in polib.pofile(str(nl_path)):
                if entry.msgid and _key(entry) not in wanted and not entry.obsolete:
                    wanted.setdefault(_key(entry), entry)
        for language in SITE_LANGUAGES:
            path = catalogue_path(language, domain)
            have = {}
            if path.exists():
                have = {_key(e): e for e in polib.pofile(str(path)) if _translated(e)}
            for key, entry in wanted.items():
                if key not in have and not _translated_by_django(entry, language, domain):
                    where = entry.occurrences[0][0] if entry.occurrences else "(nl catalogue)"
                    found.append(Missing(language, domain, entry.msgid, where))
    return found


def _english(entry: polib.POEntry) -> polib.POEntry:
    english = polib.POEntry(
        msgctxt=entry.msgctxt,
        msgid=entry.msgid,
        msgid_plural=entry.msgid_plural,
        # Files without line numbers: the catalogue changes only when the strings do.
        occurrences=[(path, "") for path in dict.fromkeys(p for p, _line in entry.occurrences)],
        comment=entry.comment,
        flags=[f for f in entry.flags if f != "fuzzy"],
    )
    if entry.msgid_plural:
        english.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
    else:
        english.msgstr = entry.msgid
    return english


def fill_english(domain: str = "django", source: polib.POFile | None = None) -> tuple[int, int]:
    """Write locale/en/LC_MESSAGES/<domain>.po (and .mo): every message of the source and of
    the Dutch catalogue, in English. A translated, non-fuzzy English entry whose text differs
    from its msgid is a deliberate wording and is kept. Returns (entries, newly filled)."""
    pot = source if source is not None else source_messages(domain)
    nl_path, en_path = catalogue_path("nl", domain), catalogue_path("en", domain)
    dutch = polib.pofile(str(nl_path)) if nl_path.exists() else polib.POFile()
    old = polib.pofile(str(en_path)) if en_path.exists() else polib.POFile()
    kept = {_key(e): e for e in old if _translated(e) and not e.obsolete}

    wanted: dict[Key, polib.POEntry] = {_key(e): e for e in pot if e.msgid}
    for entry in dutch:
        if entry.msgid and not entry.obsolete:
            wanted.setdefault(_key(entry), entry)

    english = polib.POFile(wrapwidth=79)
    english.metadata = {
        **(dutch.metadata or {}),
        "Language-Team": "English",
        "Language": "en",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
        "Content-Type": "text/plain; charset=UTF-8",
    }
    english.header = "English catalogue of Regionet: made by `make messages-en`; see README."
    filled = 0
    for key, entry in wanted.items():
        new = _english(entry)
        if key in kept:  # a deliberate wording, or the same text again
            new.msgstr, new.msgstr_plural = kept[key].msgstr, kept[key].msgstr_plural
        else:
            filled += 1
        english.append(new)
    en_path.parent.mkdir(parents=True, exist_ok=True)
    english.save(str(en_path))
    compile_catalogue(en_path)
    return len(english), filled


def restore_dutch_overrides(before: Path) -> int:
    """Put back into the Dutch catalogue the entries `before` (a copy of it taken before
    `makemessages -l nl --no-obsolete` ran) had for Django's and allauth's own strings: the
    portal's wording of them ("inloggen", "je"), which makemessages drops as they are not in
    the portal's source. Returns how many; compiles the .mo."""
    path = catalogue_path("nl")
    new = polib.pofile(str(path), wrapwidth=79)
    have = {_key(e) for e in new if not e.obsolete}
    restored = 0
    for entry in polib.pofile(str(before)):
        key = _key(entry)
        if entry.obsolete or not entry.msgid or key in have:
            continue
        if not _translated_by_django(entry, "nl", "django"):
            continue  # a string of our own that left the source: gone
        for stale in [e for e in new if e.obsolete and _key(e) == key]:
            new.remove(stale)
        new.append(entry)
        restored += 1
    new.save(str(path))
    compile_catalogue(path)
    return restored


def compile_catalogue(path: Path) -> None:
    """path's .mo next to it, with msgfmt's checks (placeholders, duplicates)."""
    subprocess.run(
        ["msgfmt", "--check", "-o", str(path.with_suffix(".mo")), str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
