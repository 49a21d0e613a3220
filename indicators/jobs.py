from celery import shared_task

from core.jobruns import JOB_TASK_OPTIONS, day_run_key, job_summary, parse_day, run_tracked
from indicators.services.assessments import assessments_recompute
from indicators.services.kpi import kpis_compute

KPI_COMPUTE_JOB = "compute-kpi-measurements"
KPI_COMPUTE_ONE_JOB = "compute-kpi-measurements-one"


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def recompute_computed_criteria_task(self) -> int:
    """Nightly: rescore every computed line of every assessment not yet final."""
    return assessments_recompute()


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def recompute_assessment_task(self, assessment_id: int) -> int:
    """On demand (a button, or a freshly opened assessment): rescore one assessment."""
    return assessments_recompute(assessment_ids=[assessment_id])


@shared_task(**JOB_TASK_OPTIONS)
def compute_kpi_measurements_task(self, day: str | None = None) -> str:
    """Nightly: compute the measurements of every KPI target bound to a portal figure, for each
    period begun by `day` (today in Vietnam time). Once per day (run key); the computation
    itself is idempotent, so a retry or a second worker writes nothing twice."""
    as_of = parse_day(day)
    run = run_tracked(
        KPI_COMPUTE_JOB,
        lambda: kpis_compute(as_of=as_of).changed,
        run_key=day_run_key(KPI_COMPUTE_JOB, as_of),
    )
    return job_summary(run)


@shared_task(**JOB_TASK_OPTIONS)
def compute_kpi_task(self, kpi_id: int) -> str:
    """On demand (the board's button): compute one bound target's measurements now. No run key:
    every press runs, and a run after another changes nothing the data did not."""
    run = run_tracked(KPI_COMPUTE_ONE_JOB, lambda: kpis_compute(kpi_ids=[kpi_id]).changed)
    return job_summary(run)
