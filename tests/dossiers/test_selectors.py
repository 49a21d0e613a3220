"""Scoped reads: late dossiers without an apology, the keyset page."""

import datetime

from dossiers import selectors, services
from tests.dossiers.factories import at, make_dossier

D = datetime.date


def test_late_without_apology_lists_late_ones_in_scope(
    procedure, unit_a, unit_b, staff_a, head_a, home_affairs
):
    # Given (due 19/3): finished late, open overdue, apologised, on time, another unit's late one
    finished_late = make_dossier(procedure, unit_a, finished_at=at(2026, 3, 24))
    open_overdue = make_dossier(procedure, unit_a)
    apologised = make_dossier(procedure, unit_a)
    services.dossier_register_apology(dossier=apologised, actor=staff_a, new_due_date=D(2099, 1, 1))
    make_dossier(procedure, unit_a, finished_at=at(2026, 3, 19))
    other = make_dossier(procedure, unit_b)
    as_of = D(2026, 3, 25)
    # Then the unit sees its two, Home Affairs all three
    own = selectors.dossiers_late_without_apology(head_a, as_of=as_of)
    assert {d.pk for d in own} == {finished_late.pk, open_overdue.pk}
    everyone = selectors.dossiers_late_without_apology(home_affairs, as_of=as_of)
    assert {d.pk for d in everyone} == {finished_late.pk, open_overdue.pk, other.pk}
    # And on the due date nothing open is late yet
    assert list(selectors.dossiers_late_without_apology(head_a, as_of=D(2026, 3, 19))) == []


def test_keyset_page_breaks_ties_by_id(procedure, unit_a, home_affairs):
    same = at(2026, 3, 16, 9)
    made = [make_dossier(procedure, unit_a, received_at=same) for _ in range(5)]
    rows, cursor = selectors.keyset_page(selectors.dossier_list(home_affairs), after=None, size=3)
    rest, end = selectors.keyset_page(selectors.dossier_list(home_affairs), after=cursor, size=3)
    assert [d.pk for d in rows + rest] == sorted((d.pk for d in made), reverse=True)
    assert end is None
