import datetime
import hashlib

import pytest
import time_machine
from django.urls import reverse
from rest_framework.authtoken.models import Token

from integrations.models import ApiGroup, ApiToken
from integrations.services.tokens import api_token_create, api_token_revoke
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _token(actor, user, groups=(ApiGroup.DIRECTIVES, ApiGroup.TASKS), **kwargs):
    options = {"can_write": False, "expires_on": None} | kwargs
    return api_token_create(
        actor=actor, name="Hệ thống văn bản", user=user, groups=groups, **options
    )


def _call(client, secret, method="get", url=None, keyword="Bearer", **kwargs):
    url = url or reverse("directive-list")
    return getattr(client, method)(url, HTTP_AUTHORIZATION=f"{keyword} {secret}", **kwargs)


def test_a_token_is_stored_as_its_hash_and_found_by_its_prefix(home_affairs):
    issued = _token(home_affairs, home_affairs)
    row = ApiToken.objects.get()
    assert issued.secret.startswith(row.prefix + ".")
    assert row.key_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    # the secret itself is nowhere in the row
    assert issued.secret.split(".", 1)[1] not in str(ApiToken.objects.values().get())


def test_a_token_reads_within_its_groups_and_records_its_last_use(client, home_affairs):
    issued = _token(home_affairs, home_affairs)
    assert ApiToken.objects.get().last_used_at is None
    assert _call(client, issued.secret).status_code == 200
    assert _call(client, issued.secret, keyword="Token").status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_a_read_only_token_gets_403_in_the_error_shape_on_a_write(client, home_affairs):
    issued = _token(home_affairs, home_affairs, can_write=False)
    response = _call(
        client, issued.secret, "post", data={"number": "1/KH-UBND"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json() == {
        "error": {"code": "permission_denied", "message": "API token này chỉ được đọc."}
    }


def test_a_token_outside_its_groups_gets_403(client, home_affairs):
    issued = _token(home_affairs, home_affairs, groups=[ApiGroup.TASKS])
    response = _call(client, issued.secret, url=reverse("directive-list"))
    assert response.status_code == 403
    assert "Văn bản chỉ đạo" in response.json()["error"]["message"]
    assert _call(client, issued.secret, url=reverse("task-list")).status_code == 200


def test_a_revoked_or_expired_token_gets_401(client, home_affairs):
    revoked = _token(home_affairs, home_affairs)
    api_token_revoke(token=revoked.token, actor=home_affairs)
    response = _call(client, revoked.secret)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    expiring = _token(home_affairs, home_affairs, expires_on=datetime.date(2026, 12, 31))
    with time_machine.travel(datetime.datetime(2026, 12, 31, 12, tzinfo=datetime.UTC)):
        assert _call(client, expiring.secret).status_code == 200
    with time_machine.travel(datetime.datetime(2027, 1, 1, 12, tzinfo=datetime.UTC)):
        assert _call(client, expiring.secret).status_code == 401


def test_a_wrong_secret_with_a_real_prefix_gets_401(client, home_affairs):
    issued = _token(home_affairs, home_affairs)
    assert _call(client, issued.token.prefix + ".wrong").status_code == 401


def test_a_token_of_a_disabled_account_gets_401(client, home_affairs, head_a):
    issued = _token(home_affairs, head_a)
    head_a.is_active = False
    head_a.save()
    assert _call(client, issued.secret).status_code == 401


def test_the_older_tokens_keep_working(client, head_a):
    key = Token.objects.create(user=head_a).key
    assert _call(client, key, keyword="Token").status_code == 200


def test_a_token_sees_as_its_account_another_units_object_is_404(
    client, home_affairs, head_b, assignment_a
):
    issued = _token(home_affairs, head_b)
    url = reverse("assignment-detail", args=[assignment_a.pk])
    assert _call(client, issued.secret, url=url).status_code == 404


def test_only_home_affairs_makes_tokens_and_never_for_a_site_administrator(home_affairs, head_a):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        _token(head_a, head_a)
    admin = UserFactory(username="root", is_superuser=True)
    with pytest.raises(ValidationError) as refused:
        _token(home_affairs, admin)
    assert "user" in refused.value.message_dict
    with pytest.raises(ValidationError):
        _token(home_affairs, home_affairs, groups=[])


# --- the page -----------------------------------------------------------------------------


def test_home_affairs_makes_a_token_on_the_page_and_sees_it_once(client_for, home_affairs, head_a):
    client = client_for(home_affairs)
    response = client.post(
        reverse("integrations:token_create"),
        {"name": "Một cửa", "user": head_a.pk, "groups": ["tasks"], "can_write": "on",
         "expires_on": "31/12/2030"},
    )  # fmt: skip
    assert response.status_code == 302
    token = ApiToken.objects.get()
    assert (token.user, token.groups, token.can_write) == (head_a, ["tasks"], True)
    assert token.expires_on == datetime.date(2030, 12, 31)
    first = client.get(reverse("integrations:token_list")).content.decode()
    assert 'id="new-token-value"' in first and token.prefix in first
    assert "31/12/2030" in first
    second = client.get(reverse("integrations:token_list")).content.decode()
    assert 'id="new-token-value"' not in second


def test_a_bad_token_form_says_what_to_fix_and_keeps_the_values(client_for, home_affairs):
    response = client_for(home_affairs).post(
        reverse("integrations:token_create"),
        {"name": "Một cửa", "groups": [], "expires_on": "31/02/2030"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "lỗi cần sửa" in page and 'value="Một cửa"' in page
    assert ApiToken.objects.count() == 0


def test_revoking_on_the_page(client_for, home_affairs):
    issued = _token(home_affairs, home_affairs)
    response = client_for(home_affairs).post(
        reverse("integrations:token_revoke", args=[issued.token.pk])
    )
    assert response.status_code == 302
    assert ApiToken.objects.get().revoked_by == home_affairs


@pytest.mark.parametrize("count", [1, 12])
def test_the_token_list_query_count_does_not_grow(
    client_for, home_affairs, head_a, django_assert_num_queries, count
):
    for _ in range(count):
        api_token_revoke(token=_token(home_affairs, head_a).token, actor=home_affairs)
    client = client_for(home_affairs)
    client.get(reverse("integrations:token_list"))
    # session, user, the user's unit (menu), the tokens with their account, unit, creator and
    # revoker (one query), then the session save (savepoint, update, release)
    with django_assert_num_queries(7):
        response = client.get(reverse("integrations:token_list"))
    assert response.status_code == 200
