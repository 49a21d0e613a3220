"""`make bench`: every figure of issue 9 beside its floor and its target, as one table.

Run on the province of benchmarks.generate, on PostgreSQL and Redis only:

    DATABASE_URL=postgres://... REDIS_URL=redis://.../5 python -m benchmarks.run [--runs 20]

Each figure is timed `--runs` times after one warm-up run; the table shows the median and the
95th percentile, the query count of one run (CaptureQueriesContext) where the figure is a page,
and the floor measured in the same run where the issue names one. A figure whose code is not on
this branch yet is shown as "not available yet" with the reason, never estimated. Time targets
are judged on the p95 (the issue states them as upper bounds).

The bench writes (imports, pushes, new dossiers for the incremental rollup) and removes what it
wrote at the end, then rebuilds the rollup, so it can run again on the same data.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import html
import http.client
import json
import math
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import refuse_sqlite, setup_django, vacuum_analyze

IMPORT_SOURCE = "bench-import"
PUSH_SOURCE = "bench-push"
INCREMENT_SOURCE = "bench-increment"
IMPORT_ROWS = 100_000
PUSH_ROWS = 1_000
INCREMENT_ROWS = 10_000
LOAD_CLIENTS = 20
LOAD_SECONDS = 30
LOAD_MAX_REQUESTS = 50_000  # a bound on the load test, whatever the server does
# Where a leadership dashboard will live once the dashboards branch lands (first name found wins).
LEADERSHIP_URL_NAMES = (
    "reporting:leadership_dashboard",
    "dashboards:leadership",
    "dashboards:leader",
    "dashboards:province",
    "dashboards:index",
)


@dataclass
class Figure:
    name: str
    target: str = ""
    runs: int = 0
    samples: list[float] = field(default_factory=list)
    queries: int | None = None
    floor: list[float] = field(default_factory=list)
    other: str = ""
    verdict: str = ""
    unavailable: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def p95(self) -> float | None:
        """The 95th percentile (nearest rank: the 19th of 20, the 38th of 40); with fewer than
        20 runs that rank is the slowest run, and the table says "max" instead of passing it
        off as a p95."""
        return percentile(self.samples, 95) if self.samples else None

    @property
    def p95_is_max(self) -> bool:
        return bool(self.samples) and math.ceil(0.95 * len(self.samples)) >= len(self.samples)

    @property
    def floor_median(self) -> float | None:
        return statistics.median(self.floor) if self.floor else None

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.floor_median:
            return None
        return self.median / self.floor_median


def percentile(values: list[float], pct: float) -> float:
    """Nearest rank: the ceil(pct% x n)-th smallest value. With fewer than 20 runs the p95 is
    the slowest run; the table then says "max" (p95_is_max) instead of calling it a p95."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(pct / 100 * len(ordered)) - 1))
    return ordered[rank]


def timed(action: Callable[[], object], runs: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def count_queries(action: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def judge(figure: Figure, checks: list[tuple[bool | None, str]]) -> None:
    """pass when every check holds; miss names the ones that fail; n/a when one can't be told."""
    failed = [label for ok, label in checks if ok is False]
    unknown = [label for ok, label in checks if ok is None]
    if failed:
        figure.verdict = "miss (" + ", ".join(failed) + ")"
    elif unknown:
        figure.verdict = "n/a (" + ", ".join(unknown) + ")"
    else:
        figure.verdict = "pass"


def _within(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


# --- Pages --------------------------------------------------------------------------------


def logged_in(user):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def page_figure(name: str, client, url: str, runs: int, target: str = "") -> Figure:
    def fetch():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return response

    figure = Figure(name=name, target=target, runs=runs)
    figure.samples = timed(fetch, runs)
    figure.queries = count_queries(fetch)
    return figure


def personas():
    from django.db.models import Count

    from core.roles import Role
    from organizations.models import User
    from tasks.models import Assignment

    busiest = (
        Assignment.objects.values("unit_id")
        .annotate(n=Count("id"))
        .order_by("-n", "unit_id")
        .first()
    )
    head = (
        User.objects.filter(role=Role.UNIT_HEAD, unit_id=busiest["unit_id"]).order_by("pk").first()
    )
    return {
        "head": head,
        "home_affairs": User.objects.filter(role=Role.HOME_AFFAIRS).order_by("pk").first(),
        "leader": User.objects.filter(role=Role.LEADER).order_by("pk").first(),
    }


def leadership_url() -> str | None:
    from django.urls import NoReverseMatch, reverse

    for name in LEADERSHIP_URL_NAMES:
        with contextlib.suppress(NoReverseMatch):
            return reverse(name)
    return None


def _leadership_floor(leader):
    """The floor's statements for the page's default filters (the whole current plan year)."""
    from django.utils import timezone

    from benchmarks.leadership_floor import floor_queries
    from reporting.dashboards.periods import report_period

    period = report_period(timezone.localdate().year)
    return floor_queries(
        year=period.year,
        as_of=period.as_of,
        previous_as_of=period.previous().as_of,
        today=timezone.localdate(),
    )


def measure_leadership(people, runs: int) -> list[Figure]:
    """The page as computed (every panel from the database: the first visit of the day, any new
    filter) against the target and the floor; then as served with the panels' cache warm."""
    from django.db import connection
    from django.test.utils import override_settings

    target = "p95 <= 200 ms, <= 25 queries, <= 3x floor"
    url = leadership_url()
    if url is None:
        return [
            Figure(
                name="Leadership dashboard (whole page)",
                target=target,
                unavailable="no leadership dashboard URL on this branch",
            )
        ]
    client = logged_in(people["leader"])
    with override_settings(DASHBOARD_CACHE_SECONDS=0):
        cold = page_figure(
            "Leadership dashboard (whole page, every panel computed)", client, url, runs, target
        )
    statements = _leadership_floor(people["leader"])

    def floor():
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    cold.floor = timed(floor, runs)
    cold.other = f"floor: {len(statements)} hand-written statements (leadership_floor.py)"
    judge(
        cold,
        [
            (_within(cold.p95, 0.200), "p95"),
            (_within(cold.queries, 25), "queries"),
            (_within(cold.ratio, 3.0), "3x floor"),
        ],
    )
    warm = page_figure(
        "Leadership dashboard (whole page, panels cached as served)", client, url, runs, target
    )
    warm.floor = cold.floor
    judge(
        warm,
        [
            (_within(warm.p95, 0.200), "p95"),
            (_within(warm.queries, 25), "queries"),
            (_within(warm.ratio, 3.0), "3x floor"),
        ],
    )
    return [cold, warm]


def follow_cursor(client, url: str, pages: int) -> tuple[str, int]:
    """The URL of page `pages`, reached by following each page's "next" link."""
    link = re.compile(r'href="\?([^"]*after=[^"]*)"')
    current = url
    for page in range(1, pages):
        response = client.get(current)
        match = link.search(response.content.decode())
        if not match:
            return current, page
        current = f"{url}?{html.unescape(match.group(1))}"
    return current, pages


def measure_pages(people, runs: int) -> list[Figure]:
    from django.test.utils import override_settings
    from django.urls import reverse

    figures = measure_leadership(people, runs)
    head = logged_in(people["head"])
    with override_settings(DASHBOARD_CACHE_SECONDS=0):
        unit_dashboard = page_figure(
            "Unit dashboard (busiest unit's head, computed)",
            head,
            reverse("reporting:unit_dashboard"),
            runs,
        )
    unit_dashboard.other = f"unit {people['head'].unit.code}"
    figures.append(unit_dashboard)
    inbox = page_figure(
        "Unit inbox (tasks:inbox, busiest unit's head)", head, reverse("tasks:inbox"), runs
    )
    inbox.other = f"unit {people['head'].unit.code}"
    figures.append(inbox)
    home_affairs = logged_in(people["home_affairs"])
    figures.append(
        page_figure(
            "Assignment list, province-wide (Home Affairs)",
            home_affairs,
            reverse("tasks:assignment_list"),
            runs,
        )
    )
    leader = logged_in(people["leader"])
    figures.append(
        page_figure("Dossier dashboard (leader)", leader, reverse("dossiers:dashboard"), runs)
    )
    list_url = reverse("dossiers:dossier_list")
    first = page_figure("Dossier list, page 1 (leader)", leader, list_url, runs, "p95 <= 150 ms")
    judge(first, [(_within(first.p95, 0.150), "p95")])
    figures.append(first)
    deep_url, reached = follow_cursor(leader, list_url, 500)
    deep = page_figure(
        f"Dossier list, page {reached} (keyset)", leader, deep_url, runs, "p95 <= 150 ms"
    )
    judge(deep, [(_within(deep.p95, 0.150), "p95")])
    if reached < 500:
        deep.other = f"only {reached} pages of data at this scale"
    figures.append(deep)
    return figures


# --- Dashboards under five filter sets (issue 17) -----------------------------------------------


def leadership_filter_sets() -> dict[str, dict]:
    """Five filter sets a leader picks: the default, a past quarter (cut-off), the first half
    (calendar), the communes, and a CCHC area with last year's plan."""
    from django.utils import timezone

    from directives.models import CchcArea

    year = timezone.localdate().year
    area = CchcArea.objects.order_by("code").values_list("pk", flat=True).first()
    return {
        "default": {},
        "Q3 cut-off": {"period": "q3", "convention": "cutoff"},
        "6 months": {"period": "h1"},
        "communes": {"unit_level": "commune"},
        "last year, one area": {"year": year - 1, "area": area},
    }


def dossier_filter_sets(people) -> dict[str, dict]:
    from django.utils import timezone

    today = timezone.localdate()
    quarter = (today.month - 1) // 3 or 4
    return {
        "default": {},
        "last quarter, cut-off": {
            "year": today.year if quarter != 4 else today.year - 1,
            "quarter": quarter,
            "convention": "cutoff",
        },
        "communes": {"level": "commune"},
        "one unit": {"unit": people["head"].unit_id},
        "one month": {"year": today.year, "month": max(1, today.month - 1)},
    }


def unit_choices(people) -> dict[str, int]:
    """Five units: the busiest unit, and the first department, district and two communes."""
    from organizations.models import OrgUnit

    units = {"busiest unit": people["head"].unit_id}
    for label, level, skip in (
        ("a department", "province", 1),
        ("a district", "district", 0),
        ("a commune", "commune", 0),
        ("another commune", "commune", 7),
    ):
        pk = (
            OrgUnit.objects.filter(level=level, valid_to__isnull=True)
            .exclude(pk__in=units.values())
            .order_by("code")
            .values_list("pk", flat=True)[skip : skip + 1]
            .first()
        )
        if pk:
            units[label] = pk
    return units


def _with_query(url: str, params: dict) -> str:
    from urllib.parse import urlencode

    query = urlencode({key: value for key, value in params.items() if value is not None})
    return f"{url}?{query}" if query else url


def measure_dashboards(people, runs: int) -> list[Figure]:
    """The three dashboards, computed (cache off), each under five filter sets."""
    from django.test.utils import override_settings
    from django.urls import reverse

    figures = []
    leader = logged_in(people["leader"])
    with override_settings(DASHBOARD_CACHE_SECONDS=0):
        for label, params in leadership_filter_sets().items():
            figure = page_figure(
                f"Leadership dashboard, computed: {label}",
                leader,
                _with_query(reverse("reporting:leadership_dashboard"), params),
                runs,
                "p95 <= 150 ms",
            )
            judge(figure, [(_within(figure.p95, 0.150), "p95")])
            figures.append(figure)
        for label, pk in unit_choices(people).items():
            figure = page_figure(
                f"Unit dashboard (leader), computed: {label}",
                leader,
                reverse("reporting:unit_dashboard_of", args=[pk]),
                runs,
                "p95 <= 100 ms",
            )
            judge(figure, [(_within(figure.p95, 0.100), "p95")])
            figures.append(figure)
        for label, params in dossier_filter_sets(people).items():
            figure = page_figure(
                f"Dossier dashboard (leader): {label}",
                leader,
                _with_query(reverse("dossiers:dashboard"), params),
                runs,
                "p95 <= 150 ms",
            )
            judge(figure, [(_within(figure.p95, 0.150), "p95")])
            figures.append(figure)
    return figures


def measure_analytics(runs: int, rebuild_runs: int) -> list[Figure]:
    """The analytics tables: the refresh a workflow action runs on commit, a real action end
    to end, the full rebuild (twice or more: it must be safe to repeat), and the check."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from reporting.analytics import status
    from tasks import services
    from tasks.models import Assignment
    from tasks.status import WorkflowState

    year = timezone.localdate().year
    pool = list(
        Assignment.objects.filter(task__directive__year=year, task__recurrence="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng = random.Random(17)
    refresh = Figure(
        name="Status and counts refresh after one workflow action (status.refresh, one id)",
        target="p95 <= 1 s",
        runs=runs,
    )
    refresh.samples = timed(lambda: status.refresh([rng.choice(pool)]), runs)
    judge(refresh, [(_within(refresh.p95, 1.0), "p95")])

    # A real action through the service, its refresh run on commit: suspend then resume (the
    # pair leaves the assignment as it was). Timed: each action's transaction with its commit.
    home_affairs = _home_affairs()
    candidates = list(
        Assignment.objects.filter(pk__in=pool, state=WorkflowState.OPEN).order_by("pk")[: runs + 1]
    )
    action = Figure(
        name="Workflow action end to end (assignment_suspend, refresh on commit)",
        target="p95 <= 1 s",
        runs=len(candidates) - 1,
    )
    samples = []
    for assignment in candidates:
        started = time.perf_counter()
        with transaction.atomic():
            services.assignment_suspend(assignment=assignment, actor=home_affairs)
        samples.append(time.perf_counter() - started)
        with transaction.atomic():
            services.assignment_resume(assignment=assignment, actor=home_affairs)
    action.samples = samples[1:]  # the first is the warm-up
    judge(action, [(_within(action.p95, 1.0), "p95")])

    rebuild = Figure(
        name="Analytics status tables, full rebuild",
        target="p95 <= 30 s",
        runs=rebuild_runs,
    )
    rebuild.samples = timed(status.rebuild, rebuild_runs, warmup=0)
    from reporting.models import AssignmentStatusCount, AssignmentStatusRow, StatusAsOf

    rebuild.other = (
        f"{AssignmentStatusRow.objects.count():,} status rows on {StatusAsOf.objects.count()} "
        f"kept days, {AssignmentStatusCount.objects.count():,} count rows, "
        f"{Assignment.objects.count():,} assignments"
    )
    judge(rebuild, [(_within(rebuild.p95, 30.0), "p95")])

    check = Figure(name="Analytics check against the live derivation", runs=1)
    started = time.perf_counter()
    problems = status.check(limit=0)
    check.samples = [time.perf_counter() - started]
    check.other = f"{len(problems)} differences" + (f": {problems[0]}" if problems else "")
    judge(check, [(not problems, "differences")])
    return [refresh, action, rebuild, check]


def _home_affairs():
    from core.roles import Role
    from organizations.models import User

    return User.objects.filter(role=Role.HOME_AFFAIRS, is_active=True).order_by("pk").first()


# --- Rollup ---------------------------------------------------------------------------------


def _scratch_floor_sql() -> str:
    """One INSERT ... SELECT ... GROUP BY into a scratch table: the rollup's own event query
    without its DELETE and upsert, i.e. the least a full rebuild has to do."""
    from dossiers import rollups

    statement = rollups._insert_sql(scoped=False, upsert=False)
    body = statement.split("SELECT", 1)[1]
    return f"INSERT INTO bench_rollup_scratch SELECT{body}"


def measure_rollup(runs: int, heavy_runs: int, floor_runs: int) -> list[Figure]:
    from django.db import connection, transaction
    from django.db.models import F
    from django.utils import timezone

    from benchmarks.generate import generate_dossiers
    from dossiers import rollups
    from dossiers.models import Dossier, DossierDailyRollup

    total = Dossier.objects.count()
    full = Figure(
        name="Dossier rollup, full rebuild",
        target="p95 <= 60 s, <= 2x floor",
        runs=heavy_runs,
    )
    full.samples = timed(rollups.rollup_rebuild, heavy_runs)
    table = DossierDailyRollup._meta.db_table
    columns = "day, unit_id, field_id, level, channel, " + ", ".join(rollups.COUNTS)
    floor_sql = _scratch_floor_sql()

    def floor():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS bench_rollup_scratch AS "
                f"SELECT {columns} FROM {table} WITH NO DATA"
            )
            cursor.execute("TRUNCATE bench_rollup_scratch")
            cursor.execute(floor_sql)

    full.floor = timed(floor, floor_runs)
    full.other = f"{total:,} dossiers, {DossierDailyRollup.objects.count():,} rollup rows"
    judge(full, [(_within(full.p95, 60), "p95"), (_within(full.ratio, 2.0), "2x floor")])

    incremental = Figure(
        name=f"Dossier rollup, incremental after {INCREMENT_ROWS:,} new",
        target="p95 <= 2 s",
        runs=runs,
    )
    today = timezone.localdate()
    for run in range(runs + 1):  # the first is the warm-up
        with transaction.atomic():
            generate_dossiers(
                INCREMENT_ROWS,
                today,
                seed=9000 + run,
                source=f"{INCREMENT_SOURCE}-{run}",
                days=1,
                bulk_load=False,
                written_at=timezone.now(),
            )
        started = time.perf_counter()
        recomputed = rollups.rollup_incremental()
        if run:
            incremental.samples.append(time.perf_counter() - started)
        # An hour passes between two runs in production (the job is hourly): age this batch so
        # the next run's overlap window does not read it again.
        Dossier.objects.filter(source__startswith=INCREMENT_SOURCE).update(
            updated_at=F("updated_at") - datetime.timedelta(hours=1)
        )
    incremental.other = (
        f"{INCREMENT_ROWS:,} dossiers received today, stamped now; {recomputed:,} (unit, day) "
        "keys recomputed in the last run"
    )
    judge(incremental, [(_within(incremental.p95, 2.0), "p95")])
    return [full, incremental]


# --- Jobs -----------------------------------------------------------------------------------


def measure_jobs(runs: int) -> list[Figure]:
    """The two nightly jobs' services, doing their real work every run: the snapshots are
    upserted for today; the deadline scan reads a different day each run (a second scan of the
    same day only finds its keyed notifications already sent), and what it sent is removed."""
    import datetime as dt

    from django.utils import timezone

    from notifications.models import Notification
    from reporting import snapshots
    from tasks.services import reminders

    today = timezone.localdate()
    snapshot = Figure(name="Completion snapshot job (snapshots_compute, today)", runs=runs)
    snapshot.samples = timed(lambda: snapshots.snapshots_compute(day=today), runs)
    snapshot.queries = count_queries(lambda: snapshots.snapshots_compute(day=today))

    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    days = iter(today - dt.timedelta(days=offset) for offset in range(runs + 2))
    sent: list[int] = []

    def scan():
        sent.append(reminders.assignments_remind_deadlines(day=next(days)).total)

    scan_figure = Figure(name="Deadline scan job (assignments_remind_deadlines)", runs=runs)
    scan_figure.samples = timed(scan, runs)
    scan_figure.queries = count_queries(scan)
    scan_figure.other = f"{statistics.median(sent):,.0f} notifications sent per run (median)"
    Notification.objects.filter(pk__gt=before).delete()
    return [snapshot, scan_figure]


# --- Periodic CCHC report ---------------------------------------------------------------------


def measure_periodic_report(runs: int) -> Figure:
    """Issue 16: the province's annual report generated in full, as Home Affairs asks for it:
    the figures of the year's window computed from the dashboards' selectors (with the units'
    reports consolidated), the narrative written, the .docx rendered from the template and the
    annexes written as .xlsx. The bench opens the year's round if none is open and removes it
    (and everything it wrote) at the end."""
    from django.utils import timezone

    from core.roles import Role
    from organizations.models import User
    from periodic_reports import document, services
    from periodic_reports.models import ReportKind, ReportRound

    services.report_kinds_seed()
    home_affairs = User.objects.filter(role=Role.HOME_AFFAIRS, is_active=True).order_by("pk")[0]
    kind = ReportKind.objects.get(code="year")
    today = timezone.localdate()
    # the latest plan year whose window has begun (15/12 of the year before)
    year = today.year + 1 if today >= kind.window(today.year + 1)[0] else today.year
    opened = not ReportRound.objects.filter(kind=kind, year=year).exists()
    round_ = (
        services.round_open(actor=home_affairs, kind=kind, year=year, day=today)
        if opened
        else ReportRound.objects.get(kind=kind, year=year)
    )
    report = round_.reports.get(unit=None)
    sizes: list[int] = []

    def generate():
        version = services.report_save(report=report, actor=home_affairs, recompute=True)
        docx = document.render_docx(report, version)
        xlsx = document.render_xlsx(report, version)
        sizes.append(len(docx) + len(xlsx))

    figure = Figure(
        name=f"Province's annual CCHC report {year} (figures, .docx, .xlsx)",
        target="p95 <= 10 s",
        runs=runs,
    )
    try:
        figure.samples = timed(generate, runs)
        figure.queries = count_queries(generate)
        figure.other = f"{statistics.median(sizes) / 1024:,.0f} KiB of files per run"
    finally:
        if opened:
            round_.delete()
        else:
            report.versions.all().delete()
    judge(figure, [(_within(figure.p95, 10.0), "p95 > 10 s")])
    return figure


# --- Export ---------------------------------------------------------------------------------


def _probe(mode: str, *, memory: bool = False) -> dict:
    command = [sys.executable, "-m", "benchmarks.export_probe", "--mode", mode]
    completed = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        command + (["--memory"] if memory else []),
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def measure_export(heavy_runs: int, floor_runs: int) -> Figure:
    from tasks.models import Assignment

    figure = Figure(
        name=f"Excel export of {Assignment.objects.count():,} assignments",
        target="p95 <= 12 s, own peak <= 300 MB, <= 1.5x floor",
        runs=heavy_runs,
    )
    _probe("portal")  # warm-up (file cache, database buffers)
    portal = [_probe("portal") for _ in range(heavy_runs)]
    floor = [_probe("floor") for _ in range(floor_runs)]
    figure.samples = [result["seconds"] for result in portal]
    figure.floor = [result["seconds"] for result in floor]
    # The export's own peak: Python's allocations traced from its first row to its last, in
    # one more run of each (tracing slows the run, so it is not one of the timed ones).
    peak = _probe("portal", memory=True)["traced_peak_mb"]
    floor_peak = _probe("floor", memory=True)["traced_peak_mb"]
    figure.other = (
        f"export's own peak {peak:.1f} MB (traced; floor {floor_peak:.1f} MB), "
        f"{portal[0]['rows']:,} rows, {portal[0]['spec']}"
    )
    judge(
        figure,
        [
            (_within(figure.p95, 12), "p95"),
            (peak <= 300, "peak memory"),
            (_within(figure.ratio, 1.5), "1.5x floor"),
        ],
    )
    return figure


# --- Import and push ------------------------------------------------------------------------


def _dossier_csv(rows: int, run: int) -> bytes:
    from django.utils import timezone

    from dossiers.models import Procedure
    from organizations.models import OrgUnit

    procedures = list(Procedure.objects.order_by("code").values_list("code", "level"))
    units = {
        level: list(
            OrgUnit.objects.filter(level=level, valid_to__isnull=True)
            .order_by("code")
            .values_list("code", flat=True)
        )
        for level in ("province", "commune")
    }
    lines = ["Mã hồ sơ,Mã thủ tục,Mã đơn vị tiếp nhận,Hình thức nộp,Ngày tiếp nhận,Ngày hoàn thành"]
    day = timezone.localdate() - datetime.timedelta(days=30)
    for number in range(rows):
        code, level = procedures[number % len(procedures)]
        pool = units["province"] if level == "province" else units["commune"]
        unit = pool[number % len(pool)]
        received = day + datetime.timedelta(days=number % 20)
        channel = "Trực tuyến" if number % 2 else "Trực tiếp"
        finished = (received + datetime.timedelta(days=2)).strftime("%d/%m/%Y 15:00")
        lines.append(
            f"IMP{run}-{number:07d},{code},{unit},{channel},"
            f"{received:%d/%m/%Y} 09:{number % 60:02d},{finished if number % 3 else ''}"
        )
    return ("\n".join(lines) + "\n").encode()


def _backend_cpu_seconds() -> float | None:
    """CPU seconds this connection's PostgreSQL backend has used (a local server: /proc)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_import(runs: int, rows: int) -> Figure:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.models import JobStatus
    from dossiers import services

    people = personas()
    figure = Figure(
        name=f"Dossier import, {rows:,}-row CSV",
        target=">= 25,000 rows/s",
        runs=runs,
    )
    cpu: list[float] = []  # Python's and the database backend's CPU seconds, per run
    for run in range(runs + 1):
        content = _dossier_csv(rows, run)
        record = services.dossier_import_start(
            uploaded=SimpleUploadedFile("bench.csv", content, "text/csv"),
            user=people["home_affairs"],
            source=IMPORT_SOURCE,
        )
        backend = _backend_cpu_seconds()
        python = time.process_time()
        started = time.perf_counter()
        services.dossier_import_run(import_id=record.pk)
        elapsed = time.perf_counter() - started
        python = time.process_time() - python
        after = _backend_cpu_seconds()
        if run and backend is not None and after is not None:
            cpu.append(python + after - backend)
        record.refresh_from_db()
        if record.status != JobStatus.SUCCEEDED:
            raise RuntimeError(f"import failed: {record.errors[:3]}")
        if run:
            figure.samples.append(elapsed)
        _remove_source(IMPORT_SOURCE)  # every run imports new rows into the same 3,000,000
    rate = rows / figure.median
    figure.other = f"{rate:,.0f} rows/s at the median"
    if cpu:
        # On a shared machine the wall clock carries the others' load; the CPU the import
        # itself used (Python plus its PostgreSQL backend) does not.
        figure.other += (
            f"; {rows / statistics.median(cpu):,.0f} rows per CPU-second "
            f"(median {statistics.median(cpu):.2f} CPU s a run), load {os.getloadavg()[0]:.1f}"
        )
    judge(figure, [(rate >= 25_000, "rows/s")])
    return figure


def measure_push(runs: int, *, atomic: bool = False) -> Figure:
    """The one-stop system's push of 1,000 dossiers (new codes each run), through the API as
    the service account sends it; with `atomic`, all or nothing (atomic=true)."""
    from django.contrib.auth.models import Permission
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from core.roles import Role
    from dossiers.models import Procedure
    from organizations.models import OrgUnit, User
    from organizations.services import user_create

    service = User.objects.filter(username="bench.motcua").first()
    if service is None:
        service = user_create(
            username="bench.motcua",
            password=secrets.token_urlsafe(24),
            role=Role.UNIT_STAFF,
            unit=OrgUnit.objects.get(code="SNV"),
        )
        service.user_permissions.add(Permission.objects.get(codename="push_dossiers"))
    token, _created = Token.objects.get_or_create(user=service)
    client = APIClient(HTTP_HOST="127.0.0.1")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    procedure = Procedure.objects.filter(level="province").order_by("code").first()
    name = f"Push of {PUSH_ROWS:,} (p95)" + (", atomic=true" if atomic else "")
    figure = Figure(name=name, target="p95 <= 300 ms", runs=runs)
    prefix = "A" if atomic else "P"
    for run in range(runs + 1):
        batch = {
            "source": PUSH_SOURCE,
            "atomic": atomic,
            "dossiers": [
                {
                    "code": f"{prefix}{run}-{number:05d}",
                    "procedure": procedure.code,
                    "unit": "STP",
                    "channel": "online",
                    "received_at": "2026-03-16T09:00:00+07:00",
                    "finished_at": "18/03/2026 10:00" if number % 2 else None,
                }
                for number in range(PUSH_ROWS)
            ],
        }
        started = time.perf_counter()
        response = client.post("/api/v1/dossiers/push/", batch, format="json")
        elapsed = time.perf_counter() - started
        body = response.json() if response.status_code == 200 else {}
        if response.status_code != 200 or body.get("rejected"):
            raise RuntimeError(f"push failed: {response.status_code} {str(body)[:300]}")
        if run:
            figure.samples.append(elapsed)
    judge(figure, [(_within(figure.p95, 0.300), "p95")])
    return figure


def _remove_source(source: str) -> int:
    """Delete the bench's own dossiers in one statement (they have no dependants); `source` is
    a LIKE pattern."""
    from django.db import connection

    from dossiers.models import Dossier

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Dossier._meta.db_table} WHERE source LIKE %s", [source])  # noqa: S608
        removed = cursor.rowcount
    if removed:
        # The next figure must not walk the dead rows nor plan with stale statistics.
        vacuum_analyze(Dossier._meta.db_table)
    return removed


def clean_up() -> str:
    from cchc_portal.celery import app
    from dossiers import rollups
    from dossiers.models import DossierImport

    removed = _remove_source(IMPORT_SOURCE) + _remove_source(PUSH_SOURCE)
    more = _remove_source(f"{INCREMENT_SOURCE}-%")
    for record in DossierImport.objects.filter(source=IMPORT_SOURCE):
        record.file.delete(save=False)
        record.delete()
    rollups.rollup_rebuild()
    # Jobs the services queued while measuring (imports, rollups) are not wanted by anyone.
    with contextlib.suppress(Exception):
        app.control.purge()
    return f"{removed + more:,} bench dossiers removed"


# --- Load -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return True
        time.sleep(0.2)
    return False


def measure_load(people) -> list[Figure]:
    """The leadership dashboard as served under load, two rows from one gunicorn: its default
    view only (the row of the 22/11 run), then the five filter sets of the dashboards step in
    rotation (request n of a client asks for set n mod 5), as leaders picking filters would."""
    from django.conf import settings
    from django.urls import reverse

    url = leadership_url()
    user = people["leader"]
    name = "Load: leadership dashboard"
    rotating = []
    if url is None:
        url, user = reverse("tasks:inbox"), people["head"]
        name = "Load: unit inbox (leadership dashboard not on this branch)"
    else:
        sets = leadership_filter_sets()
        rotating = [_with_query(url, params) for params in sets.values()]
    server_text = f"{LOAD_CLIENTS} clients, {LOAD_SECONDS} s, gunicorn 2 workers (gthread)"
    figures = [Figure(name=f"{name}, {server_text}", target=">= 50 req/s, no error")]
    if rotating:
        figures.append(
            Figure(
                name=f"{name} under its five filter sets in rotation, {server_text}",
                target=">= 100 req/s, no error",
            )
        )
    session = logged_in(user).cookies[settings.SESSION_COOKIE_NAME].value
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own server on loopback
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            "gunicorn.conf.py",  # the production settings (threads), two workers as the issue says
            "cchc_portal.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env={**os.environ, "GUNICORN_ACCESS_LOG": ""},
    )
    try:
        if not _wait_for(port, 60):
            for figure in figures:
                figure.unavailable = "gunicorn did not start within 60 s"
            return figures
        for figure, paths, minimum in zip(figures, ([url], rotating), (50, 100), strict=False):
            latencies, errors = _hammer(port, paths, session)
            figure.runs = len(latencies) + errors
            figure.samples = latencies
            rate = len(latencies) / LOAD_SECONDS
            figure.other = f"{rate:.1f} req/s, {errors} errors"
            if len(paths) > 1:
                figure.other += f" ({len(paths)} filter sets: {'; '.join(sets)})"
            judge(figure, [(rate >= minimum, "req/s"), (errors == 0, "errors")])
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    return figures


def _hammer(port: int, paths: list[str], session: str) -> tuple[list[float], int]:
    """LOAD_CLIENTS threads, each a new connection per request (gunicorn's sync workers close
    it), for LOAD_SECONDS or LOAD_MAX_REQUESTS in all, whichever comes first. Each client asks
    for `paths` in turn, starting at its own offset (so every path is asked for at once)."""
    from django.conf import settings

    stop_at = time.monotonic() + LOAD_SECONDS
    lock = threading.Lock()
    latencies: list[float] = []
    failures = [0]
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}", "Host": "127.0.0.1"}

    def client(offset: int):
        sent = offset
        while time.monotonic() < stop_at:
            with lock:
                if len(latencies) + failures[0] >= LOAD_MAX_REQUESTS:
                    return
            path = paths[sent % len(paths)]
            sent += 1
            started = time.perf_counter()
            ok = False
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                connection.close()
            except OSError:
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    failures[0] += 1

    threads = [
        threading.Thread(target=client, args=(number,), daemon=True)
        for number in range(LOAD_CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(LOAD_SECONDS + 60)
    return latencies, failures[0]


# --- Table ----------------------------------------------------------------------------------


def _duration(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 1:
        return f"{value * 1000:.0f} ms"
    return f"{value:.2f} s"


def table(figures: list[Figure]) -> str:
    header = (
        "| Figure | runs | median | p95 (or max) | queries | floor (median) | x floor | other "
        "| target | result |"
    )
    lines = [header, "|" + "---|" * 10]
    for figure in figures:
        if figure.unavailable:
            lines.append(
                f"| {figure.name} | — | — | — | — | — | — | "
                f"not available yet ({figure.unavailable}) | {figure.target or '—'} | n/a |"
            )
            continue
        ratio = f"{figure.ratio:.2f}" if figure.ratio is not None else "—"
        queries = str(figure.queries) if figure.queries is not None else "—"
        p95 = _duration(figure.p95)
        if figure.p95_is_max:
            p95 = f"{p95} (max)"  # too few runs for a p95: the slowest run, named as such
        lines.append(
            f"| {figure.name} | {figure.runs} | {_duration(figure.median)} | "
            f"{p95} | {queries} | {_duration(figure.floor_median)} | {ratio} | "
            f"{figure.other or '—'} | {figure.target or '—'} | {figure.verdict or '—'} |"
        )
    return "\n".join(lines)


def _machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    memory = ""
    with contextlib.suppress(OSError), open("/proc/meminfo") as meminfo:
        memory = f"{int(meminfo.readline().split()[1]) / 1024 / 1024:.0f} GB RAM"
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} cores, {memory}, PostgreSQL {version}, "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the start"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmarks of issue 9, printed as one table.")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per figure (>= 20)")
    parser.add_argument(
        "--floor-runs",
        type=int,
        default=5,
        help="timed runs of the rebuild's and the export's floors (reference points: their "
        "median is what the ratio uses)",
    )
    parser.add_argument(
        "--heavy-runs",
        type=int,
        default=20,
        help="timed runs of the rebuild and the export (each can take a minute at full scale)",
    )
    parser.add_argument(
        "--import-rows", type=int, default=IMPORT_ROWS, help="rows in the imported CSV"
    )
    parser.add_argument("--skip-load", action="store_true", help="leave out the load test")
    parser.add_argument(
        "--rebuild-runs", type=int, default=5, help="timed runs of the analytics rebuild"
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated steps to run (pages, dashboards, analytics, jobs, export, import, "
        "push, rollup); all by default",
    )
    args = parser.parse_args(argv)
    setup_django()
    refuse_sqlite()
    from django.conf import settings

    if not settings.REDIS_URL:
        raise SystemExit("The benchmarks need Redis: set REDIS_URL, e.g. redis://127.0.0.1:6379/5")
    from benchmarks.generate import already_generated

    if not already_generated():
        raise SystemExit("No benchmark province here: run `python -m benchmarks.generate` first.")

    started = time.perf_counter()
    machine = _machine()
    people = personas()
    steps: list[tuple[str, Callable[[], list[Figure]]]] = [
        ("pages", lambda: measure_pages(people, args.runs)),
        ("dashboards", lambda: measure_dashboards(people, args.runs)),
        ("analytics", lambda: measure_analytics(args.runs, args.rebuild_runs)),
        ("jobs", lambda: measure_jobs(args.runs)),
        ("periodic report", lambda: [measure_periodic_report(args.runs)]),
        ("export", lambda: [measure_export(args.heavy_runs, args.floor_runs)]),
        ("import", lambda: [measure_import(args.runs, args.import_rows)]),
        # Enough runs for a p95 that is not one run's hiccup (the 38th of 40).
        (
            "push",
            lambda: [
                measure_push(max(2 * args.runs, 40)),
                measure_push(max(2 * args.runs, 40), atomic=True),
            ],
        ),
        ("rollup", lambda: measure_rollup(args.runs, args.heavy_runs, args.floor_runs)),
    ]
    if args.only:
        chosen = {name.strip() for name in args.only.split(",")}
        steps = [(label, step) for label, step in steps if label in chosen]
    figures: list[Figure] = []
    try:
        for label, step in steps:
            step_started = time.perf_counter()
            measured = step()
            figures.extend(measured)
            # Each row as soon as it is measured: a long run stopped half-way keeps its figures.
            rows = table(measured).splitlines()[2:]
            sys.stderr.write("\n".join(rows) + "\n")
            sys.stderr.write(f"  {label} done in {time.perf_counter() - step_started:.0f} s\n")
    finally:
        sys.stderr.write(f"  clean-up: {clean_up()}\n")
    if not args.skip_load:
        figures.extend(measure_load(people))
    with tempfile.NamedTemporaryFile("w", delete=False, suffix=".md", prefix="bench-") as saved:
        saved.write(table(figures) + "\n")
    sys.stdout.write(
        f"\nBenchmarks {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC · {machine}\n\n"
        f"{table(figures)}\n\nTotal {time.perf_counter() - started:.0f} s; "
        f"table also in {saved.name}\n"
    )


if __name__ == "__main__":  # pragma: no cover
    main()
