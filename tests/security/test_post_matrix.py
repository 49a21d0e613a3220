"""Every POST route, HTML and API, for every persona: a write a role may not make is refused
with 403 before any input is read (another unit's object: 404), and a page that only reads
refuses POST altogether (405).

The body posted is one that would fail validation, so a view that validates the form (or parses
the file) before it checks the role answers 200 or a redirect with a message, not 403, and this
test names it. A URL that accepts POST without a row in WRITES fails
`test_every_route_that_accepts_post_has_a_row`.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.security.test_permission_matrix import MATRIX, PERSONAS

SIGNED_IN = PERSONAS[1:]
HA = ("home_affairs",)
UNIT_A = ("head_a", "staff_a")
EVERYONE = SIGNED_IN

# url name -> the personas whose role may make this write. The objects in the URLs belong to
# unit A, so head_b (a role that may write, on another unit's object) gets 404 where the row
# says `scoped`. Anonymous callers are sent to the login page (HTML) or get 401 (API).
WRITES: dict[str, tuple[tuple[str, ...], bool]] = {
    # name: (allowed personas, scoped to unit A's object)
    "login": (EVERYONE, False),
    "logout": (EVERYONE, False),
    "password_change": (EVERYONE, False),
    "password_reset": (EVERYONE, False),
    "password_reset_confirm": (EVERYONE, False),
    # the second factor: each person's own
    "accounts:otp_setup": (EVERYONE, False),
    "accounts:otp_verify": (EVERYONE, False),
    "accounts:recovery_codes_new": (EVERYONE, False),
    "accounts:otp_disable": (EVERYONE, False),
    # accounts: Home Affairs approves and deactivates
    "accounts:user_approve": (HA, False),
    "accounts:user_deactivate": (HA, False),
    "organizations:unit_import_list": (HA, False),
    "core:workday_override_list": (HA, False),
    "core:workday_override_delete": (HA, False),
    "dossiers:dossier_apology": (UNIT_A, True),
    "dossiers:import_list": (HA, False),
    "dossiers:aggregate_row_list": (HA, False),
    "dossiers:aggregate_row_import": (HA, False),
    "directives:directive_create": (HA, False),
    "directives:directive_edit": (HA, False),
    "tasks:plan_add_task": (HA, False),
    "tasks:task_import": (HA, False),
    "tasks:task_edit": (HA, False),
    "tasks:task_state": (HA, False),
    "tasks:plan_bulk": (HA, False),
    "tasks:report_create": (UNIT_A, True),
    "tasks:report_submit": (("head_a",), True),
    "tasks:extension_request": (UNIT_A, True),
    "tasks:assignment_review": (HA, False),
    "tasks:assignment_manage": (HA, False),
    "tasks:extension_decide": (HA, False),
    "tasks:review_decide": (HA, False),
    "tasks:thread_post": (HA + UNIT_A, True),
    "notifications:preferences": (EVERYONE, False),
    "notifications:mark_read": (("head_a",), True),
    "notifications:mark_all_read": (EVERYONE, False),
    "indicators:framework_list": (HA, False),
    "indicators:framework_edit": (HA, False),
    "indicators:framework_bands": (HA, False),
    "indicators:framework_import": (HA, False),
    "indicators:framework_copy": (HA, False),
    "indicators:framework_open": (HA, False),
    "indicators:criterion_add": (HA, False),
    "indicators:criterion_edit": (HA, False),
    "indicators:criterion_delete": (HA, False),
    "indicators:criterion_bands": (HA, False),
    # submitting the sheet (Home Affairs' own transitions are other actions of this route)
    "indicators:assessment_transition": (("head_a",), True),
    "indicators:assessment_recompute": (HA, False),
    "indicators:assessment_import": (UNIT_A, True),
    "indicators:line_update": (HA + UNIT_A, True),
    "indicators:evidence_upload": (UNIT_A, True),
    "indicators:evidence_remove": (UNIT_A, True),
    "indicators:kpi_board": (HA + UNIT_A + ("head_b",), False),
    "indicators:kpi_target_add": (HA, False),
    "indicators:kpi_compute": (HA, False),
    "indicators:measurement_import": (HA, False),
    "indicators:index_import": (HA, False),
    "periodic_reports:round_open": (HA, False),
    "periodic_reports:template": (HA, False),
    "periodic_reports:kind_list": (HA, False),
    "periodic_reports:report_save": (UNIT_A, True),
    "periodic_reports:version_reopen": (UNIT_A, True),
    "periodic_reports:report_submit": (("head_a",), True),
    "periodic_reports:report_decide": (HA, False),
    # any reader of the report may ask for its PDF (another unit's report: 404)
    "periodic_reports:report_pdf": (HA + UNIT_A + ("leader",), True),
    # API
    "dossier-aggregate-list": (HA, False),
    "api-dossier-push": ((), False),  # the one-stop system's own permission, no persona's
    "score-line-score": (HA + UNIT_A, True),
    "progressreport-list": (UNIT_A + ("head_b",), False),
    "review-list": (HA, False),
    "notification-read": (("head_a",), True),
    "notification-read-all": (EVERYONE, False),
    # the write API (directives, tasks, assignments, report submission; the PATCH of a
    # directive or task is covered in tests/integrations/test_write_api.py)
    "directive-list": (HA, False),
    "task-list": (HA, False),
    "assignment-list": (HA, False),
    "assignment-cancel": (HA, False),
    "assignment-suspend": (HA, False),
    "assignment-resume": (HA, False),
    "assignment-posts": (HA + UNIT_A, True),
    "task-cancel": (HA, False),
    "task-suspend": (HA, False),
    "task-resume": (HA, False),
    "progressreport-submit": (("head_a",), True),
    # integrations: API tokens and webhooks
    "integrations:token_create": (HA, False),
    "integrations:token_revoke": (HA, False),
    "integrations:webhook_create": (HA, False),
    "integrations:webhook_edit": (HA, False),
    "integrations:delivery_resend": (HA, False),
}
# A persona outside the row whose POST may be answered otherwise than 403, and why.
NOT_403 = {
    # signing in again while signed in just shows the form / redirects; nothing is written
    "login": {"anonymous": (200,)},
    "logout": {"anonymous": (302,)},
    # forgot password is for people who cannot sign in: the form answers (nothing is written)
    "password_reset": {"anonymous": (200,)},
    "password_reset_confirm": {"anonymous": (200,)},
}
# Only a signed-in user reaches these; anonymous POSTs are refused like any other.
API_PREFIXES = (
    "api-",
    "dossier-",
    "score-line-",
    "progressreport-",
    "review-",
    "notification-",
    "assignment-",
    "task-",
)
URL_EXTRA = {"indicators:assessment_transition": {"action": "submit"}}


def _url(world, name: str) -> str:
    build_kwargs, _expected = MATRIX[name]
    kwargs = build_kwargs(world) if build_kwargs else {}
    kwargs.update(URL_EXTRA.get(name, {}))
    return reverse(name, kwargs=kwargs or None)


def _is_api(name: str) -> bool:
    return name.startswith(API_PREFIXES) or name.endswith(("-list", "-detail"))


def _post(client, world, persona: str, url: str, api: bool):
    client.logout()
    if persona != "anonymous":
        client.force_login(world["users"][persona])
    garbage = {"x": "1", "decision": "nonsense", "field": "nonsense"}
    if api:
        return client.post(url, garbage, content_type="application/json")
    return client.post(url, garbage)


def _expected_refusal(name: str, persona: str, allowed, scoped: bool, api: bool) -> tuple:
    if persona == "anonymous":
        return (401,) if api else (302,)
    if scoped and persona == "head_b" and _role_may(name, "head_a", allowed):
        return (404,)  # the role may, but not on another unit's object
    if scoped and name in ("notifications:mark_read", "notification-read"):
        return (404,)  # someone else's notification is not found
    return (403,)


def _role_may(name: str, persona: str, allowed) -> bool:
    return persona in allowed


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_write_outside_the_role_is_refused_before_its_input_is_read(client, world, name):
    allowed, scoped = WRITES[name]
    api = _is_api(name)
    url = _url(world, name)
    refused = {}
    for persona in PERSONAS:
        if persona in allowed:
            continue
        status = _post(client, world, persona, url, api).status_code
        expected = NOT_403.get(name, {}).get(persona) or _expected_refusal(
            name, persona, allowed, scoped, api
        )
        if status not in expected:
            refused[persona] = (status, expected)
    assert refused == {}, f"{name}: persona -> (status, expected)"


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_write_inside_the_role_reaches_its_validation(client, world, name):
    allowed, _scoped = WRITES[name]
    url = _url(world, name)
    for persona in allowed:
        status = _post(client, world, persona, url, _is_api(name)).status_code
        # the garbage body is refused by the form or the service, never by the role check,
        # and never with a server error
        assert status not in (403, 405) and status < 500, (name, persona, status)


def test_every_route_that_accepts_post_has_a_row(client, world):
    # every URL of the permission matrix: a POST by Home Affairs (who may most) is either a
    # write listed above or refused as a method the page does not take
    unlisted = {}
    for name in sorted(set(MATRIX) - set(WRITES)):
        response = _post(client, world, "home_affairs", _url(world, name), _is_api(name))
        if response.status_code not in (403, 405):
            unlisted[name] = response.status_code
    assert unlisted == {}, "a route accepts POST: list it in WRITES with the roles that may"
