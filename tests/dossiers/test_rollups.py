"""The incremental rollup gives exactly the rows of a full rebuild."""

import datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

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
