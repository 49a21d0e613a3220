"""core.bulkload: indexes dropped for a load come back, and a broken unique key is refused."""

import pytest
from django.db import IntegrityError, connection, transaction

from core.bulkload import indexes_dropped
from dossiers.models import DossierDailyRollup

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's catalogue and DDL in a transaction"
)
TABLE = DossierDailyRollup._meta.db_table


def _definitions() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1", [TABLE]
        )
        return cursor.fetchall()


def _row(unit_id: int, field_id: int) -> DossierDailyRollup:
    return DossierDailyRollup(
        day="2026-03-16", unit_id=unit_id, field_id=field_id, level="province", channel="online"
    )


@pytest.mark.django_db
def test_indexes_and_unique_constraint_are_back_after_the_load():
    before = _definitions()
    with transaction.atomic(), indexes_dropped(TABLE, unique_constraints=True):
        # Within the block only the primary key is left.
        assert [name for name, _sql in _definitions()] == [f"{TABLE}_pkey"]
        DossierDailyRollup.objects.bulk_create([_row(1, 1), _row(2, 1)])
    assert _definitions() == before
    with pytest.raises(IntegrityError), transaction.atomic():
        DossierDailyRollup.objects.create(
            **{
                "day": "2026-03-16",
                "unit_id": 1,
                "field_id": 1,
                "level": "province",
                "channel": "online",
            }
        )


@pytest.mark.django_db
def test_a_load_that_breaks_the_unique_key_is_refused_and_rolled_back():
    before = _definitions()
    with pytest.raises(IntegrityError), transaction.atomic():
        with indexes_dropped(TABLE, unique_constraints=True):
            DossierDailyRollup.objects.bulk_create([_row(1, 1), _row(1, 1)])
    assert DossierDailyRollup.objects.count() == 0
    assert _definitions() == before
