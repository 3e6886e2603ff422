"""`manage.py english_catalogue`: make the English catalogue from the source and the Dutch
catalogue (see portal.catalogues); `--check`: only list what a catalogue lacks, and fail;
`--dutch-before`: first put back the Dutch overrides makemessages dropped (`make messages`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal import catalogues


class Command(BaseCommand):
    help = "Fill locale/en from the source strings (English) and the Dutch catalogue."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Change nothing; fail on a missing translation."
        )
        parser.add_argument(
            "--dutch-before",
            metavar="PO",
            help="The Dutch catalogue as it was before makemessages: keep its overrides of "
            "Django's and allauth's strings (make messages).",
        )

    def handle(self, *args, check: bool = False, dutch_before: str = "", **options) -> None:
        if dutch_before and not check:
            restored = catalogues.restore_dutch_overrides(Path(dutch_before))
            self.stdout.write(f"nl/django.po: {restored} overrides of Django's and allauth's kept")
        source = {domain: catalogues.source_messages(domain) for domain in catalogues.DOMAINS}
        if not check:
            for domain in catalogues.DOMAINS:
                total, filled = catalogues.fill_english(domain, source[domain])
                self.stdout.write(f"en/{domain}.po: {total} entries, {filled} filled from msgid")
        gaps = catalogues.missing(source)
        for gap in gaps:
            self.stderr.write(str(gap))
        if gaps:
            raise CommandError(f"{len(gaps)} missing translations (add the Dutch to locale/nl)")
        self.stdout.write("Every source string has a Dutch and an English translation.")
