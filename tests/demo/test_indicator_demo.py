"""The PAR index demo on the demo province the package built (tests/demo/conftest.py): every
stage, the published indices, this year's dossier targets computed from the demo's dossiers,
and a second run that writes nothing (rolled back with the test)."""

import datetime

from django.utils import timezone

from dossiers.metrics import Period, dossier_figures
from indicators import demo
from indicators.models import (
    Assessment,
    AssessmentStage,
    Criterion,
    Framework,
    KpiMeasurement,
    KpiTarget,
    ProvincialIndex,
)
from indicators.services.frameworks import framework_check
from indicators.sources import DOSSIERS_ONLINE


def test_demo_loads_every_stage_and_is_idempotent(db, demo_province):
    counts = (
        Framework.objects.count(),
        Criterion.objects.count(),
        Assessment.objects.count(),
        KpiMeasurement.objects.count(),
        ProvincialIndex.objects.count(),
    )
    # the second run changes nothing
    assert "0 framework, 0 assessments, 0 KPI targets, 0 index values" in demo.load()
    assert counts == (
        Framework.objects.count(),
        Criterion.objects.count(),
        Assessment.objects.count(),
        KpiMeasurement.objects.count(),
        ProvincialIndex.objects.count(),
    )
    framework = Framework.objects.get()
    # eight areas (plus bonus and penalty), at least 30 sub-criteria, a sound tree
    areas = framework.criteria.filter(parent__isnull=True)
    assert areas.exclude(method__in=["bonus", "penalty"]).count() == 8
    assert framework.criteria.filter(children__isnull=True).count() >= 30
    assert [b for b in framework_check(framework=framework) if b.blocking] == []
    stages = set(Assessment.objects.values_list("stage", flat=True))
    assert stages == set(AssessmentStage.values)
    par = ProvincialIndex.objects.get(kind="par", year=2024, subject="Trung bình cả nước")
    assert str(par.value) == "88.37"
    assert ProvincialIndex.objects.filter(subject="", illustrative=False).count() == 0


def test_demo_computes_this_years_dossier_targets_from_the_demo_dossiers(db, demo_province):
    # given the demo province, whose indicators demo ran after the dossiers demo
    rows = list(KpiMeasurement.objects.filter(source="computed").values_list("pk", "value", "note"))
    # when the indicators demo loads again
    second = demo.load()
    # then this year's online target holds computed values, equal to the dossier figures
    year = timezone.localdate().year
    kpi = KpiTarget.objects.get(year=year, source_key=DOSSIERS_ONLINE)
    q1 = kpi.measurements.filter(period="q1").select_related("unit")
    assert q1.exists() and all(m.source == "computed" for m in q1)
    figures = dossier_figures(
        Period(datetime.date(year, 1, 1), datetime.date(year, 3, 31)), group_by="unit"
    )
    for measurement in q1:  # (to the cent: the value rounds half up, the rate half even)
        assert abs(float(measurement.value) - figures[measurement.unit_id].online_rate) <= 0.01
    # Kế hoạch 5580's and this year's three dossier targets
    assert KpiTarget.objects.filter(year__in=[2021, year]).values("year").distinct().count() == 2
    assert KpiTarget.objects.filter(year=year).exclude(source_key="").count() == 3
    # and the second run computes the same values, writing nothing
    assert second.endswith("0 KPI values computed from dossiers")
    assert rows == list(
        KpiMeasurement.objects.filter(source="computed").values_list("pk", "value", "note")
    )
