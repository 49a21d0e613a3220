"""organizations/policy.py: the unit tree changes only through Home Affairs' unit import; every
other persona, the head of a parent unit included, gets 403 before the file is read; a parent
unit's head reads its sub-units, a sub-unit nothing of its parent."""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organizations import policy
from organizations.models import UnitImport
from organizations.services import unit_import_start

PERSONAS = ("home_affairs", "leader", "head_a", "staff_a", "head_sub_a", "head_b")


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_home_affairs_imports_units(client, people, persona):
    user = people[persona]
    may = persona == "home_affairs"
    assert policy.role_may(user, policy.UNIT_IMPORT) is may
    client.force_login(user)
    # a body that is not a file: the form would refuse it, the role check comes first
    page = client.post(reverse("organizations:unit_import_list"), {"file": "nonsense"})
    assert page.status_code == (200 if may else 403)
    assert client.get(reverse("organizations:unit_import_template")).status_code == (
        200 if may else 403
    )
    if not may:
        upload = SimpleUploadedFile("dv.csv", b"a,b\n", "text/csv")
        with pytest.raises(PermissionDenied):
            unit_import_start(uploaded=upload, user=user)
    assert UnitImport.objects.count() == 0


def test_a_parent_head_reads_its_sub_units_and_a_sub_unit_nothing_above(
    client, head_a, head_sub_a, unit_a, sub_unit_a
):
    client.force_login(head_a)
    assert client.get(reverse("organizations:unit_detail", args=[sub_unit_a.pk])).status_code == 200
    client.force_login(head_sub_a)
    assert client.get(reverse("organizations:unit_detail", args=[unit_a.pk])).status_code == 404


def test_the_menu_offers_each_page_to_the_roles_of_its_action():
    # the menu's role lists are written in apps.py (it loads before the models); they must
    # stay those of the policy, or a role would see a link that answers 403
    entries = {e.url_name: e for e in apps.get_app_config("organizations").nav_entries}
    for url_name, action in {"organizations:unit_import_list": policy.UNIT_IMPORT}.items():
        assert set(entries[url_name].roles) == set(policy.ROLES[action]), url_name
