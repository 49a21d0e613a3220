from indicators import demo
from indicators.models import (
    Assessment,
    AssessmentStage,
    Criterion,
    Framework,
    KpiMeasurement,
    ProvincialIndex,
)
from indicators.services.frameworks import framework_check
from organizations import demo as organizations_demo


def test_demo_loads_every_stage_and_is_idempotent(db, settings, django_capture_on_commit_callbacks):
    organizations_demo.load()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()
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
