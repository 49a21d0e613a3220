"""The incremental rollup gives exactly the rows of a full rebuild."""

import datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from dossiers import rollups, services
from dossiers.models import Channel, DossierDailyRollup
from tests.dossiers.factories import at, make_dossier, make_field, make_procedure

D = datetime.date


def _rows():
    return sorted(
        DossierDailyRollup.objects.values_list(
            "day", "unit_id", "field_id", "level", "channel", *rollups.COUNTS
        )
    )


def test_full_rebuild_counts_each_event_on_its_day(procedure, unit_a):
    # Given one dossier finished early and one still open past its due date (19/3)
    make_dossier(procedure, unit_a, finished_at=at(2026, 3, 18), channel=Channel.ONLINE)
    make_dossier(procedure, unit_a, paid_online=True)
    # When the rollup is rebuilt
    rollups.rollup_rebuild()
    # Then receipts, the finish and the overdue event each land on their own day
    by_day = {row.day: row for row in DossierDailyRollup.objects.filter(channel=Channel.IN_PERSON)}
    online = DossierDailyRollup.objects.get(channel=Channel.ONLINE, day=D(2026, 3, 16))
    assert online.received == 1
    assert (
        DossierDailyRollup.objects.get(channel=Channel.ONLINE, day=D(2026, 3, 18)).finished_early
        == 1
    )
    assert by_day[D(2026, 3, 16)].received == 1
    assert by_day[D(2026, 3, 16)].paid_online == 1
    assert by_day[D(2026, 3, 16)].fee_required == 1
    assert by_day[D(2026, 3, 20)].went_overdue == 1


def test_incremental_equals_full_rebuild_row_for_row(procedure, unit_a, unit_b, db):
    # Given a rollup built from a first set of dossiers
    other = make_procedure(field=make_field("TP", "Tư pháp"), level="province", time_limit=1)
    first = make_dossier(procedure, unit_a)
    make_dossier(other, unit_b, received_at=at(2026, 3, 20), channel=Channel.POSTAL)
    rollups.rollup_rebuild()
    # When dossiers change in every way: finished late, a new one, one moved to another unit
    services.dossier_finish(dossier=first, finished_at=at(2026, 3, 25))
    make_dossier(other, unit_a, received_at=at(2026, 3, 23), finished_at=at(2026, 3, 23))
    lookups = services.Lookups.load()

    def push(unit, received_at):
        parsed, errors = services.dossier_parse_row(
            {
                "code": "HS-MOVE",
                "procedure": procedure.code,
                "unit": unit.code,
                "channel": "online",
                "received_at": received_at,
            },
            row=2,
            lookups=lookups,
        )
        assert not errors
        services.dossiers_upsert(dossiers=[parsed], source="motcua")

    push(unit_a, "16/03/2026 10:00")
    rollups.rollup_incremental()
    push(unit_b, "17/03/2026 10:00")
    rollups.rollup_incremental()
    incremental = _rows()
    # Then a full rebuild gives the very same rows
    call_command("rebuild_dossier_rollups", stdout=open("/dev/null", "w"))
    assert incremental == _rows()
    assert incremental  # not trivially empty


def test_rebuild_twice_gives_the_same_rows_and_keeps_the_tables_indexes(procedure, unit_a, db):
    # Given a rollup rebuilt once (on PostgreSQL: truncated, indexes built after the load)
    make_dossier(procedure, unit_a, finished_at=at(2026, 3, 18))
    make_dossier(procedure, unit_a)
    rollups.rollup_rebuild()
    first = _rows()
    # When it is rebuilt again, then incrementally with nothing changed
    rollups.rollup_rebuild()
    rollups.rollup_incremental()
    # Then the rows are the same, and the unique key still guards them
    assert _rows() == first
    row = DossierDailyRollup.objects.first()
    duplicate = {name: getattr(row, name) for name in ("day", "unit_id", "field_id", "level")}
    with pytest.raises(IntegrityError), transaction.atomic():
        DossierDailyRollup.objects.create(channel=row.channel, **duplicate)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="rows are updated in place on PostgreSQL; SQLite (development) deletes and re-inserts",
)
def test_incremental_rewrites_only_the_rows_that_changed(procedure, unit_a, unit_b, db):
    # Given two rollup rows on one (unit, day) key, one a channel (in person and online), and a
    # dossier at another unit whose key nothing will touch
    make_dossier(procedure, unit_a)
    make_dossier(procedure, unit_a, channel=Channel.ONLINE)
    lookups = services.Lookups.load()

    def push(unit):
        parsed, errors = services.dossier_parse_row(
            {
                "code": "HS-MOVING",
                "procedure": procedure.code,
                "unit": unit.code,
                "channel": "in_person",
                "received_at": "17/03/2026 10:00",
            },
            row=2,
            lookups=lookups,
        )
        assert not errors
        services.dossiers_upsert(dossiers=[parsed], source="motcua")

    push(unit_a)
    make_dossier(procedure, unit_b, received_at=at(2026, 3, 18))
    rollups.rollup_rebuild()
    received_on = {
        (row.unit_id, row.day, row.channel): row
        for row in DossierDailyRollup.objects.filter(received__gt=0)
    }
    # When a second in-person dossier is received on 16/3 and the one of 17/3 moves to unit B
    make_dossier(procedure, unit_a)
    push(unit_b)
    rollups.rollup_incremental()
    # Then the in-person row is the same row counted again, the online one is untouched, the
    # row the moved dossier left is gone and its new one exists, other keys keep their rows
    after = {
        (row.unit_id, row.day, row.channel): row
        for row in DossierDailyRollup.objects.filter(received__gt=0)
    }
    in_person = (unit_a.pk, D(2026, 3, 16), Channel.IN_PERSON)
    online = (unit_a.pk, D(2026, 3, 16), Channel.ONLINE)
    assert (after[in_person].pk, after[in_person].received) == (received_on[in_person].pk, 2)
    assert (after[online].pk, after[online].received) == (received_on[online].pk, 1)
    assert (unit_a.pk, D(2026, 3, 17), Channel.IN_PERSON) not in after
    assert after[(unit_b.pk, D(2026, 3, 17), Channel.IN_PERSON)].received == 1
    unchanged = (unit_b.pk, D(2026, 3, 18), Channel.IN_PERSON)
    assert after[unchanged].pk == received_on[unchanged].pk
    # And the daily and half-month tables equal what a rebuild computes
    assert rollups.rollup_check() == []
