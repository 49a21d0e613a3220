"""The dossier list with the shared list component: the total of the filtered set (the page
pages by keyset and never counts), several receiving units, sorting by received or due."""

from django.http import QueryDict
from django.urls import reverse

from tests.dossiers.factories import at, make_dossier
from tests.listpage import read_list_page

LIST = reverse("dossiers:dossier_list")


def test_the_total_counts_every_filtered_dossier_across_keyset_pages(
    client_for, home_affairs, procedure, unit_a, unit_b, settings
):
    # given 7 dossiers of unit A and 2 of unit B, with pages of 3
    for n in range(7):
        make_dossier(procedure, unit_a, received_at=at(2026, 3, 2 + n))
    for n in range(2):
        make_dossier(procedure, unit_b, received_at=at(2026, 3, 2 + n))
    client = client_for(home_affairs)
    # then the total is the filtered set's, on the first page and after the cursor
    first = client.get(LIST, {"unit": unit_a.pk})
    assert read_list_page(first).total == 7
    assert read_list_page(client.get(LIST, {"unit": [unit_a.pk, unit_b.pk]})).total == 9
    assert read_list_page(client.get(LIST)).total == 9
    received = read_list_page(client.get(LIST, {"received_from": "05/03/2026"}))
    assert received.total == 4
    assert [tag["text"] for tag in received.tags] == ["Tiếp nhận từ ngày: 05/03/2026 ×"]


def test_pages_follow_the_chosen_order_without_repeating_a_dossier(
    client_for, home_affairs, procedure, unit_a, monkeypatch
):
    import dossiers.views

    monkeypatch.setattr(dossiers.views, "PAGE_SIZE", 2)
    codes = [make_dossier(procedure, unit_a, received_at=at(2026, 3, 2 + n)).code for n in range(5)]
    client = client_for(home_affairs)
    for sort, expected in (("received", codes), ("-received", codes[::-1]), ("due", codes)):
        seen, params = [], {"sort": sort}
        while True:
            response = client.get(LIST, params)
            seen += [row.code for row in response.context["rows"]]
            following = response.context["next_query"]
            if not following:
                break
            params = QueryDict(following)
            assert len(seen) <= len(codes), "a page came twice"
        assert seen == expected, sort


def test_an_unknown_sort_keeps_newest_first(client_for, home_affairs, procedure, unit_a):
    codes = [make_dossier(procedure, unit_a, received_at=at(2026, 3, 2 + n)).code for n in range(3)]
    response = client_for(home_affairs).get(LIST, {"sort": "code; drop table"})
    assert response.status_code == 200
    assert [row.code for row in response.context["rows"]] == codes[::-1]
