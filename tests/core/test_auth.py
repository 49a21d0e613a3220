import datetime

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.conftest import PASSWORD


def test_login_page_is_in_vietnamese_even_for_an_english_browser(client, db):
    body = client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập Cổng CCHC" in body
    assert "Mật khẩu" in body


def test_good_login_lands_on_the_roles_start_page(client, head_a):
    response = client.post("/dang-nhap/", {"username": "head_a", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[0] == ("/", 302)
    assert response.redirect_chain[-1][0] == reverse("tasks:inbox")


def test_wrong_password_shows_a_vietnamese_error(client, head_a):
    response = client.post("/dang-nhap/", {"username": "head_a", "password": "sai"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_five_failures_lock_the_username_and_ip_for_fifteen_minutes(client, head_a):
    for _attempt in range(5):
        client.post("/dang-nhap/", {"username": "head_a", "password": "sai"})
    # even the right password is refused while locked
    response = client.post("/dang-nhap/", {"username": "head_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert AccessAttempt.objects.get(username="head_a").failures_since_start >= 5


def test_lockout_page_states_the_configured_limit_and_cool_off(client, head_a, settings):
    # given a province that locks after 3 failures for 40 minutes
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=40)
    for _attempt in range(3):
        client.post("/dang-nhap/", {"username": "head_a", "password": "sai"})
    # when the next try is refused, then the page names those figures, not hard-coded ones
    body = client.post("/dang-nhap/", {"username": "head_a", "password": PASSWORD}).content
    assert "bị khóa 40 phút sau 3 lần nhập sai" in body.decode()


def test_lockout_is_per_username_and_ip(client, head_a, staff_a):
    for _attempt in range(5):
        client.post("/dang-nhap/", {"username": "head_a", "password": "sai"})
    other = client.post("/dang-nhap/", {"username": "staff_a", "password": PASSWORD})
    assert other.status_code == 302


def test_lockout_ends_after_the_cool_off(client, head_a, time_machine):
    time_machine.move_to("2026-11-21 08:00 +07:00", tick=False)
    for _attempt in range(5):
        client.post("/dang-nhap/", {"username": "head_a", "password": "sai"})
    time_machine.move_to("2026-11-21 08:16 +07:00", tick=False)
    response = client.post("/dang-nhap/", {"username": "head_a", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("persona", ["home_affairs", "leader", "head_a", "staff_a"])
def test_every_role_has_a_start_page(client_for, request, persona):
    response = client_for(request.getfixturevalue(persona)).get("/")
    assert response.status_code == 302
    assert response["Location"] != "/"


def test_password_change_in_vietnamese(client_for, staff_a):
    client = client_for(staff_a)
    response = client.post(
        "/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert "Mật khẩu này quá ngắn" in response.content.decode()
    response = client.post(
        "/doi-mat-khau/",
        {
            "old_password": PASSWORD,
            "new_password1": "Cai-cach-2026!",
            "new_password2": "Cai-cach-2026!",
        },
    )
    assert response["Location"] == "/doi-mat-khau/xong/"
    staff_a.refresh_from_db()
    assert staff_a.check_password("Cai-cach-2026!")


def test_logout_is_post_only_and_ends_the_session(client_for, staff_a):
    client = client_for(staff_a)
    assert client.get("/dang-xuat/").status_code == 405
    assert client.post("/dang-xuat/").status_code == 302
    assert client.get("/don-vi/").status_code == 302


def test_session_expires_after_the_configured_idle_time(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
