"""dossiers/policy.py: who may do what with dossiers, in which state, and the scope of a parent
unit's head: head_a sees sub_unit_a's dossiers read only and never apologises for them (403
before the form is read); head_sub_a apologises for its own and sees nothing of unit A's."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dossiers import policy, services
from dossiers.models import AggregateRow, DossierImport
from tests.dossiers.factories import at, make_dossier

PERSONAS = ("home_affairs", "leader", "head_a", "staff_a", "head_sub_a", "head_b")
UNIT_PEOPLE = {"head_a", "staff_a", "head_sub_a", "head_b"}
HA_ACTIONS = {policy.DOSSIER_IMPORT, policy.AGGREGATE_ENTER}


@pytest.fixture
def dossiers(procedure, unit_a, sub_unit_a):
    """Unit A's and its sub-unit's dossiers: late, late and already apologised, on time."""
    late = make_dossier(procedure, unit_a, finished_at=at(2026, 3, 24))
    return {
        "late_a": late,
        "late_sub": make_dossier(procedure, sub_unit_a, finished_at=at(2026, 3, 24)),
        "on_time_a": make_dossier(procedure, unit_a, finished_at=at(2026, 3, 18)),
    }


def test_the_role_table(people):
    for name, user in people.items():
        expected = {policy.DOSSIER_APOLOGY} if name in UNIT_PEOPLE else set()
        if name == "home_affairs":
            expected = HA_ACTIONS
        assert {a for a in policy.ROLES if policy.role_may(user, a)} == expected, name


# dossier x persona -> what the policy answers: "may", "person" (PermissionDenied), "state"
# (ValidationError), or 404 on the page (outside the persona's scope)
APOLOGY = {
    "late_a": {
        "home_affairs": "person",
        "leader": "person",
        "head_a": "may",
        "staff_a": "may",
        "head_sub_a": 404,  # a sub-unit never sees its parent's rows
        "head_b": 404,
    },
    "late_sub": {
        "home_affairs": "person",
        "leader": "person",
        "head_a": "person",  # the parent sees it, does not act for it
        "staff_a": "person",
        "head_sub_a": "may",
        "head_b": 404,
    },
    "on_time_a": {
        "home_affairs": "person",
        "leader": "person",
        "head_a": "state",
        "staff_a": "state",
        "head_sub_a": 404,
        "head_b": 404,
    },
}


def _policy_answer(user, dossier):
    try:
        policy.require(user, policy.DOSSIER_APOLOGY, dossier=dossier)
    except PermissionDenied:
        return "person"
    except ValidationError:
        return "state"
    return "may"


@pytest.mark.parametrize("key", sorted(APOLOGY))
def test_the_apology_table_policy_page_and_post(client, people, dossiers, key):
    dossier = dossiers[key]
    detail = reverse("dossiers:dossier_detail", args=[dossier.pk])
    post = reverse("dossiers:dossier_apology", args=[dossier.pk])
    for persona, expected in APOLOGY[key].items():
        user = people[persona]
        client.force_login(user)
        page = client.get(detail)
        if expected == 404:
            assert page.status_code == 404, persona
            assert client.post(post, {"new_due_date": "nonsense"}).status_code in (403, 404)
            continue
        assert _policy_answer(user, dossier) == expected, (key, persona)
        # the page shows the form only where posting it would work
        assert page.status_code == 200, persona
        assert page.context["allowed"][policy.DOSSIER_APOLOGY] is (expected == "may"), persona
        assert (post in page.content.decode()) is (expected == "may"), persona
        # a wrong person is refused before the (bad) form is read; a wrong state is a message
        status = client.post(post, {"new_due_date": "nonsense"}).status_code
        assert status == (403 if expected == "person" else 302), (key, persona)


def test_a_parent_head_cannot_apologise_for_a_sub_unit_in_the_service(dossiers, head_a):
    late_sub = dossiers["late_sub"]
    with pytest.raises(PermissionDenied):
        services.dossier_register_apology(
            dossier=late_sub, actor=head_a, new_due_date=datetime.date(2099, 1, 1)
        )
    late_sub.refresh_from_db()
    assert late_sub.apology_registered_at is None


def test_an_apology_is_registered_once(dossiers, head_sub_a):
    late_sub = dossiers["late_sub"]
    services.dossier_register_apology(
        dossier=late_sub, actor=head_sub_a, new_due_date=datetime.date(2099, 1, 1)
    )
    assert not policy.may(head_sub_a, policy.DOSSIER_APOLOGY, dossier=late_sub)
    with pytest.raises(ValidationError):
        services.dossier_register_apology(
            dossier=late_sub, actor=head_sub_a, new_due_date=datetime.date(2099, 1, 2)
        )


HA_PAGES = (
    ("dossiers:import_list", {"skip_bad_rows": "x"}),
    ("dossiers:aggregate_row_list", {"unit": "nonsense"}),
    ("dossiers:aggregate_row_import", {"x": "1"}),
)


@pytest.mark.parametrize("persona", PERSONAS)
def test_imports_and_report_lines_are_home_affairs_work(client, people, unit_a, persona):
    user = people[persona]
    client.force_login(user)
    may = persona == "home_affairs"
    for name, body in HA_PAGES:
        status = client.post(reverse(name), body).status_code
        assert (status != 403) is may, (name, persona, status)
    api = client.post(
        reverse("dossier-aggregate-list"), {"unit": "x"}, content_type="application/json"
    )
    assert api.status_code == (400 if may else 403), persona
    # the services refuse the same people, before the file is read
    if not may:
        with pytest.raises(PermissionDenied):
            services.aggregate_row_save(
                unit=unit_a,
                period_start=datetime.date(2026, 1, 1),
                period_end=datetime.date(2026, 3, 31),
                received_online=1,
                actor=user,
            )
        with pytest.raises(PermissionDenied):
            services.dossier_import_start(uploaded=None, user=user)
    assert AggregateRow.objects.count() == 0
    assert DossierImport.objects.count() == 0


def test_only_the_one_stop_account_may_push(people, unit_a, django_user_model):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    for name, user in people.items():
        assert not policy.may_push(user), name
    system = UserFactory(username="motcua", unit=unit_a)
    system.user_permissions.add(Permission.objects.get(codename="push_dossiers"))
    system = django_user_model.objects.get(pk=system.pk)  # a fresh permission cache
    assert policy.may_push(system)


def test_the_menu_offers_each_page_to_the_roles_of_its_action():
    # the menu's role lists are written in apps.py (it loads before the models); they must
    # stay those of the policy, or a role would see a link that answers 403
    entries = {e.url_name: e for e in apps.get_app_config("dossiers").nav_entries}
    for url_name, action in {
        "dossiers:aggregate_row_list": policy.AGGREGATE_ENTER,
        "dossiers:import_list": policy.DOSSIER_IMPORT,
    }.items():
        assert set(entries[url_name].roles) == set(policy.ROLES[action]), url_name
