"""The demo generator, on a small count: deterministic, idempotent, shares like the seeds."""

import datetime

import pytest
from django.db.models import Max, Q
from django.utils import timezone

from dossiers import demo, metrics
from dossiers.demo_catalogue import FIELD_UNITS
from dossiers.models import AggregateRow, Dossier, DossierDailyRollup, Procedure
from organizations import demo as organizations_demo
from organizations.models import User


def test_demo_load_is_idempotent_and_realistic(db):
    # Given the demo province
    organizations_demo.load()
    # When the dossier demo loads a small count twice
    first = demo.load(count=1500)
    second = demo.load(count=1500)
    # Then the catalogue and the dossiers exist once
    assert "1500 dossiers" in first
    assert "already present" in second
    assert Procedure.objects.count() >= 50
    assert Dossier.objects.filter(source=demo.DEMO_SOURCE).count() == 1500
    assert DossierDailyRollup.objects.exists()
    assert User.objects.get(username="motcua").has_perm("dossiers.push_dossiers")
    # And the unbalanced seed line is flagged
    assert AggregateRow.objects.filter(unit__code="CAT").get().imbalance
    # And the shares look like the seeds
    today = timezone.localdate()
    figures = metrics.dossier_figures_total(
        metrics.Period(today - datetime.timedelta(days=730), today)
    )
    assert figures.on_time_rate > 98
    assert 40 < figures.online_rate < 60
    assert figures.online_payment_rate < 15


def test_the_generator_is_deterministic(db):
    organizations_demo.load()
    demo.load_catalogue()
    end = datetime.date(2026, 6, 30)
    demo.generate(count=200, end=end)
    first = list(Dossier.objects.order_by("code").values_list("code", "unit_id", "received_at"))
    Dossier.objects.all().delete()
    demo.generate(count=200, end=end)
    second = list(Dossier.objects.order_by("code").values_list("code", "unit_id", "received_at"))
    assert first == second


@pytest.fixture
def demo_dossiers(db):
    organizations_demo.load()
    demo.load(count=3000)
    return timezone.now()


def test_no_demo_dossier_is_received_or_finished_after_the_load(demo_dossiers):
    # Given the demo loaded just now; when we look for dossiers dated after it
    loaded_at = demo_dossiers
    future = Dossier.objects.filter(source=demo.DEMO_SOURCE).filter(
        Q(received_at__gt=loaded_at) | Q(finished_at__gt=loaded_at) | Q(returned_at__gt=loaded_at)
    )
    # Then there are none, and the latest dossier still arrived in the last days
    assert not future.exists()
    latest = Dossier.objects.aggregate(latest=Max("received_at"))["latest"]
    assert loaded_at - latest < datetime.timedelta(days=5)


def test_every_demo_dossier_goes_to_a_unit_that_handles_its_procedure(demo_dossiers):
    # Given the catalogue's fields and the bodies that handle them
    rows = Dossier.objects.filter(source=demo.DEMO_SOURCE).values_list(
        "unit__code", "unit__level", "procedure__level", "procedure__field__code", "received_date"
    )
    wrong = []
    for unit_code, unit_level, procedure_level, field_code, received in rows:
        if unit_level == "province":
            # a provincial procedure, received by a body named for its field
            ok = procedure_level == "province" and unit_code in FIELD_UNITS[field_code]
        else:
            # a local procedure, by a district before the two-level reform and a commune after
            level, handled = demo.local_levels(received)
            ok = unit_level == level and procedure_level in handled
        if not ok:
            wrong.append((unit_code, field_code, procedure_level, received))
    # Then no dossier is received by a unit that does not handle it
    assert rows.count() == 3000
    assert wrong == []
    # And, the case users saw: no construction permit at the Education department
    assert not Dossier.objects.filter(unit__code="SGDDT", procedure__field__code="XD").exists()
    assert Dossier.objects.filter(unit__code="SXD", procedure__field__code="XD").exists()
