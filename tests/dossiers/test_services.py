"""Procedure versions, the apology, and the aggregate rows' balance check."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dossiers import services
from tests.dossiers.factories import at, make_dossier

D = datetime.date


def test_a_rule_change_never_moves_existing_deadlines(procedure, unit_a):
    # Given a dossier received under the 3-day rule
    old = make_dossier(procedure, unit_a, received_at=at(2026, 3, 16))
    # When the time limit becomes 10 days from 17/3
    services.procedure_change_rules(
        procedure=procedure, time_limit=10, valid_from=at(2026, 3, 17, 0)
    )
    new = make_dossier(procedure, unit_a, received_at=at(2026, 3, 17))
    old.refresh_from_db()
    # Then the old dossier keeps version 1 and its deadline; the new one gets version 2
    assert old.procedure_version.number == 1
    assert old.due_date == D(2026, 3, 19)
    assert new.procedure_version.number == 2
    assert new.due_date == D(2026, 3, 31)


def test_a_due_date_given_by_the_source_is_kept(procedure, unit_a):
    dossier = make_dossier(procedure, unit_a, due_at=at(2026, 4, 30, 17))
    assert dossier.due_date == D(2026, 4, 30)


def test_the_receiving_unit_registers_an_apology_for_a_late_dossier(procedure, unit_a, staff_a):
    dossier = make_dossier(procedure, unit_a, finished_at=at(2026, 3, 24))
    services.dossier_register_apology(
        dossier=dossier, actor=staff_a, new_due_date=D(2026, 3, 24), note="Xin lỗi"
    )
    assert dossier.apology_registered_at is not None
    assert dossier.apology_new_due_at == D(2026, 3, 24)


def test_another_unit_cannot_register_an_apology(procedure, unit_a, head_b, home_affairs):
    dossier = make_dossier(procedure, unit_a, finished_at=at(2026, 3, 24))
    for actor in (head_b, home_affairs):
        with pytest.raises(PermissionDenied):  # the wrong person, not a wrong input
            services.dossier_register_apology(
                dossier=dossier, actor=actor, new_due_date=D(2026, 3, 24)
            )


def test_an_on_time_dossier_needs_no_apology(procedure, unit_a, staff_a):
    dossier = make_dossier(procedure, unit_a, finished_at=at(2026, 3, 18))
    with pytest.raises(ValidationError):
        services.dossier_register_apology(
            dossier=dossier, actor=staff_a, new_due_date=D(2026, 4, 1)
        )


def test_the_seed_mismatch_1380_against_1390_is_flagged(unit_a):
    # Given a reported total of 1,380 whose parts add up to 1,390 (seed 002)
    row = services.aggregate_row_save(
        unit=unit_a,
        period_start=D(2026, 1, 1),
        period_end=D(2026, 3, 31),
        received_online=513,
        received_offline=877,
        carried_over=0,
        received_total=1380,
        finished_early=1000,
        finished_on_time=390,
    )
    # Then the row is kept, flagged with the difference
    assert not row.is_balanced
    received = next(problem for problem in row.imbalance if problem["check"] == "received")
    assert received == {"check": "received", "reported": 1380, "sum": 1390, "difference": -10}


def test_a_balanced_row_is_not_flagged(unit_a):
    row = services.aggregate_row_save(
        unit=unit_a,
        period_start=D(2026, 1, 1),
        period_end=D(2026, 3, 31),
        received_online=10,
        received_offline=5,
        received_total=15,
        finished_early=8,
        finished_on_time=4,
        finished_late=1,
        pending_within=2,
    )
    assert row.is_balanced
    # And saving the same unit and period again replaces the row
    again = services.aggregate_row_save(
        unit=unit_a,
        period_start=D(2026, 1, 1),
        period_end=D(2026, 3, 31),
        received_offline=1,
        pending_within=1,
    )
    assert again.pk == row.pk
