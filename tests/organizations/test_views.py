import pytest

from organizations.models import OrgUnit
from tests.factories import OrgUnitFactory


def test_unit_list_search_matches_without_diacritics(client_for, home_affairs, unit_a, unit_b):
    response = client_for(home_affairs).get("/don-vi/", {"q": "so noi vu"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sở Nội vụ" in body
    assert "Sở Tư pháp" not in body


def test_unit_list_search_folds_d_with_stroke(client_for, home_affairs, province):
    OrgUnitFactory(code="DK-1", name="Đặc khu Hòn Ngọc", kind="commune", level="commune")
    body = client_for(home_affairs).get("/don-vi/", {"q": "dac khu"}).content.decode()
    assert "Đặc khu Hòn Ngọc" in body


def test_unit_head_lists_only_own_unit(client_for, head_a, unit_b):
    body = client_for(head_a).get("/don-vi/").content.decode()
    assert head_a.unit.name in body
    assert unit_b.name not in body


def test_another_units_id_gives_404(client_for, head_a, unit_b):
    client = client_for(head_a)
    assert client.get(f"/don-vi/{unit_b.pk}/").status_code == 404
    assert client.get(f"/don-vi/{head_a.unit_id}/").status_code == 200


def test_htmx_filter_returns_only_the_table(client_for, home_affairs):
    response = client_for(home_affairs).get(
        "/don-vi/", {"kind": "department"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<table" in body
    assert "<html" not in body


def test_anonymous_is_sent_to_login(client):
    response = client.get("/don-vi/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


@pytest.mark.parametrize("count", [10, 120])
def test_unit_list_query_count_does_not_grow_with_rows(
    client_for, home_affairs, province, django_assert_num_queries, count
):
    for number in range(count):
        OrgUnitFactory(code=f"X{number:04d}", parent=province, kind="commune", level="commune")
    client = client_for(home_affairs)
    # session, user, paginator COUNT, the page's units with parents joined, the user's unit
    # for the navbar, then the session save (savepoint, update, release: it slides the timeout)
    with django_assert_num_queries(8):
        response = client.get("/don-vi/")
    assert response.status_code == 200
    assert OrgUnit.objects.count() == count + 2


def test_unit_detail_shows_successors_and_predecessors(client_for, home_affairs, province):
    district = OrgUnitFactory(code="H1", name="Huyện Một", kind="district", level="district")
    commune = OrgUnitFactory(code="X1", name="Xã Một", kind="commune", level="commune")
    district.successors.add(commune)
    client = client_for(home_affairs)
    assert "Xã Một" in client.get(f"/don-vi/{district.pk}/").content.decode()
    assert "Huyện Một" in client.get(f"/don-vi/{commune.pk}/").content.decode()
