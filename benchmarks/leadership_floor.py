"""The leadership dashboard's floor: the page's figures from hand-written SQL, one query each.

Each statement reads the same rows the page's panel reads and returns the same numbers (the
tests in tests/benchmarks/ compare them with the panels on the demo data), without the ORM,
the panels' Python or the templates. PostgreSQL only (LATERAL, FILTER, = ANY).
"""

from __future__ import annotations

import datetime

DONE = ("done_on_time", "done_late", "done_no_deadline")
EXCLUDED = ("cancelled", "suspended")
WITHIN = ("not_started", "in_progress", "no_deadline", "awaiting_confirmation", "returned")


def _status(row: str) -> str:
    """tasks.status.derive_status as SQL over one assignment or period row (alias `row`);
    %(as_of)s is the day the status is read on."""
    eff = f"COALESCE({row}.extended_deadline, {row}.deadline)"
    done_by = f"{row}.completed_on IS NOT NULL AND {row}.completed_on <= %(as_of)s"
    return f"""CASE
        WHEN {row}.state = 'cancelled' THEN 'cancelled'
        WHEN {row}.state = 'suspended' THEN 'suspended'
        WHEN {row}.state = 'confirmed' AND {done_by} AND {eff} IS NULL THEN 'done_no_deadline'
        WHEN {row}.state = 'confirmed' AND {done_by} AND {row}.completed_on <= {eff}
            THEN 'done_on_time'
        WHEN {row}.state = 'confirmed' AND {done_by} THEN 'done_late'
        WHEN {row}.state = 'awaiting_confirmation' AND {done_by} THEN 'awaiting_confirmation'
        WHEN {row}.state = 'returned' THEN 'returned'
        WHEN {eff} < %(as_of)s THEN 'overdue'
        WHEN {row}.started_on IS NULL OR {row}.started_on > %(as_of)s THEN 'not_started'
        WHEN {eff} IS NULL THEN 'no_deadline'
        ELSE 'in_progress' END"""


def _assignments(year_param: str = "year") -> str:
    """The year's assignments with their status; a recurring one takes its deciding period's."""
    return f"""
        SELECT a.id, a.unit_id, a.task_id, t.directive_id, t.area_id,
               COALESCE(a.extended_deadline, a.deadline) AS eff_deadline,
               CASE WHEN t.recurrence = '' OR a.state IN ('cancelled', 'suspended')
                    THEN {_status("a")}
                    ELSE COALESCE(p.status, 'not_started') END AS status
        FROM tasks_assignment a
        JOIN tasks_task t ON t.id = a.task_id
        JOIN directives_directive d ON d.id = t.directive_id
        LEFT JOIN LATERAL (
            SELECT s.status FROM (
                SELECT {_status("ap")} AS status, ap.period_start
                FROM tasks_assignmentperiod ap
                WHERE ap.assignment_id = a.id AND ap.period_start <= %(as_of)s
            ) s
            ORDER BY s.status IN {DONE}, s.status <> 'done_late', s.period_start
            LIMIT 1
        ) p ON t.recurrence <> ''
        WHERE d.year = %({year_param})s"""


COUNTS = f"""
    COUNT(*) FILTER (WHERE s.status NOT IN {EXCLUDED}) AS total,
    COUNT(*) FILTER (WHERE s.status IN {DONE}) AS done,
    COUNT(*) FILTER (WHERE s.status = 'done_on_time') AS done_on_time,
    COUNT(*) FILTER (WHERE s.status = 'done_late') AS done_late,
    COUNT(*) FILTER (WHERE s.status IN {WITHIN}) AS in_progress,
    COUNT(*) FILTER (WHERE s.status = 'overdue') AS overdue"""


def _grouped(columns: str, joins: str, limit: int) -> str:
    return f"""
        SELECT {columns}, {COUNTS}
        FROM ({_assignments()}) s {joins}
        GROUP BY {columns}
        HAVING COUNT(*) FILTER (WHERE s.status NOT IN {EXCLUDED}) > 0
        ORDER BY COUNT(*) FILTER (WHERE s.status IN {DONE})::float * 100
                 / NULLIF(COUNT(*) FILTER (WHERE s.status NOT IN {EXCLUDED}), 0) DESC NULLS LAST,
                 {columns}
        LIMIT {limit}"""


ROLLUP_SUMS = """
    SUM(r.received) FILTER (WHERE r.day < %(start)s),
    SUM(r.finished_early + r.finished_on_time + r.finished_late) FILTER (WHERE r.day < %(start)s),
    SUM(r.received) FILTER (WHERE r.day BETWEEN %(start)s AND %(end)s AND r.channel = 'online'),
    SUM(r.received) FILTER (WHERE r.day BETWEEN %(start)s AND %(end)s AND r.channel <> 'online'),
    SUM(r.finished_early) FILTER (WHERE r.day BETWEEN %(start)s AND %(end)s),
    SUM(r.finished_on_time) FILTER (WHERE r.day BETWEEN %(start)s AND %(end)s),
    SUM(r.finished_late) FILTER (WHERE r.day BETWEEN %(start)s AND %(end)s),
    SUM(r.fee_required) FILTER (WHERE r.day BETWEEN %(start)s AND %(end)s),
    SUM(r.paid_online) FILTER (WHERE r.day BETWEEN %(start)s AND %(end)s),
    SUM(r.received) FILTER (WHERE r.day <= %(stock)s),
    SUM(r.finished_early + r.finished_on_time + r.finished_late) FILTER (WHERE r.day <= %(stock)s),
    SUM(r.went_overdue) FILTER (WHERE r.day <= %(stock)s),
    SUM(r.finished_late) FILTER (WHERE r.day <= %(stock)s)"""


def floor_queries(
    *, year: int, as_of: datetime.date, previous_as_of: datetime.date, today: datetime.date
) -> list[tuple[str, dict]]:
    """(sql, params) per figure of the default leadership dashboard: the whole plan year
    `year` read on `as_of`, beside the year before read on `previous_as_of`."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    params = {
        "year": year,
        "previous_year": year - 1,
        "as_of": as_of,
        "start": start,
        "end": end,
        "stock": min(end, today),
        "today": today,
    }
    previous = {**params, "year": year - 1, "as_of": previous_as_of}
    rollup_where = "WHERE r.day <= %(end_or_stock)s"
    params["end_or_stock"] = max(end, params["stock"])
    aggregate_rows = """
        SELECT a.* FROM dossiers_aggregaterow a
        WHERE a.period_start >= %(start)s AND a.period_end <= %(end)s"""
    return [
        # Tiles: the year's completion, and the year before's.
        (f"SELECT {COUNTS} FROM ({_assignments()}) s", params),
        (f"SELECT {COUNTS} FROM ({_assignments()}) s", previous),
        # Completion by unit, by directive, by CCHC area.
        (
            _grouped("s.unit_id, u.name", "JOIN organizations_orgunit u ON u.id = s.unit_id", 200),
            params,
        ),
        (
            _grouped(
                "s.directive_id, dd.number, dd.summary",
                "JOIN directives_directive dd ON dd.id = s.directive_id",
                40,
            ),
            params,
        ),
        (
            _grouped(
                "s.area_id, ar.code, ar.name",
                "LEFT JOIN directives_cchcarea ar ON ar.id = s.area_id",
                40,
            ),
            params,
        ),
        # The oldest overdue work.
        (
            f"""SELECT s.id, t.title, dd.number, u.name, t.leader_in_charge, s.eff_deadline
                FROM ({_assignments()}) s
                JOIN tasks_task t ON t.id = s.task_id
                JOIN directives_directive dd ON dd.id = t.directive_id
                JOIN organizations_orgunit u ON u.id = s.unit_id
                WHERE s.status = 'overdue' ORDER BY s.eff_deadline, s.id LIMIT 15""",
            params,
        ),
        # The province's completion trend.
        (
            """SELECT day, completion_rate, done, total, overdue FROM reporting_completionsnapshot
               WHERE scope = 'province' AND key = 0 AND year = %(year)s
               ORDER BY day DESC LIMIT 60""",
            params,
        ),
        # Dossiers: the year's figures in total and by level (rollup), the aggregate rows.
        (f"SELECT {ROLLUP_SUMS} FROM dossiers_dossierdailyrollup r {rollup_where}", params),
        (
            f"""SELECT r.level, {ROLLUP_SUMS} FROM dossiers_dossierdailyrollup r {rollup_where}
                GROUP BY r.level ORDER BY r.level""",
            params,
        ),
        (aggregate_rows, params),
        (
            # late without an apology: went overdue within the period, up to its stock day
            """SELECT COUNT(*) FROM dossiers_dossier
               WHERE overdue_date BETWEEN %(start)s AND %(stock)s
                 AND apology_registered_at IS NULL""",
            params,
        ),
        # PAR Index: the latest locked framework's ranking (top 15) and the province's trend.
        (
            """WITH f AS (
                   SELECT id FROM indicators_framework WHERE locked AND year <= %(year)s
                   ORDER BY (population = 'departments') DESC, year DESC, population, id LIMIT 1),
               totals AS (
                   SELECT a.id, a.unit_id, SUM(
                       CASE WHEN c.method = 'penalty' THEN -1 ELSE 1 END
                       * COALESCE(l.appraisal_2, l.appraisal_1, l.self_score, l.computed_score,
                                  l.survey_score, 0)) AS total
                   FROM indicators_assessment a
                   JOIN f ON f.id = a.framework_id
                   LEFT JOIN indicators_scoreline l ON l.assessment_id = a.id
                   LEFT JOIN indicators_criterion c ON c.id = l.criterion_id
                   -- only appraised or final results are ranked (drafts are listed apart)
                   WHERE a.stage IN ('explanation', 'round_2', 'final')
                   GROUP BY a.id, a.unit_id)
               SELECT t.id, u.name, t.total, RANK() OVER (ORDER BY t.total DESC) AS rank
               FROM totals t JOIN organizations_orgunit u ON u.id = t.unit_id
               ORDER BY rank, u.code LIMIT 15""",
            params,
        ),
        (
            """SELECT year, value, rank, rank_out_of FROM indicators_provincialindex
               WHERE kind = 'par' AND subject = '' ORDER BY year""",
            params,
        ),
    ]
