from django.core.management.base import BaseCommand

from dossiers.rollups import rollup_rebuild


class Command(BaseCommand):
    help = "Recompute the whole daily dossier rollup from the dossiers (safe to run any time)."

    def handle(self, *args, **options):
        rows = rollup_rebuild()
        self.stdout.write(f"{rows} rollup rows")
