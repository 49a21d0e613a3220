"""The dossier API: push (token, idempotent, per-row results), scoped lists, metrics."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.roles import Role
from dossiers import rollups
from dossiers.models import Dossier
from tests.dossiers.factories import at, make_dossier
from tests.factories import UserFactory

PUSH = "/api/v1/dossiers/push/"


@pytest.fixture
def one_stop(home_affairs_unit):
    """The one-stop system's service account: a token and the push permission, nothing else."""
    user = UserFactory(username="motcua", role=Role.UNIT_STAFF, unit=home_affairs_unit)
    user.user_permissions.add(Permission.objects.get(codename="push_dossiers"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _row(code, **extra):
    return {
        "code": code,
        "procedure": "1.001",
        "unit": "STC",
        "channel": "online",
        "received_at": "2026-03-16T09:00:00+07:00",
        **extra,
    }


def test_the_same_batch_twice_leaves_one_copy(one_stop, procedure, unit_a):
    batch = {"dossiers": [_row("MC-1"), _row("MC-2", finished_at="18/03/2026 10:00")]}
    first = one_stop.post(PUSH, batch, format="json")
    second = one_stop.post(PUSH, batch, format="json")
    assert first.status_code == 200
    assert [r["status"] for r in first.json()["results"]] == ["created", "created"]
    assert [r["status"] for r in second.json()["results"]] == ["updated", "updated"]
    assert Dossier.objects.count() == 2
    assert Dossier.objects.get(code="MC-2").finished_date.isoformat() == "2026-03-18"


def test_bad_rows_are_reported_one_by_one_and_good_rows_kept(one_stop, procedure, unit_a):
    batch = {"dossiers": [_row("MC-1"), _row("MC-2", unit="NOPE"), {"code": "MC-3"}]}
    body = one_stop.post(PUSH, batch, format="json").json()
    assert (body["accepted"], body["rejected"]) == (1, 2)
    assert body["results"][1]["errors"][0]["column"] == "unit"
    assert {e["column"] for e in body["results"][2]["errors"]} >= {"procedure", "received_at"}
    assert list(Dossier.objects.values_list("code", flat=True)) == ["MC-1"]


def test_a_malformed_row_does_not_affect_the_rows_after_it(one_stop, procedure, unit_a):
    # Given a row of the wrong shape (a list for the code, no receipt) before two good ones
    batch = {"dossiers": [{"code": ["x"], "unit": "STC"}, _row("MC-1"), _row("MC-2")]}
    body = one_stop.post(PUSH, batch, format="json").json()
    # Then it alone is rejected, with its own columns
    assert [r["status"] for r in body["results"]] == ["error", "created", "created"]
    assert {e["column"] for e in body["results"][0]["errors"]} == {
        "code",
        "procedure",
        "channel",
        "received_at",
    }
    assert body["results"][1]["errors"] == []


def test_more_than_the_limit_is_refused(one_stop, procedure, unit_a, settings):
    batch = {"dossiers": [_row(f"MC-{n}") for n in range(1001)]}
    assert one_stop.post(PUSH, batch, format="json").status_code == 400
    assert not Dossier.objects.exists()


def test_a_user_without_the_push_permission_cannot_push(client_for, head_a, procedure):
    response = client_for(head_a).post(
        PUSH, {"dossiers": [_row("X")]}, content_type="application/json"
    )
    assert response.status_code == 403
    assert APIClient().post(PUSH, {"dossiers": [_row("X")]}, format="json").status_code in (
        401,
        403,
    )


def test_a_unit_lists_only_its_own_dossiers(client_for, procedure, unit_a, unit_b, head_a):
    own = make_dossier(procedure, unit_a)
    other = make_dossier(procedure, unit_b)
    client = client_for(head_a)
    codes = [row["code"] for row in client.get("/api/v1/dossiers/").json()["results"]]
    assert codes == [own.code]
    assert client.get(f"/api/v1/dossiers/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/dossiers/{own.pk}/").json()["timeliness"] == "pending_overdue"


def test_home_affairs_filters_the_whole_province(
    client_for, procedure, unit_a, unit_b, home_affairs
):
    make_dossier(procedure, unit_a, channel="online")
    make_dossier(procedure, unit_b)
    client = client_for(home_affairs)
    assert len(client.get("/api/v1/dossiers/").json()["results"]) == 2
    online = client.get("/api/v1/dossiers/", {"channel": "online"}).json()["results"]
    assert [row["unit"] for row in online] == ["STC"]


@pytest.mark.parametrize("count", [2, 12])
def test_the_dossier_list_query_count_is_pinned(
    client_for, procedure, unit_a, home_affairs, django_assert_num_queries, count
):
    for n in range(count):
        make_dossier(procedure, unit_a, received_at=at(2026, 3, 2 + n))
    client = client_for(home_affairs)
    client.get("/api/v1/dossiers/")  # warm the session
    # session, user, one page of dossiers (unit and procedure joined, no COUNT), then the
    # session saved on every request: savepoint, update, release
    with django_assert_num_queries(6):
        assert len(client.get("/api/v1/dossiers/").json()["results"]) == count


def test_metrics_endpoint_scoped_to_the_unit(client_for, procedure, unit_a, unit_b, head_a):
    make_dossier(procedure, unit_a, finished_at=at(2026, 3, 18))
    make_dossier(procedure, unit_b, finished_at=at(2026, 3, 25))
    rollups.rollup_rebuild()
    body = client_for(head_a).get("/api/v1/dossier-metrics/", {"year": 2026, "month": 3}).json()
    assert body["groups"][0]["finished"] == 1
    assert body["groups"][0]["on_time_rate"] == 100.0


def test_procedures_and_aggregate_rows_are_listed(client_for, procedure, home_affairs):
    client = client_for(home_affairs)
    procedures = client.get("/api/v1/procedures/").json()["results"]
    assert procedures[0]["code"] == "1.001"
    assert procedures[0]["time_limit"] == 3
    assert client.get("/api/v1/dossier-aggregates/").status_code == 200


def test_home_affairs_posts_a_report_line_and_a_unit_cannot(
    client_for, unit_a, home_affairs, head_a
):
    line = {
        "unit": "STC",
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "received_online": 513,
        "received_offline": 877,
        "received_total": 1380,
        "finished_on_time": 1390,
    }
    response = client_for(head_a).post(
        "/api/v1/dossier-aggregates/", line, content_type="application/json"
    )
    assert response.status_code == 403
    response = client_for(home_affairs).post(
        "/api/v1/dossier-aggregates/", line, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["imbalance"][0]["difference"] == -10


def test_another_units_report_line_gives_404(client_for, unit_a, unit_b, head_a):
    from dossiers import services

    row = services.aggregate_row_save(
        unit=unit_b, period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 1, 31)
    )
    assert client_for(head_a).get(f"/api/v1/dossier-aggregates/{row.pk}/").status_code == 404


def test_an_atomic_push_with_one_bad_row_writes_nothing_and_names_the_row(
    one_stop, procedure, unit_a
):
    # Given 1,000 dossiers, the 418th with an unknown unit, sent all or nothing
    rows = [_row(f"MC-{n}") for n in range(1000)]
    rows[417]["unit"] = "NOPE"
    response = one_stop.post(PUSH, {"atomic": True, "dossiers": rows}, format="json")
    # Then the push is refused in the API's error shape, naming the bad row and its column
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"] == "1 trên 1.000 hồ sơ có lỗi; chưa ghi dữ liệu nào."
    assert error["fields"] == {"dossiers": {"417": {"unit": ["Không có đơn vị mã 'NOPE'."]}}}
    # and nothing was written
    assert not Dossier.objects.exists()


def test_atomic_in_the_query_works_the_same_and_a_good_atomic_push_is_written(
    one_stop, procedure, unit_a
):
    bad = {"dossiers": [_row("MC-1"), _row("MC-2", channel="fax")]}
    refused = one_stop.post(PUSH + "?atomic=true", bad, format="json")
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]["dossiers"]) == ["1"]
    assert not Dossier.objects.exists()
    # When the same push comes without the bad row, all or nothing: every row is written
    good = {"atomic": True, "dossiers": [_row("MC-1"), _row("MC-2")]}
    body = one_stop.post(PUSH, good, format="json").json()
    assert (body["accepted"], body["rejected"]) == (2, 0)
    # and sent again it stays idempotent
    again = one_stop.post(PUSH, good, format="json").json()
    assert [r["status"] for r in again["results"]] == ["updated", "updated"]
    assert Dossier.objects.count() == 2


def test_without_atomic_a_push_with_one_bad_row_writes_the_others(one_stop, procedure, unit_a):
    rows = [_row(f"MC-{n}") for n in range(20)]
    rows[5]["unit"] = "NOPE"
    body = one_stop.post(PUSH, {"dossiers": rows}, format="json").json()
    assert (body["accepted"], body["rejected"]) == (19, 1)
    assert Dossier.objects.count() == 19


@pytest.mark.parametrize(
    "raw",
    [
        _row("HS1"),
        _row(" HS1 ", state="  ", finished_at=None, fee_required=True, paid_online=False),
        _row("HS1", due_at="", returned_at=None),
        {k: v for k, v in _row("HS1").items() if k != "unit"},  # a required column missing
        _row("  "),  # blank code
        _row(None),  # null code
        _row(12345),  # a number: DRF's text of it
        _row("HS\x001"),  # NUL: refused by CharField's validator
        _row("HS1", finished_at=20260318),
        _row("HS1", fee_required="true", paid_online=1),
        _row("HS1", fee_required="perhaps"),
        _row("HS1", extra="ignored"),
    ],
)
def test_the_push_row_shape_check_is_the_serializers(raw):
    # Given one push row, plain or odd
    from rest_framework.exceptions import ValidationError

    from dossiers.api.serializers import PushRowSerializer, push_row_values

    shape = PushRowSerializer()

    def outcome(check):
        try:
            return dict(check(raw))
        except ValidationError as exc:
            return {column: [str(m) for m in messages] for column, messages in exc.detail.items()}

    # Then the fast check gives exactly the serializer's values, or its errors
    assert outcome(lambda r: push_row_values(shape, r)) == outcome(shape.run_validation)
    assert list(outcome(lambda r: push_row_values(shape, r))) == list(outcome(shape.run_validation))
