"""reporting/policy.py: which roles open the leadership dashboard, the change history and each
official report, and start an export; the head of a parent unit opens its sub-unit's dashboard
(read only), a sub-unit's head not its parent's."""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reporting import policy, services
from reporting.reports import reports_for

PERSONAS = ("home_affairs", "leader", "head_a", "staff_a", "head_sub_a", "head_b")
EVERY_ROLE = {policy.EXPORT_START, policy.REPORT_TASKS, policy.REPORT_DOSSIERS}
PROVINCE = EVERY_ROLE | {policy.LEADERSHIP_DASHBOARD, policy.REPORT_RANKING}
MAY = {
    "home_affairs": PROVINCE | {policy.CHANGE_HISTORY_VIEW},
    "leader": PROVINCE,
    "head_a": EVERY_ROLE,
    "staff_a": EVERY_ROLE,
    "head_sub_a": EVERY_ROLE,
    "head_b": EVERY_ROLE,
}
# page -> the action that opens it
PAGES = {
    "reporting:leadership_dashboard": policy.LEADERSHIP_DASHBOARD,
    "reporting:change_history": policy.CHANGE_HISTORY_VIEW,
}
REPORT_ACTIONS = {
    "nhiem-vu": policy.REPORT_TASKS,
    "ho-so": policy.REPORT_DOSSIERS,
    "xep-hang": policy.REPORT_RANKING,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_opens_exactly_what_the_table_gives(client, people, persona):
    user = people[persona]
    assert {a for a in policy.ROLES if policy.role_may(user, a)} == MAY[persona]
    client.force_login(user)
    for name, action in PAGES.items():
        status = client.get(reverse(name)).status_code
        assert status == (200 if action in MAY[persona] else 403), (name, persona)
    # the "Báo cáo" page lists the reports the table gives, and no other
    offered = {report.key for report in reports_for(user)}
    assert offered == {key for key, action in REPORT_ACTIONS.items() if action in MAY[persona]}
    hidden = {key for key in REPORT_ACTIONS if key not in offered}
    for key in hidden:
        assert client.get(reverse("reporting:report_download", args=[key])).status_code == 404


def test_a_signed_in_account_without_a_role_starts_no_export(db):
    from tests.factories import UserFactory

    waiting = UserFactory(username="cho_duyet", role="", unit=None)
    with pytest.raises(PermissionDenied):
        services.export_request(user=waiting, key="units", params={})


def test_a_parent_head_opens_its_sub_units_dashboard_and_not_the_reverse(
    client, head_a, head_sub_a, unit_a, sub_unit_a
):
    client.force_login(head_a)
    assert (
        client.get(reverse("reporting:unit_dashboard_of", args=[sub_unit_a.pk])).status_code == 200
    )
    client.force_login(head_sub_a)
    assert client.get(reverse("reporting:unit_dashboard_of", args=[unit_a.pk])).status_code == 404


def test_the_menu_offers_each_page_to_the_roles_of_its_action():
    # the menu's role lists are written in apps.py (it loads before the models); they must
    # stay those of the policy, or a role would see a link that answers 403
    entries = {e.url_name: e for e in apps.get_app_config("reporting").nav_entries}
    for url_name, action in {
        "reporting:leadership_dashboard": policy.LEADERSHIP_DASHBOARD,
        "reporting:change_history": policy.CHANGE_HISTORY_VIEW,
        "reporting:report_list": policy.REPORT_TASKS,
        "reporting:export_list": policy.EXPORT_START,
    }.items():
        assert set(entries[url_name].roles) == set(policy.ROLES[action]), url_name
