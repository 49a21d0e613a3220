from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the PostgreSQL database and the uploaded files into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=Path("backups"))

    def handle(self, *args, output: Path, **options):
        try:
            folder = backup_create(target_dir=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(folder))
