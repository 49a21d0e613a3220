import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import OrgUnitFactory


@pytest.fixture
def api():
    return APIClient()


def test_units_api_is_scoped_like_the_page(api, head_a, unit_b):
    api.force_authenticate(head_a)
    codes = [row["code"] for row in api.get("/api/v1/units/").json()["results"]]
    assert codes == [head_a.unit.code]
    assert api.get(f"/api/v1/units/{unit_b.pk}/").status_code == 404


def test_units_api_shares_the_filterset_with_the_page(api, home_affairs, unit_a, unit_b):
    api.force_authenticate(home_affairs)
    codes = [row["code"] for row in api.get("/api/v1/units/", {"q": "tu phap"}).json()["results"]]
    assert codes == [unit_b.code]


def test_token_authentication_and_me(api, staff_a):
    token = Token.objects.create(user=staff_a)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    me = api.get("/api/v1/me/").json()
    assert (me["username"], me["role"], me["unit"]["code"]) == ("staff_a", "unit_staff", "STC")


def test_anonymous_api_request_is_refused(api, unit_a):
    assert api.get("/api/v1/units/").status_code in (401, 403)


@pytest.mark.parametrize("count", [5, 60])
def test_units_api_query_count_is_flat(
    api, home_affairs, province, django_assert_num_queries, count
):
    for number in range(count):
        OrgUnitFactory(code=f"Y{number:03d}", parent=province)
    api.force_authenticate(home_affairs)
    # page COUNT, page rows with parent joined
    with django_assert_num_queries(2):
        assert api.get("/api/v1/units/").status_code == 200


def test_schema_and_local_swagger_ui(client_for, home_affairs):
    client = client_for(home_affairs)
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/units/" in schema.content
    docs = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower()
    # the CSP forbids inline scripts: the page loads its script from the same URL (?script)
    assert "<script>" not in docs
    script = client.get("/api/v1/docs/", {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
