from django.apps import apps
from django.core.management import call_command

from organizations.models import OrgUnit, User


def _row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_load_demo_builds_the_province_and_a_second_run_changes_nothing(db):
    # A thousand dossiers: every other part of the demo is the same at any count, and the
    # default 200,000 (what `make run` loads) would cost this test a minute and a half twice.
    call_command("load_demo", dossiers=1000)
    first = _row_counts()
    call_command("load_demo", dossiers=1000)
    assert _row_counts() == first
    # the twelve standard bodies, three historic districts, at least ten communes
    for code in ["SNV", "STP", "STC", "SCT", "SNNMT", "SXD", "SKHCN", "SVHTTDL", "SGDDT", "SYT"]:
        assert OrgUnit.objects.filter(code=code, kind="department").exists()
    assert OrgUnit.objects.filter(code__in=["TTT", "VPUBND"]).count() == 2
    districts = OrgUnit.objects.filter(kind="district")
    assert districts.count() == 3
    assert all(str(d.valid_to) == "2025-06-30" and d.successors.exists() for d in districts)
    assert OrgUnit.objects.filter(kind="commune").count() >= 10
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {"home_affairs", "leader", "unit_head", "unit_staff"}
    assert User.objects.filter(role="home_affairs").count() >= 2
    units_with_head_and_staff = (
        OrgUnit.objects.filter(users__role="unit_head").filter(users__role="unit_staff").distinct()
    )
    assert units_with_head_and_staff.count() >= 3
