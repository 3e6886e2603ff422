import time

from django.core.management.base import BaseCommand, CommandParser

from demo.data import load_demo, load_scale


class Command(BaseCommand):
    help = "Load the real networks and meetings plus fictitious members (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=int, default=0, help="also add about N synthetic members (benchmarks)"
        )

    def handle(self, *args, scale: int, **options) -> None:
        started = time.monotonic()
        load_demo()
        if scale:
            load_scale(scale, log=lambda text: self.stdout.write(f"  {text}"))
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded in {time.monotonic() - started:.1f} s.")
        )
