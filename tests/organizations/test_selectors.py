from organizations.selectors import units_visible_to
from tests.factories import OrgUnitFactory


def test_unit_head_sees_own_unit_and_units_below_but_not_siblings(head_a, unit_a, unit_b):
    # given a team under unit A
    team = OrgUnitFactory(code="STC-VP", name="Văn phòng Sở", parent=unit_a)
    # when
    visible = set(units_visible_to(head_a).values_list("code", flat=True))
    # then
    assert visible == {unit_a.code, team.code}
    assert unit_b.code not in visible


def test_home_affairs_and_leader_see_every_unit(home_affairs, leader, unit_a, unit_b, province):
    every = {province.code, unit_a.code, unit_b.code, home_affairs.unit.code}
    assert set(units_visible_to(home_affairs).values_list("code", flat=True)) == every
    assert set(units_visible_to(leader).values_list("code", flat=True)) == every
