"""Two-step sign-in (TOTP, django-otp): required for Home Affairs, leadership and site
administrators when OTP_REQUIRED is on, optional for unit heads and staff; recovery codes; the
django-axes lockout covers wrong codes."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts import services
from tests.conftest import PASSWORD


@pytest.fixture
def otp_required(settings):
    settings.OTP_REQUIRED = True
    return settings


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def _log_in(client, username: str):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def _confirmed_device(user) -> TOTPDevice:
    key = services.otp_new_key()
    unsaved = services.otp_unsaved_device(user=user, key=key)
    services.otp_device_confirm(user=user, key=key, token=_code(unsaved))
    return TOTPDevice.objects.get(user=user)


def _device_on_the_setup_page(client, user) -> TOTPDevice:
    """The device whose QR code the setup page shows (its key waits in the session)."""
    return services.otp_unsaved_device(user=user, key=client.session["accounts_otp_new_key"])


PAGES = ["home", "tasks:review_queue", "directives:directive_list", "accounts:user_list"]


def test_home_affairs_without_a_second_factor_reaches_only_the_setup_page(
    client, home_affairs, otp_required
):
    _log_in(client, "home_affairs")

    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:otp_setup")), name
    page = client.get(reverse("accounts:otp_setup"))
    assert page.status_code == 200
    assert "Thiết lập đăng nhập hai bước" in page.content.decode()
    assert "<svg" in page.content.decode()  # the QR code, drawn on the page (no external call)


@pytest.mark.parametrize("persona", ["leader", "home_affairs"])
def test_privileged_roles_and_site_administrators_must_set_it_up(
    client, request, persona, otp_required
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get("/")["Location"].startswith(reverse("accounts:otp_setup"))


def test_a_site_administrator_must_set_it_up(client, staff_a, otp_required):
    staff_a.is_superuser = True
    staff_a.save()
    client.force_login(staff_a)
    assert client.get("/")["Location"].startswith(reverse("accounts:otp_setup"))


def test_setting_it_up_with_the_apps_code_opens_the_portal_and_shows_recovery_codes_once(
    client, home_affairs, otp_required
):
    _log_in(client, "home_affairs")
    client.get(reverse("accounts:otp_setup"))
    device = _device_on_the_setup_page(client, home_affairs)
    assert not TOTPDevice.objects.filter(user=home_affairs).exists()  # nothing written on GET

    wrong = client.post(reverse("accounts:otp_setup"), {"token": "000000"})
    assert "Mã xác thực sai hoặc đã hết hiệu lực" in wrong.content.decode()
    response = client.post(reverse("accounts:otp_setup"), {"token": _code(device)})

    assert response.status_code == 302
    codes_page = client.get(response["Location"])
    codes = StaticToken.objects.filter(device__user=home_affairs).values_list("token", flat=True)
    assert len(codes) == 10
    assert all(code in codes_page.content.decode() for code in codes)
    # shown once: the page does not list them again
    assert client.get(reverse("accounts:recovery_codes"))["Location"] == reverse(
        "accounts:security"
    )
    assert client.get(reverse("tasks:review_queue")).status_code == 200


def test_the_next_sign_in_asks_for_the_code_after_the_password(
    client, home_affairs, otp_required, time_machine
):
    time_machine.move_to(timezone.now(), tick=True)
    device = _confirmed_device(home_affairs)

    _log_in(client, "home_affairs")
    response = client.get(reverse("tasks:review_queue"))
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    # setting up a new device is not a way around the code
    assert client.get(reverse("accounts:otp_setup"))["Location"] == reverse("accounts:otp_verify")
    wrong = client.post(reverse("accounts:otp_verify"), {"token": "123456"})
    assert "Mã xác thực sai hoặc đã hết hiệu lực" in wrong.content.decode()
    # a wrong code makes the next try wait (django-otp's throttle, doubling each time)
    hurried = client.post(reverse("accounts:otp_verify"), {"token": _code(device, 1)})
    assert "Nhập sai quá nhiều lần: vui lòng chờ vài giây" in hurried.content.decode()
    time_machine.shift(5)

    right = client.post(
        reverse("accounts:otp_verify") + "?next=" + reverse("tasks:review_queue"),
        {"token": _code(device, steps_ahead=1)},
    )
    assert right["Location"] == reverse("tasks:review_queue")
    assert client.get(reverse("tasks:review_queue")).status_code == 200


def test_a_recovery_code_works_once(client, home_affairs, otp_required):
    _confirmed_device(home_affairs)
    code = StaticToken.objects.filter(device__user=home_affairs).first().token

    _log_in(client, "home_affairs")
    assert client.post(reverse("accounts:otp_verify"), {"token": code})["Location"] == "/"
    client.post(reverse("logout"))
    _log_in(client, "home_affairs")
    again = client.post(reverse("accounts:otp_verify"), {"token": code})
    assert again.status_code == 200
    assert "Mã xác thực sai" in again.content.decode()


def test_wrong_codes_count_towards_the_login_lockout(client, home_affairs, otp_required):
    device = _confirmed_device(home_affairs)
    _log_in(client, "home_affairs")

    statuses = [
        client.post(reverse("accounts:otp_verify"), {"token": "000000"}).status_code
        for _try in range(5)
    ]

    assert statuses[-1] == 429  # the fifth wrong code locks, like a fifth wrong password
    # even the right code and the right password are refused while locked
    locked = client.post(reverse("accounts:otp_verify"), {"token": _code(device, 1)})
    assert locked.status_code in (302, 429)
    assert _log_in(client, "home_affairs").status_code == 429


def test_the_api_with_a_token_is_not_affected(client, home_affairs, otp_required):
    token = Token.objects.create(user=home_affairs)

    with_token = client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert with_token.status_code == 200

    client.force_login(home_affairs)
    with_session = client.get(reverse("api-me"))
    assert with_session.status_code == 403
    assert with_session.json()["error"]["message"] == "Vui lòng nhập mã xác thực hai bước trước."


def test_unit_staff_may_work_without_it_and_turn_it_on_and_off(client, staff_a, otp_required):
    client.force_login(staff_a)
    assert client.get(reverse("tasks:inbox")).status_code == 200
    page = client.get(reverse("accounts:security")).content.decode()
    assert "Bật đăng nhập hai bước" in page

    client.get(reverse("accounts:otp_setup"))
    device = _device_on_the_setup_page(client, staff_a)
    client.post(reverse("accounts:otp_setup"), {"token": _code(device)})
    assert "Đang bật" in client.get(reverse("accounts:security")).content.decode()
    device = TOTPDevice.objects.get(user=staff_a)

    # once on, it is asked at the next sign-in like for Home Affairs
    client.post(reverse("logout"))
    _log_in(client, "staff_a")
    assert client.get(reverse("tasks:inbox"))["Location"].startswith(reverse("accounts:otp_verify"))
    client.post(reverse("accounts:otp_verify"), {"token": _code(device, 1)})
    assert client.post(reverse("accounts:otp_disable")).status_code == 302
    assert not TOTPDevice.objects.filter(user=staff_a).exists()


def test_home_affairs_cannot_turn_it_off(client, home_affairs, otp_required):
    device = _confirmed_device(home_affairs)
    _log_in(client, "home_affairs")
    client.post(reverse("accounts:otp_verify"), {"token": _code(device, 1)})

    assert client.post(reverse("accounts:otp_disable")).status_code == 403
    assert TOTPDevice.objects.filter(user=home_affairs, confirmed=True).exists()


def test_new_recovery_codes_replace_the_old_ones(client, staff_a):
    device = _confirmed_device(staff_a)
    old = set(StaticToken.objects.filter(device__user=staff_a).values_list("token", flat=True))
    _log_in(client, "staff_a")
    client.post(reverse("accounts:otp_verify"), {"token": _code(device, 1)})

    client.post(reverse("accounts:recovery_codes_new"))

    new = set(StaticToken.objects.filter(device__user=staff_a).values_list("token", flat=True))
    assert len(new) == 10 and not (old & new)


def test_with_otp_required_off_home_affairs_works_without_it(client, home_affairs, settings):
    # the demo (make run) and the development default
    settings.OTP_REQUIRED = False
    _log_in(client, "home_affairs")
    assert client.get(reverse("tasks:review_queue")).status_code == 200


def test_an_htmx_request_sends_the_whole_page_to_the_setup_page(client, home_affairs, otp_required):
    # the bell polls with htmx: a redirect would swap the setup page into the bell
    client.force_login(home_affairs)
    response = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:otp_setup"))
    page = client.get(reverse("accounts:otp_setup")).content.decode()
    assert reverse("notifications:bell") not in page
