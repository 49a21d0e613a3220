from celery import shared_task

from indicators.services.assessments import assessments_recompute


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def recompute_computed_criteria_task(self) -> int:
    """Nightly: rescore every computed line of every assessment not yet final."""
    return assessments_recompute()


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def recompute_assessment_task(self, assessment_id: int) -> int:
    """On demand (a button, or a freshly opened assessment): rescore one assessment."""
    return assessments_recompute(assessment_ids=[assessment_id])
