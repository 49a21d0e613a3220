"""The bulk upsert of imports and pushes: COPY (PostgreSQL) and VALUES (SQLite) write the same
rows, the last row of a code wins, moved dossiers leave their rollup keys dirty, and a bad row
undoes everything."""

import datetime
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError, InternalError, connection, transaction
from django.utils import timezone

from core.models import JobStatus
from core.pgcopy import copy_text
from core.tabular import ImportFailed
from dossiers import services
from dossiers.models import Dossier, RollupDirtyKey
from dossiers.services import upserts
from tests.dossiers.factories import at
from tests.factories import OrgUnitFactory

D = datetime.date
HEADER = "Mã hồ sơ,Mã thủ tục,Mã đơn vị tiếp nhận,Hình thức nộp,Ngày tiếp nhận,Ngày hoàn thành\n"
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's"
)


def _parse(lookups, code, **values):
    raw = {
        "code": code,
        "procedure": "1.001",
        "unit": "STC",
        "channel": "online",
        "received_at": "16/03/2026 09:00",
        **values,
    }
    row, errors = services.dossier_parse_row(raw, row=2, lookups=lookups)
    assert not errors, errors
    return row


def _import(user, *lines, skip=False):
    uploaded = SimpleUploadedFile("hs.csv", (HEADER + "\n".join(lines) + "\n").encode())
    record = services.dossier_import_start(uploaded=uploaded, user=user, skip_bad_rows=skip)
    services.dossier_import_run(import_id=record.pk)
    record.refresh_from_db()
    return record


def _dirty():
    return set(RollupDirtyKey.objects.values_list("unit_id_value", "day"))


def _stored(source):
    return {
        values["code"]: {k: v for k, v in values.items() if k not in ("created_at", "updated_at")}
        for values in Dossier.objects.filter(source=source).values(*upserts.INSERT_COLUMNS[1:])
    }


def test_the_copy_line_is_the_row_in_copy_text_format(procedure, unit_a):
    # Given rows with blanks, a finish, and a code PostgreSQL must see escaped
    lookups = services.Lookups.load()
    rows = [
        _parse(lookups, "HS\t1\\x"),
        _parse(lookups, "HS2", finished_at="18/03/2026 10:00", returned_at="19/03/2026 08:00"),
        _parse(lookups, "HS3", state="rút hồ sơ", fee_required="không"),
    ]
    for seq, row in enumerate(rows, start=1):
        # Then the written-out line is what copy_text gives column by column
        generic = "\t".join(copy_text(value) for value in (seq, *upserts._row_values(row)))
        assert upserts._copy_line(seq, row) == generic + "\n"


@postgres_only
def test_the_copy_path_writes_the_same_rows_as_the_values_path(procedure, unit_a, unit_b):
    # Given the same rows, of every shape
    lookups = services.Lookups.load()
    rows = [
        _parse(lookups, "A1"),
        _parse(lookups, "A2", unit="STP", channel="Bưu chính", finished_at="20/03/2026 16:00"),
        _parse(lookups, "A3", received_at="2026-03-16T17:30:00Z", state="đang xử lý"),
        _parse(lookups, "A4", finished_at="17/03/2026", returned_at="18/03/2026 08:00"),
        _parse(lookups, "A5", state="dừng xử lý", paid_online="x", due_at="30/03/2026 17:00"),
    ]
    # When one copy is written with COPY and the other with the multi-VALUES statement
    with transaction.atomic():
        writer = upserts.DossierWriter(source="copy", batch_size=2)
        for row in rows:
            writer.add(row)
        assert writer.finish().written == 5
        upserts._insert_values(rows, source="values", now=timezone.now())
    # Then every column matches
    assert _stored("copy") == _stored("values")
    assert len(_stored("copy")) == 5


def test_the_last_row_of_a_code_in_one_file_wins(procedure, unit_a, unit_b, home_affairs):
    # Given a file that gives HS1 twice, at two units
    record = _import(
        home_affairs,
        "HS1,1.001,STC,Trực tuyến,16/03/2026 09:00,",
        "HS2,1.001,STC,Trực tuyến,16/03/2026 09:00,",
        "HS1,1.001,STP,Bưu chính,17/03/2026 09:00,18/03/2026 10:00",
    )
    # Then the last one is kept, once
    assert record.status == JobStatus.SUCCEEDED
    assert record.rows_written == 2
    kept = Dossier.objects.get(code="HS1")
    assert (kept.unit_id, kept.channel, kept.received_date) == (unit_b.pk, "postal", D(2026, 3, 17))
    assert kept.finished_date == D(2026, 3, 18)


def test_the_last_row_wins_across_batches(procedure, unit_a, unit_b, home_affairs, monkeypatch):
    monkeypatch.setattr("dossiers.services.imports.BATCH_SIZE", 1)
    _import(
        home_affairs,
        "HS1,1.001,STC,online,16/03/2026 09:00,",
        "HS1,1.001,STP,postal,17/03/2026 09:00,",
    )
    assert Dossier.objects.get(code="HS1").unit_id == unit_b.pk


def test_a_moved_dossier_leaves_its_old_keys_dirty(procedure, unit_a, unit_b, home_affairs):
    # Given two imported dossiers: one to move to another unit, one whose finish moves
    # (HS2 due 19/3, finished late on 20/3: finished and overdue that day)
    _import(
        home_affairs,
        "HS1,1.001,STC,online,16/03/2026 09:00,18/03/2026 10:00",
        "HS2,1.001,STC,online,16/03/2026 09:00,20/03/2026 10:00",
    )
    RollupDirtyKey.objects.all().delete()
    # When they are imported again: HS1 at STP, HS2 finished on time on 19/3
    record = _import(
        home_affairs,
        "HS1,1.001,STP,online,16/03/2026 09:00,18/03/2026 10:00",
        "HS2,1.001,STC,online,16/03/2026 09:00,19/03/2026 10:00",
    )
    # Then HS1's old receipt and finish days at STC, and the day HS2 left, are recomputed;
    # the days both keep at STC (16/3) stay marked only because HS1 left them
    assert record.status == JobStatus.SUCCEEDED
    assert _dirty() == {
        (unit_a.pk, D(2026, 3, 16)),
        (unit_a.pk, D(2026, 3, 18)),
        (unit_a.pk, D(2026, 3, 20)),
    }


def test_an_overdue_dossier_finished_leaves_its_overdue_day(procedure, unit_a, home_affairs):
    # Given an open dossier, due 19/3, counted overdue from 20/3
    _import(home_affairs, "HS1,1.001,STC,online,16/03/2026 09:00,")
    assert Dossier.objects.get().overdue_date == D(2026, 3, 20)
    RollupDirtyKey.objects.all().delete()
    # When it comes back finished on time
    _import(home_affairs, "HS1,1.001,STC,online,16/03/2026 09:00,18/03/2026 10:00")
    # Then only the overdue day it left is dirty
    assert _dirty() == {(unit_a.pk, D(2026, 3, 20))}


def test_a_bad_row_undoes_the_updates_and_their_dirty_keys(
    procedure, unit_a, unit_b, home_affairs, monkeypatch
):
    # Given an imported dossier
    _import(home_affairs, "HS1,1.001,STC,online,16/03/2026 09:00,")
    RollupDirtyKey.objects.all().delete()
    monkeypatch.setattr("dossiers.services.imports.BATCH_SIZE", 1)
    # When a file moves it and adds one, but has a bad row at the end
    record = _import(
        home_affairs,
        "HS1,1.001,STP,online,16/03/2026 09:00,",
        "HS9,1.001,STC,online,16/03/2026 09:00,",
        "HS10,1.001,STC,online,hôm qua,",
    )
    # Then nothing changed: the dossier stays, nothing is added, no key is marked
    assert record.status == JobStatus.FAILED
    assert record.rows_written == 0
    assert list(Dossier.objects.values_list("code", "unit_id")) == [("HS1", unit_a.pk)]
    assert not _dirty()


def test_moments_given_in_utc_fall_on_the_vietnamese_day(procedure, unit_a):
    # 17:30 UTC on 16/3 is 00:30 on 17/3 in Vietnam
    row = _parse(services.Lookups.load(), "HS1", received_at="2026-03-16T17:30:00Z")
    assert row.received_at == at(2026, 3, 17, 0, 30)
    assert row.received_date == D(2026, 3, 17)
    assert row.due_date == D(2026, 3, 20)  # three working days from 17/3


def test_the_writer_needs_a_transaction(transactional_db):
    with pytest.raises(RuntimeError):
        upserts.DossierWriter(source="x")


def test_a_row_given_twice_in_one_push_is_created_once(procedure, unit_a, unit_b):
    lookups = services.Lookups.load()
    first = _parse(lookups, "MC-1")
    second = _parse(lookups, "MC-1", unit="STP")
    outcome = services.dossiers_upsert(dossiers=[first, second], source="motcua")
    assert outcome == {"MC-1": "created"}
    assert Dossier.objects.get().unit_id == unit_b.pk


# --- Integrity without foreign-key constraints: one anti-join before the upsert -----------


@pytest.mark.parametrize("path", ["copy", "values"])
def test_rows_whose_unit_was_deleted_since_they_were_checked_are_refused_by_code(
    procedure, unit_a, path
):
    # Given rows parsed while their unit existed, then the unit deleted
    gone = OrgUnitFactory(code="GONE", name="Đơn vị đã xóa", parent=unit_a.parent)
    lookups = services.Lookups.load()
    rows = [_parse(lookups, "OK-1"), _parse(lookups, "LOST-1", unit="GONE")]
    gone.delete()
    # When they are written (the staging table's anti-join, or SQLite's lookups)
    with pytest.raises(ImportFailed) as refused, transaction.atomic():
        writer = upserts.DossierWriter(source="motcua")
        writer.postgres = writer.postgres and path == "copy"
        for row in rows:
            writer.add(row)
        writer.finish()
    # Then the write is refused, naming the dossier in Vietnamese, and nothing is written
    assert [(e.column, e.message) for e in refused.value.errors] == [
        ("unit", "Hồ sơ LOST-1: đơn vị tiếp nhận không còn tồn tại; chưa ghi dữ liệu nào.")
    ]
    assert not Dossier.objects.exists()


def test_an_import_whose_unit_is_deleted_while_it_runs_fails_with_the_dossier_named(
    procedure, unit_a, home_affairs, monkeypatch
):
    # Given an import that loaded the units before one was deleted
    gone = OrgUnitFactory(code="GONE", name="Đơn vị đã xóa", parent=unit_a.parent)
    loaded = services.Lookups.load()
    gone.delete()
    monkeypatch.setattr(upserts.Lookups, "load", classmethod(lambda cls: loaded))
    # When it runs
    record = _import(
        home_affairs,
        "HS-1,1.001,STC,Trực tuyến,16/03/2026 09:00,",
        "HS-2,1.001,GONE,Trực tuyến,16/03/2026 09:00,",
    )
    # Then it fails once, with the bad dossier named, and writes nothing
    assert record.status == JobStatus.FAILED
    assert record.error == "Tệp có lỗi; chưa nhập dữ liệu nào."
    assert [e["message"] for e in record.errors] == [
        "Hồ sơ HS-2: đơn vị tiếp nhận không còn tồn tại; chưa ghi dữ liệu nào."
    ]
    assert not Dossier.objects.exists()


@postgres_only
def test_the_dossier_table_keeps_only_the_indexes_its_queries_use(db):
    # Each index below is read by a query (the list's keyset, the rollup's event days, the
    # alerts, the upsert's conflict key, the incremental rollup's watermark); none exists for
    # a foreign-key check, and the table has no foreign-key constraint (the anti-join does it).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s", [Dossier._meta.db_table]
        )
        indexes = {name for (name,) in cursor.fetchall()}
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
            [Dossier._meta.db_table],
        )
        (foreign_keys,) = cursor.fetchone()
    assert foreign_keys == 0
    assert not any("procedure" in name for name in indexes)
    assert len(indexes) == 11


# --- The import's writer thread and the new-codes-first write (issue 17, perf-io) -----------


@postgres_only
def test_the_import_writes_its_batches_from_a_writer_thread_in_order(
    procedure, unit_a, unit_b, home_affairs, monkeypatch
):
    # Given batches of two rows, HS1 given in the first and again, moved, in the last
    monkeypatch.setattr("dossiers.services.imports.BATCH_SIZE", 2)
    threads = []
    write = upserts.DossierWriter._write

    def traced(self, buffer, codes):
        threads.append(threading.current_thread().name)
        return write(self, buffer, codes)

    monkeypatch.setattr(upserts.DossierWriter, "_write", traced)
    # When the file is imported
    record = _import(
        home_affairs,
        "HS1,1.001,STC,online,16/03/2026 09:00,",
        "HS2,1.001,STC,online,16/03/2026 09:00,",
        "HS3,1.001,STC,online,16/03/2026 09:00,",
        "HS4,1.001,STC,online,16/03/2026 09:00,",
        "HS1,1.001,STP,postal,17/03/2026 09:00,",
    )
    # Then the three batches were written by the writer thread, not the parsing one, in order:
    # every dossier is there and the last HS1 won
    assert record.status == JobStatus.SUCCEEDED
    main = threading.current_thread().name
    assert len(threads) == 3 and all(name != main for name in threads)
    assert Dossier.objects.count() == 4
    assert Dossier.objects.get(code="HS1").unit_id == unit_b.pk


@postgres_only
def test_a_failure_in_the_writer_thread_undoes_the_batches_already_written(
    procedure, unit_a, home_affairs, monkeypatch
):
    # Given an import whose lookups still know a unit deleted since, named on its last row,
    # written in batches of one (two good batches are upserted before the bad one)
    gone = OrgUnitFactory(code="GONE", name="Đơn vị đã xóa", parent=unit_a.parent)
    loaded = services.Lookups.load()
    gone.delete()
    monkeypatch.setattr(upserts.Lookups, "load", classmethod(lambda cls: loaded))
    monkeypatch.setattr("dossiers.services.imports.BATCH_SIZE", 1)
    # When it runs
    record = _import(
        home_affairs,
        "HS-1,1.001,STC,online,16/03/2026 09:00,",
        "HS-2,1.001,STC,online,16/03/2026 09:00,",
        "HS-3,1.001,GONE,online,16/03/2026 09:00,",
    )
    # Then the thread's refusal reaches the job, which fails naming the dossier, and the two
    # batches written before it are undone with the transaction
    assert record.status == JobStatus.FAILED
    assert [e["message"] for e in record.errors] == [
        "Hồ sơ HS-3: đơn vị tiếp nhận không còn tồn tại; chưa ghi dữ liệu nào."
    ]
    assert not Dossier.objects.exists()
    assert "dossier-writer" not in {thread.name for thread in threading.enumerate()}


def test_a_push_of_new_and_known_codes_tells_each_and_marks_only_the_moved_ones(
    procedure, unit_a, unit_b
):
    # Given a known dossier at STC
    lookups = services.Lookups.load()
    services.dossiers_upsert(dossiers=[_parse(lookups, "MC-1")], source="motcua")
    RollupDirtyKey.objects.all().delete()
    # When a push brings it moved to STP beside two new ones (one of them at STC)
    outcome = services.dossiers_upsert(
        dossiers=[
            _parse(lookups, "MC-2"),
            _parse(lookups, "MC-1", unit="STP"),
            _parse(lookups, "MC-3", unit="STP"),
        ],
        source="motcua",
    )
    # Then the known one is updated and the others created; only the days MC-1 left at STC are
    # dirty (received on 16/3, open and overdue from 20/3)
    assert outcome == {"MC-2": "created", "MC-1": "updated", "MC-3": "created"}
    assert dict(Dossier.objects.values_list("code", "unit_id")) == {
        "MC-1": unit_b.pk,
        "MC-2": unit_a.pk,
        "MC-3": unit_b.pk,
    }
    assert _dirty() == {(unit_a.pk, D(2026, 3, 16)), (unit_a.pk, D(2026, 3, 20))}


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-16T09:00:00+07:00",
        "2026-03-16T09:00:00Z",
        "2026-03-16T09:00:00-0530",
        "2026-03-16T23:59:59",
        "2026-3-16T09:00:00+07:00",  # one-digit month: strptime's reading
        "2026-02-30T09:00:00+07:00",  # no such day
        "2026-03-16T09:00:00+25:00",  # no such offset
    ],
)
def test_iso_moments_read_without_strptime_are_what_strptime_reads(text):
    # Given what the formats read one by one with strptime (naive values are Vietnam time)
    tz = timezone.get_current_timezone()
    expected = None
    for pattern in upserts.DATETIME_FORMATS:
        try:
            expected = datetime.datetime.strptime(text.replace("Z", "+0000"), pattern)  # noqa: DTZ007
            break
        except ValueError:
            continue
    if expected is None:
        # Then a value strptime refuses is refused with the same message
        with pytest.raises(ValueError, match="dd/mm/yyyy hh:mm"):
            upserts.parse_moment(text, tz)
        return
    expected = expected if expected.utcoffset() is not None else expected.replace(tzinfo=tz)
    # Then the fast reading gives the same moment at the same offset
    moment = upserts.parse_moment(text, tz)
    assert (moment, moment.utcoffset()) == (expected, expected.utcoffset())


def _wait_for_failure(writer):
    for _ in range(1000):  # the thread's failure, within seconds
        if writer._failure is not None:
            return
        time.sleep(0.01)


@postgres_only
def test_a_refusal_of_the_writer_thread_surfaces_when_the_block_is_left(procedure, unit_a):
    # Given a writer thread that refused a batch (its unit deleted since the rows were parsed)
    gone = OrgUnitFactory(code="GONE", name="Đơn vị đã xóa", parent=unit_a.parent)
    lookups = services.Lookups.load()
    row = _parse(lookups, "LOST-1", unit="GONE")
    gone.delete()
    with pytest.raises(ImportFailed) as refused, transaction.atomic():
        # When the block is left without finish() collecting it
        with upserts.DossierWriter(source="motcua", batch_size=1, overlap=True) as writer:
            writer.add(row)
            _wait_for_failure(writer)
    # Then the refusal is raised all the same, naming the dossier: nothing commits
    assert [e.message for e in refused.value.errors] == [
        "Hồ sơ LOST-1: đơn vị tiếp nhận không còn tồn tại; chưa ghi dữ liệu nào."
    ]


@postgres_only
def test_a_query_failing_after_the_writer_failed_reports_the_writers_error(
    procedure, unit_a, monkeypatch
):
    # Given a writer thread whose statement fails in the database, aborting the transaction
    # the caller shares with it
    def failing(self, temp, codes):
        with self._db.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")

    monkeypatch.setattr(upserts.DossierWriter, "_upsert_copied", failing)
    row = _parse(services.Lookups.load(), "HS-1")
    with pytest.raises(DataError) as raised, transaction.atomic():
        with upserts.DossierWriter(source="motcua", batch_size=1, overlap=True) as writer:
            writer.add(row)
            _wait_for_failure(writer)
            # When the caller's own next query fails on the aborted transaction
            Dossier.objects.count()
    # Then what surfaces is the writer's error (division by zero), cause of the caller's
    assert "division by zero" in str(raised.value)
    assert isinstance(raised.value.__cause__, InternalError)
