"""A large province for the benchmarks, deterministic for a seed, on PostgreSQL only.

At --scale 1.0: 150 units (the demo province, five more historic districts and communes up to
150), 300 directives over five years, 25,000 tasks, 60,000 assignments (with the periods of
recurring tasks), 200,000 progress reports, 3,000,000 dossiers over one year and a framework of
100 sub-criteria scored by 150 units. Units, the framework and its scores do not scale; the rest
does (--scale 0.01 gives 250 tasks and 30,000 dossiers).

Small tables go through the services; big ones are written with COPY, with the derived columns
computed the way the services compute them (assignment deadlines and periods as
tasks.services.plans does, dossier dates by dossiers.services.derive_dates through
dossiers.demo.generate). History rows are not written for bulk rows (the services would write
one per change); nothing the benchmarks measure reads them.

    DATABASE_URL=postgres://... python -m benchmarks.generate --scale 0.1
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

if __name__ == "__main__":  # pragma: no cover - set up before the model imports below
    from benchmarks.common import setup_django

    setup_django()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.common import next_id, refuse_sqlite, sync_sequence  # noqa: E402
from core.bulkload import indexes_dropped  # noqa: E402
from core.pgcopy import copy_rows  # noqa: E402
from core.roles import Role  # noqa: E402
from core.text import fold_join, natural_key  # noqa: E402
from directives.models import CchcArea, Directive  # noqa: E402
from directives.services import directive_create  # noqa: E402
from dossiers import demo as dossiers_demo  # noqa: E402
from dossiers.models import Dossier  # noqa: E402
from indicators.models import (  # noqa: E402
    Assessment,
    AssessmentStage,
    Criterion,
    Framework,
    FrameworkPopulation,
    ScoreLine,
)
from indicators.services.frameworks import criterion_create, framework_create  # noqa: E402
from organizations import demo as organizations_demo  # noqa: E402
from organizations.models import OrgUnit, UnitKind, UnitLevel, User  # noqa: E402
from organizations.services import unit_create, unit_set_successors  # noqa: E402
from tasks.models import (  # noqa: E402
    Assignment,
    AssignmentPeriod,
    AssignmentRole,
    OutputKind,
    ProgressReport,
    ReportState,
    Task,
    TaskRecurrence,
)
from tasks.services import period_bounds  # noqa: E402
from tasks.status import WorkflowState  # noqa: E402

SEED = 20261122
SOURCE = "bench"  # Dossier.source of the generated dossiers
UNITS = 150
DIRECTIVES = 300
TASKS = 25_000
ASSIGNMENTS = 60_000
REPORTS = 200_000
DOSSIERS = 3_000_000
SUB_CRITERIA = 100  # 5 areas x 4 criteria x 5 sub-criteria, one point each
YEARS = 5
EXTRA_DISTRICTS = 5
COPY_BATCH = 20_000
USER_PREFIX = "bench."

PLACE_FIRST = ["An", "Bình", "Hòa", "Phú", "Tân", "Thạnh", "Long", "Mỹ", "Vĩnh", "Đông"]
PLACE_SECOND = ["Lợi", "Thành", "Hiệp", "Khánh", "Lộc", "Thịnh", "Điền", "Hải", "Sơn", "Xuân"]
TASK_VERBS = [
    "Rà soát, đơn giản hóa thủ tục hành chính",
    "Triển khai dịch vụ công trực tuyến toàn trình",
    "Kiện toàn tổ chức bộ máy",
    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "Tự đánh giá, chấm điểm Chỉ số CCHC",
    "Tuyên truyền về cải cách hành chính",
    "Kiểm tra công tác cải cách hành chính",
    "Báo cáo kết quả thực hiện nhiệm vụ",
]
TASK_OBJECTS = [
    "lĩnh vực đất đai",
    "lĩnh vực tư pháp - hộ tịch",
    "lĩnh vực đăng ký kinh doanh",
    "lĩnh vực xây dựng",
    "tại bộ phận một cửa",
    "theo Kế hoạch của UBND tỉnh",
    "trên Cổng dịch vụ công",
]
OUTPUTS = [OutputKind.REPORT, OutputKind.PLAN, OutputKind.DECISION, OutputKind.ACTIVITY]


@dataclass(frozen=True)
class Sizes:
    directives: int
    tasks: int
    assignments: int
    reports: int
    dossiers: int

    @classmethod
    def for_scale(cls, scale: float) -> Sizes:
        def scaled(full: int, least: int) -> int:
            return max(least, round(full * scale))

        tasks = scaled(TASKS, 10)
        assignments = max(tasks, scaled(ASSIGNMENTS, 10))
        return cls(
            directives=min(scaled(DIRECTIVES, 2), tasks),
            tasks=tasks,
            assignments=assignments,
            reports=scaled(REPORTS, 10),
            dossiers=scaled(DOSSIERS, 100),
        )


@dataclass
class Timings:
    parts: list[tuple[str, float, str]] = field(default_factory=list)

    def run(self, name: str, action: Callable[[], str], echo: bool) -> None:
        started = time.perf_counter()
        outcome = action()
        elapsed = time.perf_counter() - started
        self.parts.append((name, elapsed, outcome))
        if echo:
            print(f"  {name:<22} {elapsed:8.1f} s  {outcome}", flush=True)  # noqa: T201

    @property
    def total(self) -> float:
        return sum(elapsed for _name, elapsed, _outcome in self.parts)


def _spread(total: int, slots: int) -> list[int]:
    """Split `total` over `slots` as evenly as whole numbers allow (the sizes add up exactly)."""
    return [(total * (i + 1)) // slots - (total * i) // slots for i in range(slots)]


# --- Units and users --------------------------------------------------------------------------


def generate_units(rng: random.Random) -> str:
    organizations_demo.load()
    province = OrgUnit.objects.get(code="UBND")
    names = [f"{a} {b}" for a in PLACE_FIRST for b in PLACE_SECOND]
    rng.shuffle(names)
    missing = UNITS - OrgUnit.objects.count()
    communes_needed = missing - EXTRA_DISTRICTS
    communes = []
    for number in range(communes_needed):
        prefix, kind_name = ("P", "Phường") if number % 5 == 0 else ("X", "Xã")
        name = f"{kind_name} {names[number % len(names)]}"
        communes.append(
            unit_create(
                code=f"{prefix}-B{number + 1:03d}",
                name=name,
                short_name=name,
                kind=UnitKind.COMMUNE,
                level=UnitLevel.COMMUNE,
                parent=province,
                valid_from=organizations_demo.TWO_LEVEL_START,
            )
        )
    # Historic districts, abolished on 30/6/2025, each succeeded by a slice of the new communes.
    for number, share in enumerate(_spread(len(communes), EXTRA_DISTRICTS)):
        name = f"Huyện {names[-(number + 1)]}"
        district = unit_create(
            code=f"H-B{number + 1:02d}",
            name=name,
            short_name=name,
            kind=UnitKind.DISTRICT,
            level=UnitLevel.DISTRICT,
            parent=province,
            valid_to=organizations_demo.DISTRICTS_END,
        )
        start = sum(_spread(len(communes), EXTRA_DISTRICTS)[:number])
        unit_set_successors(unit=district, successors=communes[start : start + share])
    # One head and one staff member per unit, sharing one password hash (hashing 300 times
    # would take longer than everything else here).
    password = make_password(settings.DEMO_PASSWORD)
    users = []
    for unit in OrgUnit.objects.exclude(kind=UnitKind.PROVINCIAL_COMMITTEE).order_by("code"):
        for role, word in ((Role.UNIT_HEAD, "head"), (Role.UNIT_STAFF, "staff")):
            users.append(
                User(
                    username=f"{USER_PREFIX}{word}.{unit.code.lower()}",
                    password=password,
                    role=role,
                    unit=unit,
                    full_name=f"{'Trưởng' if word == 'head' else 'Chuyên viên'} {unit.short_name}",
                )
            )
    User.objects.bulk_create(users)
    return f"{OrgUnit.objects.count()} units, {len(users)} users"


def _units_on(units: list[OrgUnit], day: datetime.date) -> list[OrgUnit]:
    return [unit for unit in units if unit.is_valid_on(day)]


# --- Directives, tasks, assignments, periods, reports -----------------------------------------


@dataclass
class PlanRows:
    tasks: list[tuple] = field(default_factory=list)
    cooperating: list[tuple] = field(default_factory=list)
    assignments: list[tuple] = field(default_factory=list)
    periods: list[tuple] = field(default_factory=list)
    reports: list[tuple] = field(default_factory=list)


def generate_directives(rng: random.Random, sizes: Sizes, end: datetime.date) -> str:
    province = OrgUnit.objects.get(code="UBND")
    areas = list(CchcArea.objects.order_by("code"))
    first_year = end.year - YEARS + 1
    per_year = _spread(sizes.directives, YEARS)
    for offset, count in enumerate(per_year):
        year = first_year + offset
        last_day = min(end, datetime.date(year, 12, 31))
        span = (last_day - datetime.date(year, 1, 1)).days
        for serial in range(1, count + 1):
            issue_date = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(0, span))
            directive_create(
                number=f"{9000 + serial}/KH-UBND",
                issue_date=issue_date,
                summary=f"Kế hoạch cải cách hành chính số {9000 + serial} năm {year} (mô phỏng)",
                issuer=province,
                signer="Nguyễn Văn Bình",
                signer_position="Phó Chủ tịch",
                areas=[rng.choice(areas)],
            )
    return f"{Directive.objects.filter(number__startswith='9').count()} directives"


def _plan_rows(rng: random.Random, sizes: Sizes, today: datetime.date) -> PlanRows:
    """Build every task, assignment, period and report in memory, ids numbered in advance."""
    rows = PlanRows()
    directives = list(
        Directive.objects.filter(summary__endswith="(mô phỏng)").order_by("issue_date", "id")
    )
    units = list(OrgUnit.objects.exclude(kind=UnitKind.PROVINCIAL_COMMITTEE).order_by("code"))
    heads = {
        user.unit_id: user.pk
        for user in User.objects.filter(username__startswith=USER_PREFIX, role=Role.UNIT_HEAD)
    }
    staff = {
        user.unit_id: user.pk
        for user in User.objects.filter(username__startswith=USER_PREFIX, role=Role.UNIT_STAFF)
    }
    areas = list(CchcArea.objects.order_by("code").values_list("pk", flat=True))
    task_id, assignment_id = next_id(Task), next_id(Assignment)
    period_id, report_id = next_id(AssignmentPeriod), next_id(ProgressReport)
    now = timezone.now()
    tasks_per_directive = _spread(sizes.tasks, len(directives))
    cooperating_per_task = _spread(sizes.assignments - sizes.tasks, sizes.tasks)
    reports_per_assignment = iter(_spread(sizes.reports, sizes.assignments))
    task_number = 0
    for directive, task_count in zip(directives, tasks_per_directive, strict=True):
        pool = _units_on(units, directive.issue_date) or units
        for item in range(1, task_count + 1):
            recurring = rng.random() < 0.08
            deadline = None
            recurrence = ""
            start = end = None
            if recurring:
                recurrence = TaskRecurrence.QUARTERLY
                start, end = directive.issue_date, datetime.date(directive.issue_date.year, 12, 31)
            else:
                deadline = directive.issue_date + datetime.timedelta(days=rng.randint(30, 330))
            title = f"{rng.choice(TASK_VERBS)} {rng.choice(TASK_OBJECTS)}"
            expected = "Báo cáo kết quả gửi Sở Nội vụ"
            lead = rng.choice(pool)
            cooperating = [
                unit
                for unit in rng.sample(pool, cooperating_per_task[task_number] + 1)
                if unit != lead
            ][: cooperating_per_task[task_number]]
            task_number += 1
            rows.tasks.append(
                (
                    task_id,
                    directive.pk,
                    str(item),
                    title,
                    "",
                    lead.pk,
                    deadline,
                    recurrence,
                    5 if recurring else 0,
                    start,
                    end,
                    rng.choice(OUTPUTS),
                    expected,
                    rng.choice(areas),
                    rng.random() < 0.1,
                    "",
                    fold_join(str(item), title, "", expected),
                    natural_key(str(item)),
                )
            )
            for unit in cooperating:
                rows.cooperating.append((task_id, unit.pk))
            bounds = period_bounds(recurrence, start, end) if recurring else []
            for unit, role in [(lead, AssignmentRole.LEAD)] + [
                (unit, AssignmentRole.COOPERATING) for unit in cooperating
            ]:
                report_count = next(reports_per_assignment)
                period_rows = [
                    (period_id + n, p_start, p_end, p_end + datetime.timedelta(days=5))
                    for n, (p_start, p_end) in enumerate(bounds)
                ]
                period_id += len(period_rows)
                report_id = _assignment_rows(
                    rows,
                    rng,
                    today=today,
                    now=now,
                    ids=(task_id, assignment_id, report_id),
                    unit=unit,
                    role=role,
                    issued=directive.issue_date,
                    deadline=deadline,
                    periods=period_rows,
                    report_count=report_count,
                    author=staff.get(unit.pk),
                    head=heads.get(unit.pk),
                )
                assignment_id += 1
            task_id += 1
    # Any reports left over (fewer assignments than expected at tiny scales) are not written.
    return rows


def _assignment_rows(
    rows: PlanRows,
    rng: random.Random,
    *,
    today: datetime.date,
    now: datetime.datetime,
    ids: tuple[int, int, int],
    unit: OrgUnit,
    role: str,
    issued: datetime.date,
    deadline: datetime.date | None,
    periods: list[tuple],
    report_count: int,
    author: int | None,
    head: int | None,
) -> int:
    """One assignment (and its periods and reports) as report_submit and assignment_confirm would
    leave it: started on the first report, completed on the "done" report's day."""
    _task_id, assignment_id, report_id = ids
    roll = rng.random()
    # Work past its deadline is mostly done; current work is done a fifth of the time.
    due = deadline or (periods[-1][3] if periods else today)
    done = roll < (0.8 if due < today else 0.2)
    last_day = min(today, due + datetime.timedelta(days=rng.randint(-20, 15)))
    last_day = max(last_day, issued)
    state = WorkflowState.OPEN
    if done:
        state = (
            WorkflowState.CONFIRMED if rng.random() < 0.85 else WorkflowState.AWAITING_CONFIRMATION
        )
    elif roll > 0.99:
        state = WorkflowState.SUSPENDED
    span = max((last_day - issued).days, 0)
    days = sorted(
        issued + datetime.timedelta(days=rng.randint(0, span)) for _ in range(report_count)
    )
    percents = sorted(rng.randint(5, 95) for _ in range(report_count))
    if done and percents:
        percents[-1] = 100
    started_on = days[0] if days else None
    completed_on = days[-1] if done and days else None
    if done and not days:
        state, completed_on = WorkflowState.OPEN, None
    progress = percents[-1] if percents else 0
    if periods:
        # A recurring assignment carries its status in its periods; the assignment row keeps the
        # workflow state and progress of its latest report.
        for pk, p_start, p_end, p_deadline in periods:
            period_done = p_deadline < today and rng.random() < 0.85
            finished = min(p_deadline - datetime.timedelta(days=rng.randint(-3, 10)), today)
            rows.periods.append(
                (
                    pk,
                    assignment_id,
                    p_start,
                    p_end,
                    p_deadline,
                    None,
                    WorkflowState.CONFIRMED if period_done else WorkflowState.OPEN,
                    p_start if period_done else None,
                    finished if period_done else None,
                    100 if period_done else 0,
                    "",
                )
            )
        state = WorkflowState.OPEN if state != WorkflowState.SUSPENDED else state
        completed_on = None
    rows.assignments.append(
        (
            assignment_id,
            _task_id,
            unit.pk,
            role,
            deadline,
            None,
            state,
            started_on,
            completed_on,
            progress,
            "",
            timezone.make_aware(datetime.datetime.combine(issued, datetime.time(8))),
        )
    )
    for number, (day, percent) in enumerate(zip(days, percents, strict=True)):
        is_last = number == len(days) - 1
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, number % 60)))
        period = periods[number % len(periods)][0] if periods else None
        rows.reports.append(
            (
                report_id,
                assignment_id,
                period,
                ReportState.SUBMITTED,
                percent,
                f"Đã thực hiện được {percent}% khối lượng công việc.",
                bool(done and is_last and not periods),
                day,
                author,
                head,
                min(moment, now),
                min(moment, now),
            )
        )
        report_id += 1
    return report_id


TASK_COLUMNS = (
    "id",
    "directive_id",
    "item_number",
    "title",
    "content",
    "lead_unit_id",
    "deadline",
    "recurrence",
    "period_offset_days",
    "recurrence_start",
    "recurrence_end",
    "output_kind",
    "expected_output",
    "area_id",
    "is_key",
    "leader_in_charge",
    "search_text",
    "item_order",
)
STATUS_COLUMNS = (
    "deadline",
    "extended_deadline",
    "state",
    "started_on",
    "completed_on",
    "progress_percent",
    "return_reason",
)
ASSIGNMENT_COLUMNS = ("id", "task_id", "unit_id", "role", *STATUS_COLUMNS, "created_at")
PERIOD_COLUMNS = ("id", "assignment_id", "period_start", "period_end", *STATUS_COLUMNS)
REPORT_COLUMNS = (
    "id",
    "assignment_id",
    "period_id",
    "state",
    "percent",
    "text",
    "reports_done",
    "report_date",
    "author_id",
    "submitted_by_id",
    "created_at",
    "submitted_at",
)


def _copy_batched(model, columns, rows: list[tuple]) -> None:
    for start in range(0, len(rows), COPY_BATCH):
        copy_rows(model._meta.db_table, columns, rows[start : start + COPY_BATCH])
    sync_sequence(model)


def generate_plan(rng: random.Random, sizes: Sizes, today: datetime.date) -> str:
    rows = _plan_rows(rng, sizes, today)
    periods = rows.periods
    _copy_batched(Task, TASK_COLUMNS, rows.tasks)
    copy_rows(
        Task.cooperating_units.through._meta.db_table, ("task_id", "orgunit_id"), rows.cooperating
    )
    _copy_batched(Assignment, ASSIGNMENT_COLUMNS, rows.assignments)
    _copy_batched(AssignmentPeriod, PERIOD_COLUMNS, periods)
    _copy_batched(ProgressReport, REPORT_COLUMNS, rows.reports)
    return (
        f"{len(rows.tasks)} tasks, {len(rows.assignments)} assignments, "
        f"{len(periods)} periods, {len(rows.reports)} reports"
    )


# --- Dossiers ---------------------------------------------------------------------------------


def _copy_dossiers(batch: list[tuple]) -> None:
    copy_rows(Dossier._meta.db_table, dossiers_demo.COLUMNS, batch)


def generate_dossiers(
    count: int,
    end: datetime.date,
    *,
    seed: int = SEED,
    source: str = SOURCE,
    days: int = 364,
    bulk_load: bool = True,
    written_at: datetime.datetime | None = None,
) -> str:
    """`count` dossiers received over the `days` before `end`, through the demo generator (its
    shares and derived dates) with COPY as the writer. `bulk_load` rebuilds the secondary
    indexes once at the end (for millions of rows, not for a few thousand into a big table)."""
    dossiers_demo.load_catalogue()
    loading = indexes_dropped(Dossier._meta.db_table) if bulk_load else contextlib.nullcontext()
    with loading:
        written = dossiers_demo.generate(
            count=count,
            end=end,
            seed=seed,
            days=days,
            source=source,
            write=_copy_dossiers,
            written_at=written_at,
        )
    return f"{written} dossiers"


def rebuild_rollup() -> str:
    from dossiers import rollups

    return f"{rollups.rollup_rebuild()} rollup rows"


# --- Indicators -------------------------------------------------------------------------------


def generate_framework(rng: random.Random, year: int) -> str:
    framework = framework_create(
        name="Bộ chỉ số CCHC (mô phỏng quy mô tỉnh)",
        year=year,
        population=FrameworkPopulation.COMMUNES,
        bands=[("Tốt", Decimal(80)), ("Khá", Decimal(65)), ("Trung bình", Decimal(50))],
    )
    for area in range(1, 6):
        criterion_create(
            framework=framework, code=str(area), name=f"Lĩnh vực {area}", max_points=Decimal(20)
        )
        for criterion in range(1, 5):
            code = f"{area}.{criterion}"
            criterion_create(
                framework=framework, code=code, name=f"Tiêu chí {code}", max_points=Decimal(5)
            )
            for sub in range(1, 6):
                criterion_create(
                    framework=framework,
                    code=f"{code}.{sub}",
                    name=f"Tiêu chí thành phần {code}.{sub}",
                    max_points=Decimal(1),
                )
    leaves = list(Criterion.objects.filter(framework=framework, children__isnull=True))
    # Every unit is scored (the brief's 150), whatever the framework's population says.
    units = list(OrgUnit.objects.order_by("code"))
    # Round 1 of the appraisal is done (every line has appraisal_1): the stage that says so,
    # and one the ranking ranks.
    assessments = Assessment.objects.bulk_create(
        Assessment(framework=framework, unit=unit, stage=AssessmentStage.EXPLANATION)
        for unit in units
    )
    steps = [Decimal("0"), Decimal("0.25"), Decimal("0.5"), Decimal("0.75"), Decimal("1")]
    lines = [
        ScoreLine(
            assessment=assessment,
            criterion=leaf,
            max_points=leaf.max_points,
            self_score=rng.choice(steps[2:]),
            appraisal_1=rng.choice(steps),
        )
        for assessment in assessments
        for leaf in leaves
    ]
    ScoreLine.objects.bulk_create(lines, batch_size=5000)
    Framework.objects.filter(pk=framework.pk).update(locked=True)
    return f"{len(leaves)} sub-criteria, {len(assessments)} assessments, {len(lines)} lines"


# --- Entry point ------------------------------------------------------------------------------


def already_generated() -> bool:
    return (
        Dossier.objects.filter(source=SOURCE).exists()
        or User.objects.filter(username__startswith=USER_PREFIX).exists()
    )


def generate(
    *,
    scale: float = 1.0,
    seed: int = SEED,
    end: datetime.date | None = None,
    echo: bool = False,
) -> Timings:
    """Write the whole province. `end` is the last day of the data (default today)."""
    refuse_sqlite()
    if already_generated():
        raise RuntimeError("The benchmark province is already in this database.")
    end = end or timezone.localdate()
    sizes = Sizes.for_scale(scale)
    rng = random.Random(seed)
    timings = Timings()
    # Each part commits on its own: a 3,000,000-row transaction would hold its WAL to the end.
    with transaction.atomic():
        timings.run("units and users", lambda: generate_units(rng), echo)
    with transaction.atomic():
        timings.run("directives", lambda: generate_directives(rng, sizes, end), echo)
    with transaction.atomic():
        timings.run("tasks and reports", lambda: generate_plan(rng, sizes, end), echo)
    with transaction.atomic():
        timings.run("dossiers", lambda: generate_dossiers(sizes.dossiers, end, seed=seed + 1), echo)
    with transaction.atomic():
        timings.run("dossier rollup", rebuild_rollup, echo)
    with transaction.atomic():
        timings.run("indicators", lambda: generate_framework(rng, end.year), echo)
    timings.run("vacuum analyze", _vacuum_analyze, echo)
    with transaction.atomic():
        timings.run("analytics tables", rebuild_analytics, echo)
    return timings


def rebuild_analytics() -> str:
    from reporting.analytics import status

    return f"{status.rebuild()} assignment status rows"


def _vacuum_analyze() -> str:
    from benchmarks.common import vacuum_analyze

    vacuum_analyze()
    return "dead rows cleared, visibility map and planner statistics refreshed"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = full size")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing (exit 0) when the province is already generated",
    )
    args = parser.parse_args(argv)
    refuse_sqlite()
    if already_generated():
        message = "The benchmark province is already in this database; nothing generated."
        if args.if_empty:
            print(message)  # noqa: T201
            return
        raise SystemExit(message + " Use a fresh database.")
    sizes = Sizes.for_scale(args.scale)
    print(f"Generating the benchmark province at scale {args.scale}: {sizes}")  # noqa: T201
    timings = generate(scale=args.scale, seed=args.seed, echo=True)
    print(f"  {'total':<22} {timings.total:8.1f} s")  # noqa: T201


if __name__ == "__main__":  # pragma: no cover
    main()
