"""Single sign-on end to end: the portal (live server) and a real OpenID Connect provider
(tests/accounts/oidc_provider, panva's oidc-provider) on 127.0.0.1, through the real redirects
and the provider's own login form."""

from __future__ import annotations

import datetime
import http.server
import json
import re
import threading
from html import unescape
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import jwt
import pytest
import requests
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts import services
from core.navigation import start_page_for
from core.roles import Role
from organizations.models import User
from tests.accounts.conftest import CALLBACK_PATH, PROVIDER_ACCOUNTS

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(portal_url: str, login: str, password: str, *, alter_callback=None, at=None):
    """A browser's walk: the portal's SSO button, the provider's login form, the redirects back.
    Returns the session and the last response (redirects followed)."""
    browser = requests.Session()
    page = browser.get(portal_url + reverse("accounts:oidc_login"), timeout=10)
    assert page.status_code == 200 and 'name="password"' in page.text, page.text[:500]
    action = unescape(re.search(r'<form method="post" action="([^"]+)"', page.text).group(1))
    response = browser.post(
        urljoin(page.url, action),
        data={"login": login, "password": password},
        allow_redirects=False,
        timeout=10,
    )
    while response.is_redirect:
        location = urljoin(response.url, response.headers["location"])
        if location.startswith(portal_url + CALLBACK_PATH):
            break
        response = browser.get(location, allow_redirects=False, timeout=10)
    else:
        return browser, response  # stayed at the provider (wrong password)
    if alter_callback is not None:
        location = alter_callback(location)
    if at is not None:
        with time_machine.travel(at, tick=True):
            return browser, browser.get(location, timeout=10)
    return browser, browser.get(location, timeout=10)


def _signed_in_user(browser, portal_url):
    response = browser.get(portal_url + reverse("api-me"), timeout=10)
    return response.json().get("username") if response.status_code == 200 else None


def test_a_known_person_signs_in_at_the_provider_and_lands_on_their_start_page(
    live_server, oidc_settings, head_a
):
    browser, response = _sign_in(live_server.url, "head.a", PROVIDER_ACCOUNTS["head.a"]["password"])

    assert response.status_code == 200
    assert urlsplit(response.url).path == start_page_for(head_a)
    assert _signed_in_user(browser, live_server.url) == "head_a"


def test_a_wrong_password_at_the_provider_signs_nobody_in(live_server, oidc_settings, head_a):
    browser, response = _sign_in(live_server.url, "head.a", "not-the-password")

    assert "Sai tên đăng nhập hoặc mật khẩu" in response.text
    assert _signed_in_user(browser, live_server.url) is None


def test_a_first_sign_in_makes_an_account_that_waits_for_home_affairs(
    live_server, oidc_settings, home_affairs, unit_a
):
    browser, response = _sign_in(live_server.url, "newbie", PROVIDER_ACCOUNTS["newbie"]["password"])

    person = User.objects.get(username="nguyen.van.moi")
    assert (person.role, person.unit, person.email) == ("", None, "moi@example.gov.vn")
    assert not person.has_usable_password()
    assert urlsplit(response.url).path == reverse("accounts:pending_wait")
    assert "Chờ phê duyệt" in response.text
    # any other page sends them back to the waiting page
    other = browser.get(live_server.url + reverse("tasks:inbox"), timeout=10)
    assert urlsplit(other.url).path == reverse("accounts:pending_wait")
    assert home_affairs.notifications.filter(object_id=person.pk).exists()

    services.user_approve(user=person, role=Role.UNIT_STAFF, unit=unit_a, actor=home_affairs)

    after = browser.get(live_server.url + "/", timeout=10)
    person.refresh_from_db()
    assert urlsplit(after.url).path == start_page_for(person)
    assert person.notifications.filter(message__contains="phê duyệt").exists()


def _refused(browser, response, portal_url) -> str:
    assert response.status_code == 200
    assert urlsplit(response.url).path == reverse("login")
    assert _signed_in_user(browser, portal_url) is None
    return response.text


def test_a_tampered_state_is_refused_with_a_vietnamese_message(live_server, oidc_settings, head_a):
    def tamper(url):
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        query["state"] = query["state"][:-4] + "abcd"
        return urlunsplit(parts._replace(query=urlencode(query)))

    browser, response = _sign_in(
        live_server.url, "head.a", PROVIDER_ACCOUNTS["head.a"]["password"], alter_callback=tamper
    )

    page = _refused(browser, response, live_server.url)
    assert "Yêu cầu đăng nhập không hợp lệ hoặc đã hết hạn" in page


def test_an_expired_id_token_is_refused_with_a_vietnamese_message(
    live_server, oidc_settings, head_a
):
    # the portal's clock two hours ahead of the provider's: the hour-long ID token has expired
    later = timezone.now() + datetime.timedelta(hours=2)

    browser, response = _sign_in(
        live_server.url, "head.a", PROVIDER_ACCOUNTS["head.a"]["password"], at=later
    )

    page = _refused(browser, response, live_server.url)
    assert "Phiên đăng nhập đã hết hạn" in page


class _TokenRelay(http.server.BaseHTTPRequestHandler):
    """Between the portal and the provider's token endpoint: passes the request on and hands
    back the provider's answer with the ID token re-issued for another client (same signing
    key, same issuer): a token the provider signed for someone else."""

    upstream = ""
    sign = None

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        answer = requests.post(
            self.upstream,
            data=body,
            headers={"Content-Type": self.headers["Content-Type"]},
            timeout=10,
        )
        payload = answer.json()
        if "id_token" in payload:
            claims = jwt.decode(payload["id_token"], options={"verify_signature": False})
            payload["id_token"] = self.sign(claims | {"aud": "another-application"})
        data = json.dumps(payload).encode()
        self.send_response(answer.status_code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def test_an_id_token_for_another_application_is_refused_with_a_vietnamese_message(
    live_server, oidc_settings, oidc_provider, head_a
):
    discovery = requests.get(
        f"{oidc_provider.issuer}/.well-known/openid-configuration", timeout=5
    ).json()
    handler = type(
        "Relay",
        (_TokenRelay,),
        {"upstream": discovery["token_endpoint"], "sign": staticmethod(oidc_provider.sign)},
    )
    relay = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=relay.serve_forever, daemon=True).start()
    oidc_settings.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{relay.server_port}/token"
    try:
        browser, response = _sign_in(
            live_server.url, "head.a", PROVIDER_ACCOUNTS["head.a"]["password"]
        )
    finally:
        relay.shutdown()

    page = _refused(browser, response, live_server.url)
    assert "cấp cho một ứng dụng khác" in page


def test_a_deactivated_person_cannot_sign_in_through_the_provider(
    live_server, oidc_settings, head_a
):
    User.objects.filter(pk=head_a.pk).update(is_active=False)

    browser, response = _sign_in(live_server.url, "head.a", PROVIDER_ACCOUNTS["head.a"]["password"])

    page = _refused(browser, response, live_server.url)
    assert "Tài khoản này đã bị vô hiệu hóa" in page
