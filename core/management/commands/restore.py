from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup folder made by `backup`, then check row counts and file checksums."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        if not (folder / "manifest.json").is_file():
            raise CommandError(f"{folder} is not a backup folder (no manifest.json).")
        try:
            differences = backup_restore(source_dir=folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if differences:
            for what, (expected, found) in differences.items():
                self.stderr.write(f"{what}: expected {expected}, found {found}")
            raise CommandError("The restored data differs from the backup's manifest.")
        self.stdout.write("Restored; row counts and file checksums match the manifest.")
