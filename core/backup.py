"""Backups of the database and the uploaded files, and their restore.

A backup is a folder: `database.dump` (pg_dump custom format), `media.tar.gz` and
`manifest.json` (row counts per table and a SHA-256 per media file), so a restore can be
checked against what was saved. PostgreSQL only: the embedded SQLite mode is for trying the
portal out, and its single file can simply be copied.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone


class BackupError(RuntimeError):
    pass


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        raise BackupError("Backups need PostgreSQL (DATABASE_URL=postgres://...).")
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return env, args


def table_row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            # Table names come from the database's own catalogue and are quoted: no user input.
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # nosec B608
            counts[table] = cursor.fetchone()[0]
    return counts


def media_checksums(root: Path) -> dict[str, str]:
    sums = {}
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            sums[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return sums


def backup_create(*, target_dir: Path) -> Path:
    env, args = _pg_env_and_args()
    folder = target_dir / f"cchc-{timezone.localtime():%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True, exist_ok=False)
    dump = folder / "database.dump"
    # A fixed program with arguments from settings, never from a request.
    result = subprocess.run(  # nosec B603
        [
            "pg_dump",
            *args,
            "--format=custom",
            "--no-owner",
            "-f",
            str(dump),
            str(settings.DATABASES["default"]["NAME"]),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    manifest = {
        "created_at": timezone.now().isoformat(),
        "tables": table_row_counts(),
        "media": media_checksums(media_root),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return folder


def _safe_members(archive: tarfile.TarFile):
    for member in archive.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"Refusing a suspicious path in the archive: {member.name}")
        yield member


def backup_restore(*, source_dir: Path) -> dict:
    """Restore a backup folder into the configured (empty or existing) database and MEDIA_ROOT,
    then compare row counts and media checksums with its manifest. Returns the differences."""
    env, args = _pg_env_and_args()
    manifest = json.loads((source_dir / "manifest.json").read_text())
    # A fixed program with arguments from settings, never from a request.
    result = subprocess.run(  # nosec B603
        [
            "pg_restore",
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "-d",
            str(settings.DATABASES["default"]["NAME"]),
            str(source_dir / "database.dump"),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source_dir / "media.tar.gz", "r:gz") as archive:
        for member in _safe_members(archive):
            if member.isfile():
                relative = Path(*Path(member.name).parts[1:])
                destination = media_root / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as source:
                    destination.write_bytes(source.read())
    connection.close()  # the restore ran outside Django's connection: start afresh
    differences = {}
    counts = table_row_counts()
    for table, expected in manifest["tables"].items():
        if counts.get(table) != expected:
            differences[f"table {table}"] = (expected, counts.get(table))
    checksums = media_checksums(media_root)
    for name, expected in manifest["media"].items():
        if checksums.get(name) != expected:
            differences[f"file {name}"] = (expected, checksums.get(name))
    return differences
