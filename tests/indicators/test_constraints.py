"""The database itself refuses out-of-range scores, whatever code writes them (SQLite and
PostgreSQL alike: run the suite with DATABASE_URL pointing at PostgreSQL to prove the latter)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from indicators.models import SCORE_FIELDS, ScoreLine
from tests.indicators.helpers import line


@pytest.mark.parametrize("field", SCORE_FIELDS)
def test_score_above_the_lines_maximum_is_refused_by_the_database(opened, field):
    target = line(opened["STC"], "1.2")  # max 20
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreLine.objects.filter(pk=target.pk).update(**{field: Decimal("20.5")})


@pytest.mark.parametrize("field", SCORE_FIELDS)
def test_negative_score_is_refused_by_the_database(opened, field):
    target = line(opened["STC"], "1.2")
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreLine.objects.filter(pk=target.pk).update(**{field: Decimal("-1")})


def test_bonus_and_penalty_stay_within_their_caps(opened):
    bonus, penalty = line(opened["STC"], "3"), line(opened["STC"], "4")  # caps 5 and 10
    ScoreLine.objects.filter(pk=bonus.pk).update(self_score=Decimal(5))
    ScoreLine.objects.filter(pk=penalty.pk).update(self_score=Decimal(10))
    for target, too_much in ((bonus, "5.01"), (penalty, "10.01")):
        with pytest.raises(IntegrityError), transaction.atomic():
            ScoreLine.objects.filter(pk=target.pk).update(appraisal_1=Decimal(too_much))


def test_score_at_the_maximum_is_accepted(opened):
    target = line(opened["STC"], "1.2")
    ScoreLine.objects.filter(pk=target.pk).update(appraisal_2=Decimal(20))
    target.refresh_from_db()
    assert target.appraisal_2 == Decimal(20)


def test_constraints_exist_on_this_database(opened):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, ScoreLine._meta.db_table)
    names = {name for name, info in constraints.items() if info.get("check")}
    assert {f"scoreline_{field}_range" for field in SCORE_FIELDS} <= names
