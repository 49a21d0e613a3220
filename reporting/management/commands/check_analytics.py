"""Compare the analytics tables with the live derivation (tasks.status for assignments, the
dossier rollups against the dossiers) and print every difference; exit 1 on any."""

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compare the analytics tables with the live derivation; exit 1 on any difference."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=50, help="differences printed at most")

    def handle(self, *args, **options):
        from reporting.analytics.checks import check_all

        problems = check_all(limit=options["limit"])
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            self.stderr.write(f"{len(problems)} difference(s) (at most {options['limit']} shown)")
            sys.exit(1)
        self.stdout.write("the analytics tables equal the live derivation")
