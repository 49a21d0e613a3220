"""Every API error has one JSON shape, {"error": {"code", "message", "fields"?}}, in Vietnamese."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle


@pytest.fixture
def api(home_affairs):
    client = APIClient()
    client.force_authenticate(home_affairs)
    return client


def test_not_found(api):
    response = api.get("/api/v1/directives/999999/")
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "not_found",
            "message": "Không tìm thấy, hoặc nằm ngoài phạm vi bạn được xem.",
        }
    }


def test_another_units_object_is_the_same_not_found(client_for, head_b, unit_a):
    response = client_for(head_b).get(f"/api/v1/units/{unit_a.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_not_signed_in(db):
    response = APIClient().get("/api/v1/units/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    error = response.json()["error"]
    assert error["code"] == "not_authenticated"
    assert error["message"] == "Hãy đăng nhập, hoặc gửi mã truy cập API hợp lệ, để dùng API."


def test_method_not_allowed(api, unit_a):
    response = api.delete(f"/api/v1/units/{unit_a.pk}/")
    assert response.status_code == 405
    assert response.json()["error"] == {
        "code": "method_not_allowed",
        "message": "Không được dùng phương thức này ở đây.",
    }


def test_validation_error_lists_the_fields(api):
    response = api.get("/api/v1/dossier-metrics/", {"year": "abc"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"]
    assert isinstance(error["fields"], dict) and error["fields"]


def test_permission_denied(head_a):
    client = APIClient()
    client.force_authenticate(head_a)
    response = client.post("/api/v1/dossiers/push/", [], format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert response.json()["error"]["message"]


def test_throttled_requests_get_429_with_the_wait(api, monkeypatch):
    cache.clear()
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/min", "anon": "2/min"})
    for _attempt in range(2):
        assert api.get("/api/v1/units/").status_code == 200
    response = api.get("/api/v1/units/")
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert error["message"].startswith("Quá nhiều yêu cầu: hãy thử lại sau")
    cache.clear()
