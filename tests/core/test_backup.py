"""Backup and restore on PostgreSQL: restore into a fresh database, same rows, same files."""

import hashlib
import io
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from core.backup import backup_create
from organizations.models import OrgUnit, UnitImport
from tests.factories import OrgUnitFactory

ROOT = Path(__file__).resolve().parents[2]


def _admin_connection():
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        user=db.get("USER") or "postgres",
        password=db.get("PASSWORD") or None,
        dbname="postgres",
    )
    conn.autocommit = True
    return conn


@pytest.fixture
def fresh_database():
    name = f"cchc_restore_{uuid.uuid4().hex[:8]}"
    conn = _admin_connection()
    with conn.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    yield name
    conn = _admin_connection()
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def _needs_postgresql():
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("backups use pg_dump: run with DATABASE_URL=postgres://... (CI does)")


@pytest.mark.django_db(transaction=True)
def test_restore_into_a_fresh_database_gives_the_same_rows_and_files(
    tmp_path, home_affairs, fresh_database
):
    _needs_postgresql()
    # given units and an uploaded file
    for number in range(7):
        OrgUnitFactory(code=f"B{number}", parent=home_affairs.unit)
    upload = UnitImport(original_name="units.csv", created_by=home_affairs)
    upload.file.save("units.csv", io.BytesIO("Mã đơn vị,Tên\nB1,Một\n".encode()), save=False)
    upload.save()
    original_sum = hashlib.sha256(Path(upload.file.path).read_bytes()).hexdigest()
    unit_count = OrgUnit.objects.count()
    # when it is backed up and restored into a fresh database and an empty media folder
    folder = backup_create(target_dir=tmp_path / "backups")
    db = settings.DATABASES["default"]
    restored_media = tmp_path / "restored-media"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cchc_portal.settings",
        "DATABASE_URL": f"postgres://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}"
        f":{db.get('PORT') or 5432}/{fresh_database}",
        "MEDIA_ROOT": str(restored_media),
        "CCHC_VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    # then the command finds the manifest's row counts and checksums...
    assert result.returncode == 0, result.stderr
    # ...and so does an independent look at the restored database and files
    conn = psycopg2.connect(
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        user=db.get("USER") or "postgres",
        dbname=fresh_database,
    )
    with conn.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM organizations_orgunit")
        assert cursor.fetchone()[0] == unit_count
        cursor.execute("SELECT file FROM organizations_unitimport")
        (stored_name,) = cursor.fetchone()
    conn.close()
    restored = restored_media / stored_name
    assert hashlib.sha256(restored.read_bytes()).hexdigest() == original_sum


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_backup_refuses_sqlite_with_a_clear_message(settings, tmp_path):
    settings.DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "x"}}
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("backup", "--output", str(tmp_path))
