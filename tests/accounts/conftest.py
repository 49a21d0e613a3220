"""A real OpenID Connect provider (panva's oidc-provider on Node) on 127.0.0.1, and the
portal configured to sign in through it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

PROVIDER_DIR = Path(__file__).parent / "oidc_provider"
CLIENT_ID = "cchc-portal"
CLIENT_SECRET = "a-test-client-secret-of-some-length"
CALLBACK_PATH = "/dang-nhap/mot-cua/xac-nhan/"
# login -> password and the claims the provider releases
PROVIDER_ACCOUNTS = {
    "head.a": {
        "password": "provider-pw-1",
        "claims": {
            "sub": "sub-head-a",
            "preferred_username": "head_a",
            "email": "head.a@example.gov.vn",
            "email_verified": True,
            "name": "Trưởng đơn vị A",
        },
    },
    "newbie": {
        "password": "provider-pw-2",
        "claims": {
            "sub": "sub-newbie",
            "preferred_username": "nguyen.van.moi",
            "email": "moi@example.gov.vn",
            "email_verified": True,
            "name": "Nguyễn Văn Mới",
        },
    },
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _node_ready() -> str | None:
    """Why the provider cannot start here, or None."""
    if not shutil.which("node"):
        return "node is not installed"
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        return f"oidc-provider is not installed: run `npm ci` in {PROVIDER_DIR}"
    return None


class Provider:
    def __init__(self, issuer: str, private_jwk: dict):
        self.issuer = issuer
        self.private_jwk = private_jwk

    def sign(self, claims: dict) -> str:
        key = RSAAlgorithm.from_jwk(json.dumps(self.private_jwk))
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.private_jwk["kid"]})


@pytest.fixture(scope="module")
def oidc_provider(live_server):
    problem = _node_ready()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {problem}")
        pytest.skip(problem)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_jwk = json.loads(RSAAlgorithm.to_jwk(key))
    private_jwk.update({"kid": "test-key-1", "alg": "RS256", "use": "sig"})
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    clients = [
        {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [live_server.url + CALLBACK_PATH],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_post",
        }
    ]
    env = os.environ | {
        "PORT": str(port),
        "ISSUER": issuer,
        "CLIENTS": json.dumps(clients),
        "ACCOUNTS": json.dumps(PROVIDER_ACCOUNTS),
        "JWKS": json.dumps({"keys": [private_jwk]}),
        "NODE_ENV": "test",
    }
    process = subprocess.Popen(
        ["node", "provider.mjs"],
        cwd=PROVIDER_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"the OIDC provider did not start: {output}")
                time.sleep(0.2)
        yield Provider(issuer, private_jwk)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(autouse=True)
def _reset_mail_counter():
    """The "forgot password" counter per client address lives in the shared cache (Redis in
    CI): start each test with the test client's address at zero."""
    from django.core.cache import cache

    cache.delete("password-reset:127.0.0.1")


@pytest.fixture
def oidc_settings(settings, oidc_provider):
    """The portal configured as the environment would: issuer (discovery), client, secret."""
    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_USERNAME_CLAIM = "preferred_username"
    settings.OIDC_CLOCK_LEEWAY = 0
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "accounts.oidc.PortalOIDCBackend",
    ]
    return settings


# The tasks app's fixtures (a directive, a task led by unit A and its assignment), for the
# drafts a deactivation hands over.
from tests.tasks.conftest import assignment_a, directive, task_a  # noqa: E402, F401
