"""The machinery of an app's policy: who may do what, to which object, in which state.

Each domain app keeps its rules in ONE module, `<app>/policy.py`, built on this class; every user
of a rule asks there, so the page, the API, the service and the template can never disagree.
This module holds no rule and imports no domain app.

An app's policy module declares its actions (plain strings), the role table and two small
functions, and exposes the bound methods under module-level names::

    POLICY = Policy(
        roles={SUBMIT: (Role.UNIT_HEAD,), APPRAISE: (Role.HOME_AFFAIRS,)},
        role_refusal=lambda action: _("Only Home Affairs can do this."),  # optional
        person=_person_refusal,  # (user, action, **objects) -> message | None, optional
        state=_state_refusal,  # (user, action, **objects) -> message | None, optional
        resolve=_resolve,  # (objects: dict) -> dict, optional: fill implied objects
    )
    role_may, require, require_person, may = (
        POLICY.role_may, POLICY.require, POLICY.require_person, POLICY.may
    )
    action_required, api_permission = POLICY.action_required, POLICY.api_permission

The interface (`objects` are keyword arguments naming the rows concerned: assessment=...):

- `role_may(user, *actions) -> bool`: the user's role may do one of these actions somewhere
  (no object, no state). Superusers pass every role check (core.roles.has_role).
- `require_person(user, action, **objects)`: PermissionDenied (Vietnamese message) unless the
  role may do it and `person(...)` finds nothing against this person and these objects (own unit,
  a parent unit's people never act for a sub-unit, ...).
- `require(user, action, **objects)`: `require_person`, then ValidationError(code="state") with
  the message of `state(...)` if the objects' state forbids the action now. Services call it
  first, before anything is read from the input or written.
- `may(user, action, **objects) -> bool`: `require` as a yes/no.
- `allowed(user, actions, **objects) -> dict[str, bool]`: `may` for each action, for templates
  (`{% if allowed.report_submit %}`): templates show a button only where pressing it would work
  and never test a role themselves.
- `action_required(*actions)`: a view decorator: login required, then 403 unless `role_may`
  any of the actions. It runs before the view reads the body or the files, so a refused POST is
  a 403 whatever it holds (tests/security/test_post_matrix.py).
- `api_permission(*actions, **by_view_action)`: a DRF permission class: signed-in users read,
  writes (POST, PUT, PATCH, DELETE) need `role_may` of the actions; `by_view_action` narrows a
  viewset's @action (or create/update...) to its own actions: `api_permission(DRAFT,
  submit=SUBMIT)`. DRF checks it before the body is read; the service then asks `require`
  for the object and state.

Order of the checks: role (message `role_refusal(action)`), then person, then state. A person
refusal is PermissionDenied (403 on the page and in the API); a state refusal is a
ValidationError with code "state" (a message on the page, a 400 in the API).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.roles import has_role

Refusal = Callable[..., "str | None"]


def _default_role_refusal(action: str) -> str:
    return _("You are not allowed to do this.")


class Policy:
    """One app's rules: the role table and its person and state refusals (see the module)."""

    def __init__(
        self,
        roles: Mapping[str, Iterable[str]],
        *,
        role_refusal: Callable[[str], str] | None = None,
        person: Refusal | None = None,
        state: Refusal | None = None,
        resolve: Callable[[dict], dict] | None = None,
    ) -> None:
        self.roles: dict[str, tuple[str, ...]] = {a: tuple(r) for a, r in roles.items()}
        self.role_refusal = role_refusal or _default_role_refusal
        self.person = person
        self.state = state
        self.resolve = resolve

    # --- the checks ----------------------------------------------------------------------------
    def _roles_of(self, action: str) -> tuple[str, ...]:
        try:
            return self.roles[action]
        except KeyError:  # a typo in an action name must fail loudly, not refuse silently
            raise KeyError(f"unknown policy action {action!r}") from None

    def role_may(self, user, *actions: str) -> bool:
        """The user's role may do one of these actions somewhere (no object, no state)."""
        return any(has_role(user, *self._roles_of(action)) for action in actions)

    def _objects(self, objects: dict) -> dict:
        return self.resolve(dict(objects)) if self.resolve else objects

    def _person_refusal(self, user, action: str, objects: dict) -> str | None:
        if not has_role(user, *self._roles_of(action)):
            return str(self.role_refusal(action))
        if self.person is not None:
            return self.person(user, action, **objects)
        return None

    def require_person(self, user, action: str, **objects) -> None:
        """Raise PermissionDenied unless this person may do the action on these objects (their
        state aside): for a service that refuses the wrong person before it reads its input."""
        refusal = self._person_refusal(user, action, self._objects(objects))
        if refusal:
            raise PermissionDenied(refusal)

    def require(self, user, action: str, **objects) -> None:
        """Raise PermissionDenied if this person may not do the action on these objects, or
        ValidationError(code="state") if their state forbids it now."""
        objects = self._objects(objects)
        refusal = self._person_refusal(user, action, objects)
        if refusal:
            raise PermissionDenied(refusal)
        if self.state is not None:
            refusal = self.state(user, action, **objects)
            if refusal:
                raise ValidationError(refusal, code="state")

    def may(self, user, action: str, **objects) -> bool:
        """`require` as a yes/no, for templates and lists."""
        try:
            self.require(user, action, **objects)
        except (PermissionDenied, ValidationError):
            return False
        return True

    def allowed(self, user, actions: Iterable[str], **objects) -> dict[str, bool]:
        """action -> may, for a template's `allowed` dict."""
        return {action: self.may(user, action, **objects) for action in actions}

    # --- the gates before any input is read ----------------------------------------------------
    def action_required(self, *actions: str) -> Callable:
        """A view decorator: login required, then 403 unless the user's role may do one of these
        actions. It runs before the view reads the request's body or files."""
        for action in actions:
            self._roles_of(action)

        def decorator(view: Callable) -> Callable:
            @login_required
            @wraps(view)
            def wrapper(request, *args, **kwargs):
                if not self.role_may(request.user, *actions):
                    raise PermissionDenied
                return view(request, *args, **kwargs)

            return wrapper

        return decorator

    def api_permission(
        self, *actions: str, **by_view_action: str | tuple[str, ...]
    ) -> type[BasePermission]:
        """A DRF permission class: any signed-in user reads; a write needs a role that may do
        one of `actions`, or, for a viewset action named in `by_view_action`, one of its own."""
        narrowed = {
            name: (acts,) if isinstance(acts, str) else tuple(acts)
            for name, acts in by_view_action.items()
        }
        for action in {*actions, *(a for acts in narrowed.values() for a in acts)}:
            self._roles_of(action)
        policy = self

        class PolicyPermission(BasePermission):
            def has_permission(self, request, view) -> bool:
                if not (request.user and request.user.is_authenticated):
                    return False
                if request.method in SAFE_METHODS:
                    return True
                wanted = narrowed.get(getattr(view, "action", None) or "", actions)
                if policy.role_may(request.user, *wanted):
                    return True
                # DRF answers 403 with this message (the role refusal of the first action)
                self.message = policy.role_refusal(wanted[0]) if wanted else None
                return False

        PolicyPermission.__name__ = f"May{''.join(a.title().replace('_', '') for a in actions)}"
        return PolicyPermission
