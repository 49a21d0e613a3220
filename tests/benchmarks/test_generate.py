"""The benchmark generator at a tiny scale: the counts it promises, and the same rows for the same
seed. No timings here: speed is proven by `make bench`, never by a timed test."""

import datetime
import hashlib

import pytest
from django.db import connection, transaction

from benchmarks import generate as bench
from core import workdays
from dossiers.models import Dossier
from indicators.models import Criterion, ScoreLine
from organizations.models import OrgUnit
from tasks.models import Assignment, AssignmentPeriod, ProgressReport, Task

END = datetime.date(2026, 6, 30)
# 2 directives, 10 tasks, 24 assignments, 80 reports, 1,200 dossiers; units and framework full.
SCALE = 0.0004


def _digest(rows) -> str:
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def _fingerprint() -> dict:
    """What was generated, by natural keys (ids and creation times differ between runs)."""
    task_key = ("task__directive__number", "task__item_number", "unit__code")
    return {
        "units": OrgUnit.objects.count(),
        "tasks": Task.objects.count(),
        "assignments": Assignment.objects.count(),
        "reports": ProgressReport.objects.count(),
        "dossiers": Dossier.objects.filter(source=bench.SOURCE).count(),
        "sub_criteria": Criterion.objects.filter(children__isnull=True).count(),
        "score_lines": ScoreLine.objects.count(),
        "task_rows": _digest(
            Task.objects.order_by("directive__number", "item_number").values_list(
                "directive__number", "item_number", "title", "lead_unit__code", "deadline"
            )
        ),
        "assignment_rows": _digest(
            Assignment.objects.order_by(*task_key).values_list(
                *task_key, "role", "state", "deadline", "started_on", "completed_on"
            )
        ),
        "period_rows": _digest(
            AssignmentPeriod.objects.order_by(
                "assignment__task__directive__number",
                "assignment__task__item_number",
                "assignment__unit__code",
                "period_start",
            ).values_list("period_start", "deadline", "state", "completed_on")
        ),
        "report_rows": _digest(
            ProgressReport.objects.order_by(
                "assignment__task__directive__number",
                "assignment__task__item_number",
                "assignment__unit__code",
                "report_date",
                "percent",
            ).values_list("percent", "report_date", "reports_done")
        ),
        "dossier_rows": _digest(
            Dossier.objects.filter(source=bench.SOURCE)
            .order_by("code")
            .values_list(
                "code",
                "unit__code",
                "procedure__code",
                "channel",
                "state",
                "received_at",
                "due_at",
                "finished_at",
                "overdue_date",
            )
        ),
        "score_rows": _digest(
            ScoreLine.objects.order_by("assessment__unit__code", "criterion__path").values_list(
                "assessment__unit__code", "criterion__code", "self_score", "appraisal_1"
            )
        ),
    }


def _generate_and_fingerprint() -> dict:
    workdays.invalidate()
    with transaction.atomic():
        bench.generate(scale=SCALE, end=END)
        fingerprint = _fingerprint()
        transaction.set_rollback(True)  # the second run starts from the same empty database
    return fingerprint


def test_a_tiny_province_has_the_promised_counts_and_the_same_rows_for_the_same_seed(db):
    if connection.vendor != "postgresql":
        pytest.skip("the generator writes with PostgreSQL COPY; CI runs this on PostgreSQL")
    # Given the sizes of the tiny scale
    sizes = bench.Sizes.for_scale(SCALE)
    # When the province is generated twice with the same seed
    first = _generate_and_fingerprint()
    second = _generate_and_fingerprint()
    # Then it has what the generator promises
    assert first["units"] == bench.UNITS
    assert first["tasks"] == sizes.tasks
    assert first["assignments"] == sizes.assignments
    assert first["reports"] == sizes.reports
    assert first["dossiers"] == sizes.dossiers
    assert first["sub_criteria"] == bench.SUB_CRITERIA
    assert first["score_lines"] == bench.UNITS * bench.SUB_CRITERIA
    # And the second run wrote the very same rows
    assert first == second


def test_the_generator_refuses_sqlite_with_a_clear_message(db, capsys):
    if connection.vendor == "postgresql":
        pytest.skip("checks the SQLite refusal")
    with pytest.raises(SystemExit):
        bench.generate(scale=SCALE, end=END)
    assert "PostgreSQL only" in capsys.readouterr().err


def test_the_bench_creates_its_database_once(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from benchmarks.database import ensure_database

    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:5432/cchc_bench_probe"
    try:
        assert ensure_database(url) is True
        assert ensure_database(url) is False
    finally:
        import psycopg2

        admin = psycopg2.connect(dbname="postgres", user=settings["USER"], host=settings["HOST"])
        admin.autocommit = True  # DROP DATABASE cannot run inside a transaction
        with admin.cursor() as cursor:
            cursor.execute("DROP DATABASE IF EXISTS cchc_bench_probe")
        admin.close()
