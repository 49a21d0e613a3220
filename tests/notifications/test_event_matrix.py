"""The acceptance matrix of issue 15: each workflow event, done through the pages by its actor
(twice: a double click), leaves exactly one notification for each person it concerns and none
for anyone else; every link opens for its reader; the next morning's digest lists them all."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from core.roles import Role
from indicators.services import assessments as assessment_services
from notifications.models import Notification
from notifications.services import digests_send
from organizations.models import UnitKind, UnitLevel
from tasks import services as task_services
from tasks.models import Assignment, DeadlineExtension, Task
from tests.factories import OrgUnitFactory, UserFactory
from tests.indicators.conftest import rate_source  # noqa: F401 (a fixture)
from tests.indicators.factories import build_framework
from tests.indicators.helpers import appraise_all, line, self_score_all
from tests.tasks.factories import DirectiveFactory

pytestmark = pytest.mark.django_db

SCORES = {"1.1.1": "10", "1.2": "18"}


@pytest.fixture
def people(home_affairs, leader, head_a, staff_a, head_b, province):
    """The personas, plus a second Home Affairs officer (not the plan's), a cooperating unit C
    with its head and staff, and a district merged away into unit B; everyone has an e-mail."""
    unit_c = OrgUnitFactory(code="SXD", name="Sở Xây dựng", short_name="SXD", parent=province)
    district = OrgUnitFactory(
        code="H-X", name="Huyện X", kind=UnitKind.DISTRICT, level=UnitLevel.DISTRICT,
        valid_to=datetime.date(2026, 1, 31), parent=province,
    )  # fmt: skip
    district.successors.set([head_b.unit])
    users = {
        "home_affairs": home_affairs,
        "home_affairs_2": UserFactory(
            username="home_affairs_2", role=Role.HOME_AFFAIRS, unit=home_affairs.unit
        ),
        "leader": leader,
        "head_a": head_a,
        "staff_a": staff_a,
        "head_b": head_b,
        "head_c": UserFactory(username="head_c", role=Role.UNIT_HEAD, unit=unit_c),
        "staff_c": UserFactory(username="staff_c", role=Role.UNIT_STAFF, unit=unit_c),
        "head_x": UserFactory(username="head_x", role=Role.UNIT_HEAD, unit=district),
    }
    for name, user in users.items():
        user.email = f"{name}@cchc.example"
        user.save(update_fields=["email"])
    return users


def test_each_event_through_the_pages_tells_exactly_the_people_it_concerns(
    client_for,
    people,
    django_capture_on_commit_callbacks,
    time_machine,
    rate_source,  # noqa: F811
):
    time_machine.move_to("2026-03-02 09:00:00+07:00", tick=False)
    p = people
    directive = DirectiveFactory(
        number="12/KH-UBND", issue_date=datetime.date(2026, 1, 10), created_by=p["home_affairs"]
    )
    # a task of the merged-away district, entered before the merger (no one to tell then)
    district_task = task_services.task_create(
        directive=directive, item_number="9", title="Rà soát thủ tục cấp huyện",
        lead_unit=p["head_x"].unit, deadline=datetime.date(2026, 6, 30),
    )  # fmt: skip
    framework = build_framework(deadline=None)
    (assessment,) = assessment_services.assessments_open(
        actor=p["home_affairs"], framework=framework, units=[p["head_a"].unit]
    )
    self_score_all(assessment, p["head_a"], SCORES)

    def a(name):  # the assignment of task 1 for a unit, once the page created it
        return Assignment.objects.get(task__item_number="1", unit=p[name].unit)

    def pending_extension():
        return DeadlineExtension.objects.get(state="pending")

    def transition(action):
        return reverse("indicators:assessment_transition", args=[assessment.pk, action])

    steps = [
        (
            "assignment.assigned: a task entered on the plan page (lead A, cooperating C)",
            "home_affairs",
            lambda: reverse("tasks:plan_add_task", args=[directive.pk]),
            lambda: {
                "item_number": "1",
                "title": "Số hóa hồ sơ một cửa",
                "output_kind": "activity",
                "lead_unit": p["head_a"].unit_id,
                "cooperating_units": [p["head_c"].unit_id],
                "deadline": "30/06/2026",
            },
            {"head_a", "staff_a", "head_c", "staff_c"},
        ),
        (
            "report.submitted: unit A's head reports done",
            "head_a",
            lambda: reverse("tasks:report_create", args=[a("head_a").pk]),
            lambda: {
                "percent": "100",
                "text": "Đã số hóa 100%",
                "reports_done": "on",
                "submit": "1",
            },
            {"home_affairs"},
        ),
        (
            "report.returned: Home Affairs returns it with a reason",
            "home_affairs",
            lambda: reverse("tasks:assignment_review", args=[a("head_a").pk]),
            lambda: {"decision": "return", "reason": "Thiếu danh sách hồ sơ đã số hóa"},
            {"head_a", "staff_a"},
        ),
        (
            "report.submitted: reported done again",
            "head_a",
            lambda: reverse("tasks:report_create", args=[a("head_a").pk]),
            lambda: {
                "percent": "100",
                "text": "Đã bổ sung danh sách",
                "reports_done": "on",
                "submit": "1",
            },
            {"home_affairs"},
        ),
        (
            "report.confirmed",
            "home_affairs",
            lambda: reverse("tasks:assignment_review", args=[a("head_a").pk]),
            lambda: {"decision": "confirm"},
            {"head_a", "staff_a"},
        ),
        (
            "extension.requested by the cooperating unit's staff",
            "staff_c",
            lambda: reverse("tasks:extension_request", args=[a("head_c").pk]),
            lambda: {"requested_deadline": "31/07/2026", "reason": "Chờ số liệu của quý 2"},
            {"home_affairs"},
        ),
        (
            "extension.decided: approved",
            "home_affairs",
            lambda: reverse(
                "tasks:extension_decide", args=[a("head_c").pk, pending_extension().pk]
            ),
            lambda: {"decision": "approve", "note": ""},
            {"head_c", "staff_c"},
        ),
        (
            "extension.requested again by the head",
            "head_c",
            lambda: reverse("tasks:extension_request", args=[a("head_c").pk]),
            lambda: {"requested_deadline": "31/08/2026", "reason": "Thêm một tháng"},
            {"home_affairs"},
        ),
        (
            "extension.decided: refused with a note",
            "home_affairs",
            lambda: reverse(
                "tasks:extension_decide", args=[a("head_c").pk, pending_extension().pk]
            ),
            lambda: {"decision": "refuse", "note": "Đã gia hạn một lần"},
            {"head_c", "staff_c"},
        ),
        (
            "assignment.suspended",
            "home_affairs",
            lambda: reverse("tasks:assignment_manage", args=[a("head_c").pk]),
            lambda: {"action": "suspend"},
            {"head_c", "staff_c"},
        ),
        (
            "assignment.resumed",
            "home_affairs",
            lambda: reverse("tasks:assignment_manage", args=[a("head_c").pk]),
            lambda: {"action": "resume"},
            {"head_c", "staff_c"},
        ),
        (
            "assignment.cancelled with a reason",
            "home_affairs",
            lambda: reverse("tasks:assignment_manage", args=[a("head_c").pk]),
            lambda: {"action": "cancel", "reason": "Sở Xây dựng không còn phần việc"},
            {"head_c", "staff_c"},
        ),
        (
            "assignment.assigned: re-addressed from the merged district to its successor B",
            "home_affairs",
            lambda: reverse("tasks:assignment_manage", args=[district_task.assignments.get().pk]),
            lambda: {"action": "transfer", "to_unit": p["head_b"].unit_id},
            {"head_b"},
        ),
        (
            "assessment.submitted: to every appraiser",
            "head_a",
            lambda: transition("submit"),
            dict,
            {"home_affairs", "home_affairs_2"},
        ),
        (
            "assessment.returned: round 1 done, back to the unit",
            "home_affairs",
            lambda: transition("finish_round_1"),
            dict,
            {"head_a", "staff_a"},
        ),
        (
            "assessment.submitted: the unit's explanations",
            "head_a",
            lambda: transition("submit_explanation"),
            dict,
            {"home_affairs", "home_affairs_2"},
        ),
        (
            "assessment.appraised: final",
            "home_affairs",
            lambda: transition("finalize"),
            dict,
            {"head_a", "staff_a"},
        ),
    ]

    told: dict[str, list[Notification]] = {name: [] for name in p}
    for title, actor, url, data, expected in steps:
        if title.startswith("assessment.returned"):
            appraise_all(assessment, p["home_affairs"], {"1.1.1": "9", "1.2": "17"})
        if title.startswith("assessment.appraised"):
            assessment_services.scoreline_survey(
                actor=p["home_affairs"], line=line(assessment, "2.1"), score=Decimal("50")
            )
        before = set(Notification.objects.values_list("pk", flat=True))
        client = client_for(p[actor])
        target, payload = url(), data()
        for attempt in range(2):  # a double click: the second is refused or changes nothing
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(target, payload)
            # (a second transfer finds the assignment at its new unit, which has no
            # successor: 404)
            again = (200, 302, 404) if "re-addressed" in title else (200, 302)
            assert response.status_code in ((302,) if attempt == 0 else again), (
                title,
                response.status_code,
            )
        new = list(
            Notification.objects.exclude(pk__in=before).select_related("recipient").order_by("pk")
        )
        # exactly one for each person concerned, none for anyone else
        assert sorted(n.recipient.username for n in new) == sorted(expected), title
        for notification in new:
            # the text says who did it, and the link opens for the reader
            assert str(p[actor]) in notification.message, (title, notification.message)
            assert notification.link, title
            reader = client_for(notification.recipient)
            assert reader.get(notification.link).status_code == 200, (title, notification.link)
            told[notification.recipient.username].append(notification)

    # the wording of two of them, as a unit reads it
    returned = [n for n in told["head_a"] if n.dedupe_key.startswith("report.returned")]
    assert len(returned) == 1
    assert "đã trả lại nhiệm vụ “12/KH-UBND · 1. Số hóa hồ sơ một cửa”" in returned[0].message
    assert "Lý do: Thiếu danh sách hồ sơ đã số hóa" in returned[0].message
    assigned = [n for n in told["head_b"] if n.dedupe_key.startswith("assignment.assigned")]
    assert "từ Huyện X sang Sở Tư pháp" in assigned[0].message

    # the next morning's digest: one mail per person concerned, listing each of their notices
    time_machine.move_to("2026-03-03 07:00:00+07:00", tick=False)
    mail.outbox = []
    digests_send()
    digests_send()  # a second run sends nothing more
    by_address = {}
    for message in mail.outbox:
        (address,) = message.to
        assert address not in by_address, f"two digests for {address}"
        by_address[address] = message
    assert set(by_address) == {f"{name}@cchc.example" for name, items in told.items() if items}
    for name, items in told.items():
        if not items:
            continue
        body = by_address[f"{name}@cchc.example"].body
        for notification in items:
            assert notification.message in body, (name, notification.message)
            assert f"http://testserver{notification.link}" in body or notification.link in body
    assert not told["leader"] and not told["head_x"]
    assert Task.objects.count() == 2
