"""Overdue and missing-apology alerts: each dossier is claimed once."""

import datetime

from dossiers import services
from dossiers.jobs import alert_overdue_dossiers_task
from tests.dossiers.factories import at, make_dossier

D = datetime.date


def test_an_overdue_dossier_is_alerted_exactly_once(procedure, unit_a):
    # Given an open dossier due 19/3 and one finished on time
    late = make_dossier(procedure, unit_a)
    make_dossier(procedure, unit_a, finished_at=at(2026, 3, 18))
    # When the alert runs on 20/3 twice
    first = services.dossiers_claim_overdue_alerts(as_of=D(2026, 3, 20))
    second = services.dossiers_claim_overdue_alerts(as_of=D(2026, 3, 20))
    # Then only the late one is alerted, and only the first time
    assert [dossier.pk for dossier in first] == [late.pk]
    assert second == []


def test_not_yet_overdue_is_not_alerted(procedure, unit_a):
    make_dossier(procedure, unit_a)
    assert services.dossiers_claim_overdue_alerts(as_of=D(2026, 3, 19)) == []


def test_missing_apology_alerts_one_working_day_later(procedure, unit_a, staff_a):
    # Given a dossier due Thursday 19/3, late from Friday 20/3
    late = make_dossier(procedure, unit_a)
    apologised = make_dossier(procedure, unit_a)
    services.dossier_register_apology(dossier=apologised, actor=staff_a, new_due_date=D(2099, 1, 1))
    # Then Friday is too early, Monday 23/3 alerts it once, and the apologised one never
    assert services.dossiers_claim_apology_alerts(as_of=D(2026, 3, 20)) == []
    claimed = services.dossiers_claim_apology_alerts(as_of=D(2026, 3, 23))
    assert [dossier.pk for dossier in claimed] == [late.pk]
    assert services.dossiers_claim_apology_alerts(as_of=D(2026, 3, 24)) == []


def test_the_hourly_job_claims_and_is_safe_to_rerun(procedure, unit_a):
    make_dossier(procedure, unit_a, received_at=at(2025, 3, 3))
    assert alert_overdue_dossiers_task.delay().get() == 2  # overdue + no apology
    assert alert_overdue_dossiers_task.delay().get() == 0
