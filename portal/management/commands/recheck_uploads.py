from django.core.management.base import BaseCommand, CommandParser

from portal.uploads import stored_files_recheck


class Command(BaseCommand):
    help = (
        "Check files stored before uploads were rewritten and renamed by the portal; "
        "with --rewrite, store those that pass again under the portal's own name."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rewrite", action="store_true", help="rewrite files that pass")

    def handle(self, *args, rewrite: bool, **options) -> None:
        counts = stored_files_recheck(
            rewrite=rewrite, log=lambda text: self.stdout.write(f"  refused: {text}")
        )
        verb = "rewritten" if rewrite else "to rewrite (run with --rewrite)"
        self.stdout.write(
            f"{counts['ok']} in order, {counts['rewritten']} {verb}, {counts['refused']} refused."
        )
