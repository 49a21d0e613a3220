"""Every URL pattern, HTML and API, for every persona, against the expected outcome.

A URL pattern added without a row here fails `test_every_url_pattern_has_a_row`. Rows give, per
persona, the status a GET returns: 200, 302 (to the login page), 403, 404 (another unit's id).
The objects a URL points at belong to unit A (see `world`), so head_b must get 404 where a
unit-scoped object is concerned.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.models import WorkdayOverride
from indicators.sources import register_source, unregister_source
from notifications.services import notification_send
from organizations.models import UnitImport
from reporting.models import Export
from reporting.services import export_run
from tests.factories import make_people
from tests.indicators.factories import TEST_SOURCE
from tests.module_rows import rolled_back_at_module_end

PERSONAS = ("anonymous", "staff_a", "head_a", "head_b", "home_affairs", "leader")
# Django's admin has its own staff permission system and is not part of the portal's roles.
SKIPPED_NAMESPACES = {"admin"}


def _all(status):
    return dict.fromkeys(PERSONAS[1:], status) | {"anonymous": 302}


def _home_affairs_only():
    return {
        "anonymous": 302,
        "staff_a": 403,
        "head_a": 403,
        "head_b": 403,
        "home_affairs": 200,
        "leader": 403,
    }


def _post_only_for(*personas):
    """A POST-only write: a GET by a persona whose role may write is 405, by any other 403
    (the role is checked first)."""
    return {p: 405 if p in personas else 403 for p in PERSONAS[1:]} | {"anonymous": 302}


def _framework(w):
    return {"pk": w["framework"].pk}


def _criterion(w):
    return {"pk": w["criterion"].pk}


def _assessment(w):
    return {"pk": w["assessment"].pk}


def _score_line(w):
    return {"pk": w["score_line"].pk}


API_ANON = 401  # an anonymous API call is challenged for a token (WWW-Authenticate: Token)
API_ALL = dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": API_ANON}
API_POST_ONLY = dict.fromkeys(PERSONAS[1:], 405) | {"anonymous": API_ANON}


def _assignment(w):
    return {"pk": w["assignment"].pk}


# url name -> (kwargs builder, expected status per persona)
MATRIX: dict[str, tuple] = {
    "home": (None, _all(302)),
    "login": (None, {"anonymous": 200} | dict.fromkeys(PERSONAS[1:], 302)),
    "logout": (None, dict.fromkeys(PERSONAS, 405)),  # POST only
    "password_change": (None, _all(200)),
    # forgot password: open to everyone (the link in the mail is used signed out)
    "password_reset": (None, dict.fromkeys(PERSONAS, 200)),
    "password_reset_done": (None, dict.fromkeys(PERSONAS, 200)),
    "password_reset_confirm": (
        lambda w: {"uidb64": "MQ", "token": "not-a-token"},
        dict.fromkeys(PERSONAS, 200),  # "this link is not valid"
    ),
    "password_reset_complete": (None, dict.fromkeys(PERSONAS, 200)),
    # single sign-on is not configured in the tests: its two pages do not exist
    "accounts:oidc_login": (None, dict.fromkeys(PERSONAS, 404)),
    "accounts:oidc_callback": (None, dict.fromkeys(PERSONAS, 404)),
    # nobody here waits for approval, has a device or fresh recovery codes: sent on
    "accounts:pending_wait": (None, _all(302)),
    "accounts:otp_verify": (None, _all(302)),
    "accounts:recovery_codes": (None, _all(302)),
    "accounts:security": (None, _all(200)),
    "accounts:otp_setup": (None, _all(200)),
    "accounts:recovery_codes_new": (None, _post_only_for(*PERSONAS[1:])),
    "accounts:otp_disable": (None, _post_only_for(*PERSONAS[1:])),
    # Home Affairs manages the accounts
    "accounts:user_list": (None, _home_affairs_only()),
    "accounts:pending_list": (None, _home_affairs_only()),
    "accounts:user_detail": (lambda w: {"pk": w["users"]["staff_a"].pk}, _home_affairs_only()),
    "accounts:user_approve": (
        lambda w: {"pk": w["users"]["staff_a"].pk},
        _post_only_for("home_affairs"),
    ),
    "accounts:user_deactivate": (
        lambda w: {"pk": w["users"]["staff_a"].pk},
        _post_only_for("home_affairs"),
    ),
    "password_change_done": (None, _all(200)),
    # no worker answers the Celery ping in this test: the health check says 503 (unavailable)
    "healthz": (None, dict.fromkeys(PERSONAS, 503 if settings.REDIS_URL else 200)),
    "organizations:unit_list": (None, _all(200)),
    "organizations:unit_detail": (
        lambda w: {"pk": w["unit_a"].pk},
        _all(200) | {"head_b": 404},
    ),
    "organizations:unit_import_list": (None, _home_affairs_only()),
    "organizations:unit_import_template": (None, _home_affairs_only()),
    "organizations:unit_import_detail": (
        lambda w: {"pk": w["unit_import"].pk},
        _home_affairs_only(),
    ),
    "reporting:export_list": (None, _all(200)),
    # the change history of audited records: Home Affairs only
    "reporting:change_history": (None, _home_affairs_only()),
    # a user's own export; every other user gets 404
    "reporting:export_download": (
        lambda w: {"pk": w["export"].pk},
        dict.fromkeys(PERSONAS[1:], 404) | {"anonymous": 302, "head_a": 200},
    ),
    # the unit list is exported for everyone, scoped like the page
    "reporting:export_start": (lambda w: {"key": "units"}, _all(200)),
    # the official reports: every role has at least one; a unit's report is its own
    "reporting:report_list": (None, _all(200)),
    "reporting:report_download": (lambda w: {"key": "nhiem-vu"}, _all(200)),
    # dashboards: leadership's for leaders and Home Affairs only; a unit's for its own people
    # (province-wide users are sent on to the leadership one) and, by id, for province-wide users
    "reporting:leadership_dashboard": (
        None,
        _all(403) | {"anonymous": 302, "home_affairs": 200, "leader": 200},
    ),
    "reporting:unit_dashboard": (None, _all(200) | {"home_affairs": 302, "leader": 302}),
    "reporting:unit_dashboard_of": (
        lambda w: {"pk": w["unit_a"].pk},
        _all(200) | {"head_b": 404},
    ),
    # --- dossiers and the working-day calendar ---
    "core:workday_override_list": (None, _home_affairs_only()),
    # POST only: Home Affairs passes the role check and meets 405 on GET
    "core:workday_override_delete": (
        lambda w: {"pk": w["override"].pk},
        _home_affairs_only() | {"home_affairs": 405},
    ),
    "dossiers:dashboard": (None, _all(200)),
    "dossiers:dossier_list": (None, _all(200)),
    "dossiers:dossier_detail": (lambda w: {"pk": w["dossier"].pk}, _all(200) | {"head_b": 404}),
    # POST only and for the receiving unit's people: others are refused by role first
    "dossiers:dossier_apology": (
        lambda w: {"pk": w["dossier"].pk},
        dict.fromkeys(PERSONAS[1:], 405) | {"anonymous": 302, "home_affairs": 403, "leader": 403},
    ),
    "dossiers:import_list": (None, _home_affairs_only()),
    "dossiers:import_template": (None, _home_affairs_only()),
    # the procedure catalogue is public to every signed-in person
    "dossiers:procedure_list": (None, _all(200)),
    "dossiers:aggregate_row_list": (None, _home_affairs_only()),
    # POST only: Home Affairs passes the role check and meets 405 on GET
    "dossiers:aggregate_row_import": (None, _home_affairs_only() | {"home_affairs": 405}),
    "dossiers:import_detail": (lambda w: {"pk": w["dossier_import"].pk}, _home_affairs_only()),
    "procedure-list": (None, API_ALL),
    "procedure-detail": (lambda w: {"pk": w["procedure"].pk}, API_ALL),
    "dossier-list": (None, API_ALL),
    "dossier-detail": (lambda w: {"pk": w["dossier"].pk}, API_ALL | {"head_b": 404}),
    "dossier-aggregate-list": (None, API_ALL),
    "dossier-aggregate-detail": (lambda w: {"pk": w["aggregate"].pk}, API_ALL | {"head_b": 404}),
    # metrics need a period: a bare GET is a 400 with the reason
    "api-dossier-metrics": (None, dict.fromkeys(PERSONAS[1:], 400) | {"anonymous": API_ANON}),
    # only the one-stop system's account (permission dossiers.push_dossiers) may push
    "api-dossier-push": (None, dict.fromkeys(PERSONAS[1:], 403) | {"anonymous": API_ANON}),
    "api-me": (None, dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": API_ANON}),
    "unit-list": (None, dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": API_ANON}),
    "unit-detail": (
        lambda w: {"pk": w["unit_a"].pk},
        dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": API_ANON, "head_b": 404},
    ),
    # directives and tasks: directives are read by all; assignments are scoped to the unit.
    "directives:directive_list": (None, _all(200)),
    "directives:directive_create": (None, _home_affairs_only()),
    "directives:directive_detail": (lambda w: {"pk": w["directive"].pk}, _all(200)),
    "directives:directive_edit": (lambda w: {"pk": w["directive"].pk}, _home_affairs_only()),
    "directives:directive_file": (lambda w: {"pk": w["directive"].pk}, _all(200)),
    "tasks:plan_entry": (lambda w: {"pk": w["directive"].pk}, _home_affairs_only()),
    "tasks:plan_add_task": (
        lambda w: {"pk": w["directive"].pk},
        _home_affairs_only() | {"home_affairs": 405},  # POST only
    ),
    "tasks:task_import": (lambda w: {"pk": w["directive"].pk}, _home_affairs_only()),
    "tasks:task_import_template": (None, _home_affairs_only()),
    # changing a task after entry: Home Affairs only, the role checked before anything else
    "tasks:task_edit": (lambda w: {"pk": w["assignment"].task_id}, _home_affairs_only()),
    "tasks:task_state": (
        lambda w: {"pk": w["assignment"].task_id},
        _home_affairs_only() | {"home_affairs": 405},  # POST only
    ),
    "tasks:plan_bulk": (
        lambda w: {"pk": w["directive"].pk},
        _home_affairs_only() | {"home_affairs": 405},  # POST only
    ),
    "tasks:inbox": (None, _all(200) | {"home_affairs": 403, "leader": 403}),
    "tasks:assignment_list": (
        None,
        _all(403) | {"anonymous": 302, "home_affairs": 200, "leader": 200},
    ),
    "tasks:review_queue": (None, _home_affairs_only()),
    "tasks:assignment_detail": (
        lambda w: {"pk": w["assignment"].pk},
        _all(200) | {"head_b": 404},
    ),
    "tasks:report_create": (
        lambda w: {"pk": w["assignment"].pk},
        _post_only_for("staff_a", "head_a", "head_b"),
    ),
    "tasks:report_submit": (
        lambda w: {"pk": w["assignment"].pk, "report_pk": w["report"].pk},
        _post_only_for("head_a", "head_b"),
    ),
    "tasks:assignment_review": (
        lambda w: {"pk": w["assignment"].pk},
        _home_affairs_only() | {"home_affairs": 405},
    ),
    "tasks:assignment_manage": (
        lambda w: {"pk": w["assignment"].pk},
        _home_affairs_only() | {"home_affairs": 405},
    ),
    "tasks:extension_request": (
        lambda w: {"pk": w["assignment"].pk},
        _post_only_for("staff_a", "head_a", "head_b"),
    ),
    "tasks:extension_decide": (
        lambda w: {"pk": w["assignment"].pk, "extension_pk": w["extension"].pk},
        _home_affairs_only() | {"home_affairs": 405},
    ),
    "tasks:evidence_download": (
        lambda w: {"pk": w["evidence"].pk},
        _all(200) | {"head_b": 404},
    ),
    "tasks:evidence_view": (
        lambda w: {"pk": w["evidence"].pk},
        _all(200) | {"head_b": 404},
    ),
    # the conversation of unit A's (lead) assignment: read by its people, Home Affairs and
    # leadership; written by all but leadership; another unit's thread is 404
    "tasks:thread": (lambda w: {"pk": w["assignment"].pk}, _all(200) | {"head_b": 404}),
    "tasks:thread_post": (
        lambda w: {"pk": w["assignment"].pk},
        _post_only_for("staff_a", "head_a", "head_b", "home_affairs"),
    ),
    "tasks:review_decide": (None, _home_affairs_only() | {"home_affairs": 405}),
    # notifications: each person's own; marking is POST only (another's id: see test_views)
    "notifications:list": (None, _all(200)),
    "notifications:bell": (None, _all(200)),
    "notifications:preferences": (None, _all(200)),
    "notifications:mark_read": (lambda w: {"pk": w["notification"].pk}, _all(405)),
    "notifications:mark_all_read": (None, _all(405)),
    # indicators: frameworks are edited by Home Affairs and read by leadership (units read them
    # through their sheet, the xlsx export and the API); a unit sees its own assessment only.
    "indicators:framework_list": (None, _home_affairs_only() | {"leader": 200}),
    "indicators:framework_template": (None, _all(200)),
    "indicators:framework_detail": (_framework, _home_affairs_only() | {"leader": 200}),
    # the editor's actions are POST only: Home Affairs passes the role check and meets 405 on GET
    "indicators:framework_edit": (_framework, _home_affairs_only() | {"home_affairs": 405}),
    "indicators:framework_bands": (_framework, _home_affairs_only() | {"home_affairs": 405}),
    "indicators:criterion_add": (_framework, _home_affairs_only() | {"home_affairs": 405}),
    "indicators:framework_import": (_framework, _home_affairs_only() | {"home_affairs": 405}),
    "indicators:framework_export": (_framework, _all(200)),
    "indicators:framework_copy": (_framework, _home_affairs_only() | {"home_affairs": 405}),
    "indicators:framework_open": (_framework, _home_affairs_only() | {"home_affairs": 405}),
    "indicators:criterion_edit": (_criterion, _home_affairs_only() | {"home_affairs": 405}),
    "indicators:criterion_delete": (_criterion, _home_affairs_only() | {"home_affairs": 405}),
    "indicators:criterion_bands": (_criterion, _home_affairs_only() | {"home_affairs": 405}),
    "indicators:assessment_list": (None, _all(200)),
    "indicators:assessment_detail": (_assessment, _all(200) | {"head_b": 404}),
    # POST only for every signed-in user (the services check actor and stage on POST; another
    # unit's id is a 404 on POST, see tests/indicators/test_views.py)
    "indicators:assessment_transition": (
        lambda w: {"pk": w["assessment"].pk, "action": "submit"},
        _post_only_for("head_a", "head_b", "home_affairs"),
    ),
    "indicators:assessment_recompute": (
        _assessment,
        _home_affairs_only() | {"home_affairs": 405},  # POST only
    ),
    "indicators:assessment_export": (_assessment, _all(200) | {"head_b": 404}),
    "indicators:assessment_import": (_assessment, _post_only_for("staff_a", "head_a", "head_b")),
    "indicators:line_update": (
        _score_line,
        _post_only_for("staff_a", "head_a", "head_b", "home_affairs"),
    ),
    "indicators:evidence_upload": (_score_line, _post_only_for("staff_a", "head_a", "head_b")),
    "indicators:evidence_remove": (
        lambda w: {"pk": w["indicator_evidence"].pk},
        _post_only_for("staff_a", "head_a", "head_b"),  # checked before the object lookup
    ),
    "indicators:evidence_download": (
        lambda w: {"pk": w["indicator_evidence"].pk},
        _all(200) | {"head_b": 404},
    ),
    # a unit's ranking lists final results only (test_unit_sees_only_final_results_in_the_ranking)
    "indicators:ranking": (None, _all(200)),
    "indicators:ranking_export": (None, _all(200)),
    "indicators:kpi_board": (None, _all(200)),
    "indicators:kpi_target_add": (None, _home_affairs_only() | {"home_affairs": 405}),  # POST
    # recompute a target from dossier data: POST only, Home Affairs (a POST by others is a 403,
    # tests/indicators/test_kpi_computed.py)
    "indicators:kpi_compute": (
        lambda w: {"pk": w["kpi_target"].pk},
        _home_affairs_only() | {"home_affairs": 405},
    ),
    "indicators:measurement_import": (None, _home_affairs_only() | {"home_affairs": 405}),  # POST
    "indicators:index_trend": (None, _all(200)),
    "indicators:index_import": (None, _home_affairs_only() | {"home_affairs": 405}),  # POST only
    "framework-list": (None, API_ALL),
    "framework-detail": (_framework, API_ALL),
    "criterion-list": (None, API_ALL),
    "criterion-detail": (_criterion, API_ALL),
    "assessment-list": (None, API_ALL),
    "assessment-detail": (_assessment, API_ALL | {"head_b": 404}),
    "score-line-list": (None, API_ALL),
    "score-line-detail": (_score_line, API_ALL | {"head_b": 404}),
    # the score action is POST only: DRF checks authentication first, then answers 405
    "score-line-score": (_score_line, dict.fromkeys(PERSONAS[1:], 405) | {"anonymous": API_ANON}),
    "kpi-target-list": (None, API_ALL),
    "kpi-target-detail": (lambda w: {"pk": w["kpi_target"].pk}, API_ALL),
    "kpi-measurement-list": (None, API_ALL),
    "kpi-measurement-detail": (lambda w: {"pk": w["measurement"].pk}, API_ALL | {"head_b": 404}),
    "provincial-index-list": (None, API_ALL),
    "provincial-index-detail": (lambda w: {"pk": w["provincial_index"].pk}, API_ALL),
    "core:jobrun_list": (None, _home_affairs_only()),
    "directive-list": (None, dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": API_ANON}),
    "directive-detail": (
        lambda w: {"pk": w["directive"].pk},
        dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": API_ANON},
    ),
    "task-list": (None, dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": API_ANON}),
    "task-detail": (
        lambda w: {"pk": w["assignment"].task_id},
        dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": API_ANON, "head_b": 404},
    ),
    "assignment-list": (None, dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": API_ANON}),
    "assignment-detail": (
        lambda w: {"pk": w["assignment"].pk},
        dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": API_ANON, "head_b": 404},
    ),
    "progressreport-list": (None, dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": API_ANON}),
    "progressreport-detail": (
        lambda w: {"pk": w["report"].pk},
        dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": API_ANON, "head_b": 404},
    ),
    "review-list": (None, dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": API_ANON}),
    "review-detail": (
        lambda w: {"pk": w["review"].pk},
        dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": API_ANON, "head_b": 404},
    ),
    # a person's own notifications; another person's id is a 404
    "notification-list": (None, dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": API_ANON}),
    "notification-detail": (
        lambda w: {"pk": w["notification"].pk},
        dict.fromkeys(PERSONAS[1:], 404) | {"anonymous": API_ANON, "head_a": 200},
    ),
    "notification-read": (
        lambda w: {"pk": w["notification"].pk},
        dict.fromkeys(PERSONAS[1:], 405) | {"anonymous": API_ANON},
    ),
    "notification-read-all": (
        None,
        dict.fromkeys(PERSONAS[1:], 405) | {"anonymous": API_ANON},
    ),
    # periodic CCHC reports: unit A's report of the Q3 round (another unit's: 404)
    "periodic_reports:index": (None, _all(200)),
    "periodic_reports:round_open": (None, _post_only_for("home_affairs")),
    "periodic_reports:round_detail": (
        lambda w: {"pk": w["periodic_round"].pk},
        _all(403) | {"home_affairs": 200, "leader": 200},
    ),
    "periodic_reports:report_list": (None, _all(200)),
    "periodic_reports:template": (None, _home_affairs_only()),
    "periodic_reports:kind_list": (None, _home_affairs_only()),
    "periodic_reports:template_download": (None, _home_affairs_only()),
    "periodic_reports:report_detail": (
        lambda w: {"pk": w["periodic_report"].pk},
        _all(200) | {"head_b": 404},
    ),
    "periodic_reports:report_save": (
        lambda w: {"pk": w["periodic_report"].pk},
        _post_only_for("home_affairs", "staff_a", "head_a", "head_b"),
    ),
    "periodic_reports:version_reopen": (
        lambda w: {"pk": w["periodic_report"].pk, "number": 1},
        _post_only_for("home_affairs", "staff_a", "head_a", "head_b"),
    ),
    "periodic_reports:report_submit": (
        lambda w: {"pk": w["periodic_report"].pk},
        _post_only_for("head_a", "head_b"),
    ),
    "periodic_reports:report_decide": (
        lambda w: {"pk": w["periodic_report"].pk},
        _post_only_for("home_affairs"),
    ),
    # an empty window: the download says so on the report's page
    "periodic_reports:report_docx": (
        lambda w: {"pk": w["periodic_report"].pk},
        _all(302) | {"head_b": 404},
    ),
    "periodic_reports:report_xlsx": (
        lambda w: {"pk": w["periodic_report"].pk},
        _all(302) | {"head_b": 404},
    ),
    "periodic_reports:report_pdf": (
        lambda w: {"pk": w["periodic_report"].pk},
        _post_only_for(*PERSONAS[1:]),
    ),
    "periodic_reports:pdf_download": (
        lambda w: {"pk": w["periodic_report"].pk, "pdf_pk": w["periodic_pdf"].pk},
        _all(200) | {"head_b": 404},
    ),
    "api-schema": (None, dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": API_ANON}),
    "api-docs": (None, dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": API_ANON}),
    # the write API's actions are POST only: a GET is 405 after authentication
    "assignment-cancel": (_assignment, API_POST_ONLY),
    "assignment-suspend": (_assignment, API_POST_ONLY),
    "assignment-resume": (_assignment, API_POST_ONLY),
    # the conversation of unit A's lead assignment: head_b is not on the task
    "assignment-posts": (_assignment, API_ALL | {"head_b": 404}),
    "task-cancel": (lambda w: {"pk": w["assignment"].task_id}, API_POST_ONLY),
    "task-suspend": (lambda w: {"pk": w["assignment"].task_id}, API_POST_ONLY),
    "task-resume": (lambda w: {"pk": w["assignment"].task_id}, API_POST_ONLY),
    "progressreport-submit": (lambda w: {"pk": w["report"].pk}, API_POST_ONLY),
    # integrations: API tokens and webhooks are Home Affairs' pages
    "integrations:token_list": (None, _home_affairs_only()),
    "integrations:token_create": (None, _home_affairs_only()),
    "integrations:token_revoke": (
        lambda w: {"pk": w["api_token"].pk},
        _home_affairs_only() | {"home_affairs": 405},  # POST only
    ),
    "integrations:webhook_list": (None, _home_affairs_only()),
    "integrations:webhook_create": (None, _home_affairs_only()),
    "integrations:webhook_detail": (lambda w: {"pk": w["webhook"].pk}, _home_affairs_only()),
    "integrations:webhook_edit": (lambda w: {"pk": w["webhook"].pk}, _home_affairs_only()),
    "integrations:delivery_resend": (
        lambda w: {"pk": w["webhook_delivery"].pk},
        _home_affairs_only() | {"home_affairs": 405},  # POST only
    ),
}


def _pattern_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            names |= _pattern_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_url_pattern_has_a_row():
    names = _pattern_names(get_resolver())
    # DRF routers add format-suffix variants of the same views; they share the row.
    names = {name for name in names if not name.endswith("-format")}
    assert names - set(MATRIX) == set(), "add a row to MATRIX for each new URL"
    assert set(MATRIX) - names == set(), "MATRIX names a URL that no longer exists"


def _tasks_world(unit_a, head_a):
    """A directive with a file, a task of unit A with a submitted report, its evidence and a
    pending extension request."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from directives.services import directive_create
    from tasks import services

    directive = directive_create(
        number="5580/KH-UBND",
        issue_date=datetime.date(2026, 1, 10),
        summary="Kế hoạch cải cách hành chính",
        issuer=unit_a.parent,
        file=SimpleUploadedFile("kh.pdf", b"%PDF-1.4 plan"),
    )
    task = services.task_create(
        directive=directive,
        item_number="1",
        title="Rà soát",
        lead_unit=unit_a,
        deadline=datetime.date(2026, 12, 31),
    )
    assignment = task.assignments.get()
    report = services.report_draft(
        assignment=assignment,
        author=head_a,
        percent=20,
        text="Đang làm",
        files=[SimpleUploadedFile("bc.pdf", b"%PDF-1.4 report")],
    )
    services.report_submit(report=report, actor=head_a)
    extension = services.extension_request(
        assignment=assignment,
        actor=head_a,
        requested_deadline=datetime.date(2027, 1, 31),
        reason="Chờ số liệu",
    )
    # a second task, reported done and confirmed, gives a review to read
    done = services.task_create(
        directive=directive, item_number="2", title="Tuyên truyền", lead_unit=unit_a,
        output_kind="activity",
    ).assignments.get()  # fmt: skip
    done_report = services.report_draft(
        assignment=done, author=head_a, percent=100, text="Xong", reports_done=True
    )
    services.report_submit(report=done_report, actor=head_a)
    from core.roles import Role
    from tests.factories import UserFactory

    reviewer = UserFactory(username="matrix_reviewer", role=Role.HOME_AFFAIRS, unit=None)
    review = services.assignment_confirm(assignment=done, actor=reviewer)
    return {
        "review": review,
        "directive": directive,
        "assignment": assignment,
        "report": report,
        "evidence": report.evidence.get(),
        "extension": extension,
    }


def _dossiers_world(unit_a, home_affairs):
    import datetime

    from dossiers.models import DossierImport
    from dossiers.services import aggregate_row_save
    from tests.dossiers.factories import at, make_dossier, make_procedure

    procedure = make_procedure("9.000001")
    dossier = make_dossier(procedure, unit_a, received_at=at(2026, 3, 16))
    aggregate = aggregate_row_save(
        unit=unit_a,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        received_online=1,
        received_offline=1,
    )
    dossier_import = DossierImport(original_name="hs.csv", created_by=home_affairs)
    dossier_import.file.save("hs.csv", io.BytesIO(b"a\n"), save=False)
    dossier_import.save()
    return {
        "dossier": dossier,
        "procedure": procedure,
        "aggregate": aggregate,
        "dossier_import": dossier_import,
    }


def _indicators_world(unit_a, unit_b, head_a, home_affairs):
    """A framework opened for units A and B, unit A's draft assessment with a score line and its
    evidence, a KPI target with unit A's value and one provincial index row. The framework's
    computed source must be registered by the caller (see `world`)."""
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from indicators.models import IndexKind
    from indicators.services import assessments as assessment_services
    from indicators.services.indices import index_record
    from indicators.services.kpi import kpi_target_create, measurement_record
    from tests.indicators.factories import build_framework

    framework = build_framework()
    opened = assessment_services.assessments_open(
        actor=home_affairs, framework=framework, units=[unit_a, unit_b]
    )
    assessment = next(a for a in opened if a.unit_id == unit_a.pk)
    score_line = assessment.lines.select_related("assessment").get(criterion__code="1.1.1")
    indicator_evidence = assessment_services.evidence_add(
        actor=head_a, line=score_line, uploaded=SimpleUploadedFile("kh.pdf", b"%PDF-1.4 plan")
    )
    kpi_target = kpi_target_create(
        actor=home_affairs,
        name="Tỷ lệ văn bản điện tử",
        measure="%",
        year=2025,
        levels={"province": Decimal(90)},
    )
    measurement = measurement_record(
        actor=home_affairs, kpi=kpi_target, unit=unit_a, value=Decimal(85)
    )
    return {
        "framework": framework,
        "criterion": framework.criteria.get(code="1.1.1"),
        "assessment": assessment,
        "score_line": score_line,
        "indicator_evidence": indicator_evidence,
        "kpi_target": kpi_target,
        "measurement": measurement,
        "provincial_index": index_record(
            actor=home_affairs, kind=IndexKind.PAR, year=2024, value=Decimal(90), rank=12
        ),
    }


def _integrations_world(home_affairs):
    """An API token, a webhook and one of its deliveries."""
    from integrations.models import WebhookDelivery
    from integrations.services.tokens import api_token_create
    from integrations.services.webhooks import webhook_create

    token = api_token_create(
        actor=home_affairs, name="Văn bản", user=home_affairs, groups=["directives"],
        can_write=False, expires_on=None,
    ).token  # fmt: skip
    webhook = webhook_create(
        actor=home_affairs, name="Văn bản", url="http://127.0.0.1:9/hook",
        events=["report.submitted"], owner=home_affairs, is_active=False,
    )  # fmt: skip
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="report.submitted", occurrence_key="matrix", subject="-", payload={}
    )
    return {"api_token": token, "webhook": webhook, "webhook_delivery": delivery}


def _periodic_world(unit_a, home_affairs, staff_a):
    """The Q3 round with unit A's report saved once, and a finished PDF of it."""
    from django.core.files.base import ContentFile

    from periodic_reports import services as periodic
    from periodic_reports.models import ReportKind, ReportPdf

    periodic.report_kinds_seed()
    round_ = periodic.round_open(
        actor=home_affairs,
        kind=ReportKind.objects.get(code="q3"),
        year=2026,
        day=datetime.date(2026, 10, 1),
    )
    report = round_.reports.get(unit=unit_a)
    version = periodic.report_save(report=report, actor=staff_a)
    pdf = ReportPdf(version=version, created_by=staff_a, status="succeeded")
    pdf.file.save("matrix.pdf", ContentFile(b"%PDF-1.4"), save=False)
    pdf.save()
    return {"periodic_round": round_, "periodic_report": report, "periodic_pdf": pdf}


@pytest.fixture(scope="module")
def indicator_source():
    """The computed source the indicators framework uses, registered for the module only (as
    the `rate_source` fixture of tests/indicators does for a test)."""
    register_source(TEST_SOURCE, "Tỷ lệ thử nghiệm", lambda unit, year: (None, {"note": "-"}))
    yield
    unregister_source(TEST_SOURCE)


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker, indicator_source):
    """The world below, built once for the module (its ~150 tests each only read it and post
    to it; each test's writes are rolled back after it, the world at the module's end)."""
    with rolled_back_at_module_end(django_db_blocker):
        people = make_people()
        yield _world(**{name: people[name] for name in PEOPLE})


@pytest.fixture
def world(world_once, db):
    return world_once


PEOPLE = ("unit_a", "unit_b", "home_affairs", "leader", "staff_a", "head_a", "head_b")


def _world(unit_a, unit_b, home_affairs, leader, staff_a, head_a, head_b):
    import io

    unit_import = UnitImport(original_name="units.csv", created_by=home_affairs)
    unit_import.file.save("units.csv", io.BytesIO(b"a,b\n"), save=False)
    unit_import.save()
    export = Export.objects.create(user=head_a, key="units", title="Đơn vị", params={})
    export_run(export_id=export.pk)
    tasks_world = _tasks_world(unit_a, head_a)
    periodic = _periodic_world(unit_a, home_affairs, staff_a)
    notification = notification_send(
        recipient=head_a, kind="info", message="Thông báo", dedupe_key="info:-:matrix"
    )
    return {
        **tasks_world,
        **_indicators_world(unit_a, unit_b, head_a, home_affairs),
        **_dossiers_world(unit_a, home_affairs),
        **periodic,
        "override": WorkdayOverride.objects.create(
            date=datetime.date(2026, 12, 31), kind="day_off", note="Nghỉ bù"
        ),
        "notification": notification,
        "export": export,
        "unit_a": unit_a,
        "unit_b": unit_b,
        "unit_import": unit_import,
        **_integrations_world(home_affairs),
        "users": {
            "home_affairs": home_affairs,
            "leader": leader,
            "staff_a": staff_a,
            "head_a": head_a,
            "head_b": head_b,
        },
    }


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_each_persona_gets_the_expected_status(client, world, url_name):
    build_kwargs, expected = MATRIX[url_name]
    url = reverse(url_name, kwargs=build_kwargs(world) if build_kwargs else None)
    outcomes = {}
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(world["users"][persona])
        outcomes[persona] = client.get(url).status_code
    assert outcomes == expected
    if expected["anonymous"] == 302 and url_name not in ("home",):
        client.logout()
        assert client.get(url)["Location"].startswith(reverse("login"))
