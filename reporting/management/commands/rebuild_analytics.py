"""Rebuild the analytics tables from scratch: assignment status rows and counts, and the dossier
rollups (daily and half-month). Safe to run twice and on any worker: each part takes its lock
(an advisory lock for the status tables, the rollup's watermark row) and replaces its rows in
one transaction."""

import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Rebuild the analytics tables (assignment status, dossier rollups). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--status-only", action="store_true", help="only the assignment status tables"
        )

    def handle(self, *args, **options):
        from dossiers.rollups import rollup_rebuild
        from reporting.analytics import status

        started = time.perf_counter()
        rows = status.rebuild()
        self.stdout.write(
            f"assignment status: {rows} rows in {time.perf_counter() - started:.1f} s"
        )
        if not options["status_only"]:
            started = time.perf_counter()
            rollups = rollup_rebuild()
            self.stdout.write(
                f"dossier rollup: {rollups} rows in {time.perf_counter() - started:.1f} s"
            )
