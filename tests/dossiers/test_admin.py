"""The admin pages of the dossiers app open (read-only where the services own the writes)."""

import pytest
from django.urls import reverse

from tests.dossiers.factories import make_dossier
from tests.factories import UserFactory


@pytest.mark.parametrize(
    "name",
    [
        "dossiers_dossier_changelist",
        "dossiers_procedure_changelist",
        "dossiers_aggregaterow_changelist",
        "dossiers_dossierimport_changelist",
        "core_workdayoverride_changelist",
    ],
)
def test_admin_lists_open(client_for, procedure, unit_a, name):
    make_dossier(procedure, unit_a)
    admin = UserFactory(username="root", is_superuser=True, is_staff=True, unit=unit_a)
    assert client_for(admin).get(reverse(f"admin:{name}")).status_code == 200


def test_procedures_cannot_be_added_in_the_admin(client_for, unit_a):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True, unit=unit_a)
    assert client_for(admin).get(reverse("admin:dossiers_procedure_add")).status_code == 403
