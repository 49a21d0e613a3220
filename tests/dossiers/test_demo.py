"""The demo generator, on a small count: deterministic, idempotent, shares like the seeds."""

import datetime

from django.utils import timezone

from dossiers import demo, metrics
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
