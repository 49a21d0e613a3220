"""core/policy.py: the machinery every app's policy is built on (no rule of its own)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from core.policy import Policy
from core.roles import Role

WRITE, SIGN, NOTE = "write", "sign", "note"


def _user(role: str | None, unit_id: int | None = 1, superuser: bool = False):
    return SimpleNamespace(
        is_authenticated=role is not None or superuser,
        is_superuser=superuser,
        role=role,
        unit_id=unit_id,
    )


def _person(user, action, *, row=None, **_objects):
    if action == WRITE and (row is None or row.unit_id != user.unit_id):
        return "not your unit"
    return None


def _state(user, action, *, row=None, **_objects):
    if row is not None and row.state != "open":
        return "closed"
    return None


POLICY = Policy(
    {
        WRITE: (Role.UNIT_HEAD, Role.UNIT_STAFF),
        SIGN: (Role.UNIT_HEAD,),
        NOTE: (Role.HOME_AFFAIRS,),
    },
    role_refusal=lambda action: f"role may not {action}",
    person=_person,
    state=_state,
    resolve=lambda objects: {**objects, "row": objects.get("row") or objects.get("child")},
)
HEAD, STAFF, HA = _user(Role.UNIT_HEAD), _user(Role.UNIT_STAFF), _user(Role.HOME_AFFAIRS)
OPEN = SimpleNamespace(unit_id=1, state="open")


def _raised(action, user, **objects):
    try:
        POLICY.require(user, action, **objects)
    except PermissionDenied as exc:
        return ("403", str(exc))
    except ValidationError as exc:
        assert exc.code == "state"
        return ("state", exc.messages[0])
    return ("ok", None)


def test_role_then_person_then_state():
    closed_elsewhere = SimpleNamespace(unit_id=2, state="closed")
    assert _raised(WRITE, HA, row=OPEN) == ("403", "role may not write")
    assert _raised(WRITE, STAFF, row=closed_elsewhere) == ("403", "not your unit")
    assert _raised(WRITE, STAFF, row=SimpleNamespace(unit_id=1, state="closed")) == (
        "state",
        "closed",
    )
    assert _raised(WRITE, STAFF, row=OPEN) == ("ok", None)
    # resolve fills the implied row: a child names its parent row
    assert _raised(WRITE, STAFF, child=closed_elsewhere) == ("403", "not your unit")
    # require_person stops before the state
    POLICY.require_person(STAFF, WRITE, row=SimpleNamespace(unit_id=1, state="closed"))
    assert POLICY.may(HEAD, SIGN) and not POLICY.may(STAFF, SIGN)
    assert POLICY.allowed(STAFF, [WRITE, SIGN], row=OPEN) == {WRITE: True, SIGN: False}


def test_superusers_pass_every_role_and_anonymous_users_none():
    assert POLICY.role_may(_user(None, superuser=True), NOTE, SIGN)
    assert not POLICY.role_may(_user(None), WRITE, SIGN, NOTE)


def test_an_unknown_action_fails_loudly():
    with pytest.raises(KeyError):
        POLICY.role_may(HEAD, "wirte")
    with pytest.raises(KeyError):
        POLICY.action_required("wirte")


def test_the_view_decorator_refuses_before_the_view_runs():
    ran = []

    @POLICY.action_required(SIGN)
    def view(request):
        ran.append(request.POST)  # reading the body: must not happen for a refused role
        return HttpResponse("ok")

    request = RequestFactory().post("/", {"x": "1"})
    request.user = STAFF
    with pytest.raises(PermissionDenied):
        view(request)
    assert ran == []
    request.user = HEAD
    assert view(request).status_code == 200


def test_the_api_permission_reads_for_all_and_writes_by_action():
    permission_class = POLICY.api_permission(WRITE, sign=SIGN)
    check = permission_class()

    def may(user, method, view_action=None):
        return check.has_permission(
            SimpleNamespace(user=user, method=method), SimpleNamespace(action=view_action)
        )

    assert may(HA, "GET") and not may(_user(None), "GET")
    assert may(STAFF, "POST") and not may(HA, "POST")
    assert check.message == "role may not write"
    # a viewset action named in by_view_action asks its own action
    assert may(HEAD, "POST", "sign") and not may(STAFF, "POST", "sign")
