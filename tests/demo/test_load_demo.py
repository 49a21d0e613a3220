"""`load_demo` on the demo province the package built with it (tests/demo/conftest.py): a
second run changes nothing, and the province has its units and roles. (Read only: the second
run is rolled back with the test.)"""

from django.apps import apps
from django.core.management import call_command

from organizations.models import OrgUnit, User
from tests.demo.conftest import DEMO_DOSSIERS


def _row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_load_demo_builds_the_province_and_a_second_run_changes_nothing(db, demo_province):
    # given the province `load_demo --dossiers DEMO_DOSSIERS` built for the package (every other
    # part of the demo is the same at any count; `make run` loads 200,000)
    first = _row_counts()
    assert first["dossiers.Dossier"] == DEMO_DOSSIERS
    # when it runs again, then no table gains or loses a row
    call_command("load_demo", dossiers=DEMO_DOSSIERS)
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
