"""Fill an empty database with national-scale data: ``manage.py generate_scale --years 10 --scale 1``."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.generator import Generator

DEFAULT_PASSWORD = "Bench@2569"  # noqa: S105 - generated benchmark data only  # nosec B105


class Command(BaseCommand):
    help = "Generate N fiscal years of ALRO and DLA data at national scale (S=1) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=1, help="fiscal years, ending with the current one")
        parser.add_argument("--scale", type=float, default=1.0, help="1 = national scale")
        parser.add_argument("--seed", type=int, default=2570, help="the same seed gives the same data")
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password of every generated user")

    def handle(self, *args, years, scale, seed, password, **options):
        if not (settings.DEMO or settings.DEBUG):
            raise CommandError(
                "generate_scale runs only on a demo or development install (DEMO=1 or DEBUG=1)."
            )
        if not 1 <= years <= 20 or not 0 < scale <= 5:
            raise CommandError("--years is 1 to 20 and --scale above 0 up to 5.")
        started = time.monotonic()
        try:
            counts = Generator(
                years=years, scale=scale, seed=seed, password=password, stdout=self.stdout
            ).run()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        for table, rows in sorted(counts.rows.items()):
            self.stdout.write(f"  {table:<32} {rows:>10,}")
        self.stdout.write(
            self.style.SUCCESS(f"{counts.total:,} rows in {time.monotonic() - started:.0f} s (seed {seed}).")
        )
