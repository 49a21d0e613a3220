"""Bad input to the API gets a 4xx in the API's error shape, in Vietnamese, never a 500:
out-of-range numbers, bodies nested too deep or too large, too many form fields."""

import json

import pytest
from django.db import connection
from rest_framework.test import APIClient

METRICS = "/api/v1/dossier-metrics/"
AGGREGATES = "/api/v1/dossier-aggregates/"


@pytest.fixture
def api(home_affairs):
    client = APIClient()
    client.force_authenticate(home_affairs)
    return client


@pytest.mark.parametrize("year", ["0", "-1", "99012388990", "1800"])
def test_a_year_out_of_range_is_a_field_error(api, year):
    response = api.get(METRICS, {"year": year})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"]["year"] == ["year nằm ngoài khoảng cho phép."]


def test_a_field_id_past_the_database_integer_is_a_field_error(api):
    response = api.get(METRICS, {"year": 2026, "group_by": "field", "field": 2**40})
    assert response.status_code == 400
    assert "field" in response.json()["error"]["fields"]


def test_the_metrics_still_answer_a_good_query(api):
    response = api.get(METRICS, {"year": 2026, "quarter": 1, "convention": "calendar"})
    assert response.status_code == 200
    assert response.json()["period"]["start"] == "2026-01-01"


def test_an_aggregate_count_past_the_columns_range_is_refused(api, unit_a):
    # 2**31 on PostgreSQL's integer column, 2**63 on SQLite's
    _low, high = connection.ops.integer_field_range("PositiveIntegerField")
    line = {
        "unit": unit_a.code,
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "received_online": high + 1,
        "finished_on_time": 1,
    }
    response = api.post(AGGREGATES, line, format="json")
    assert response.status_code == 400
    assert "received_online" in response.json()["error"]["fields"]


def test_json_nested_a_thousand_deep_is_a_parse_error(api, unit_a):
    body = "[" * 1000 + "]" * 1000
    response = api.post(AGGREGATES, body, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error == {"code": "parse_error", "message": "Tài liệu JSON lồng nhau quá nhiều cấp."}


def test_a_json_body_over_the_limit_is_refused_before_it_is_read(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"unit": "x" * 4096})
    response = api.post(AGGREGATES, body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"] == {
        "code": "payload_too_large",
        "message": "Nội dung yêu cầu quá lớn.",
    }


def test_a_form_body_over_the_limit_answers_in_the_error_shape(client, home_affairs, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(home_affairs)
    response = client.post(AGGREGATES, {"unit": "x" * 4096})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_too_many_form_fields_answer_in_the_error_shape(client, home_affairs, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 100
    client.force_login(home_affairs)
    response = client.post(AGGREGATES, {f"f{n}": "1" for n in range(500)})
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "too_many_fields",
        "message": "Yêu cầu có quá nhiều trường.",
    }


def test_pages_keep_the_ordinary_400_page(client, home_affairs, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client.force_login(home_affairs)
    response = client.post("/van-ban/them/", {f"f{n}": "1" for n in range(50)})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_the_schema_says_null_where_the_api_sends_null(api, unit_a):
    import datetime

    from tasks import services
    from tests.tasks.factories import DirectiveFactory

    # given a standing task (no deadline), whose assignment is sent with a null deadline
    plan = DirectiveFactory(number="5580/KH-UBND", issue_date=datetime.date(2026, 1, 10))
    services.task_create(
        directive=plan, item_number="2", title="Duy trì", lead_unit=unit_a, output_kind="activity"
    )
    sent = api.get("/api/v1/assignments/").json()["results"][0]
    assert sent["effective_deadline"] is None
    # then the schema documents that field as nullable
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    field = schema["components"]["schemas"]["Assignment"]["properties"]["effective_deadline"]
    assert field.get("nullable") is True


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/assignments/?unit=1864031444893718787324824336203776",
        "/api/v1/assessments/?unit=1864031444893718787324824336203776",
        "/api/v1/dossiers/?unit=99999999999999999999999",
        "/api/v1/directives/?issuer=99999999999999999999999",
        "/api/v1/tasks/?directive=99999999999999999999999",
    ],
)
def test_an_id_past_any_database_integer_is_an_invalid_choice(api, url):
    response = api.get(url)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
