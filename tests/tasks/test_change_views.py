"""The pages that change a task after entry: the task page (edit, suspend, resume, cancel) and
the plan grid's bulk actions, with every kind of bad input."""

import datetime

import pytest
from django.urls import reverse

from tasks import services
from tasks.models import Task, TaskState

D = datetime.date
REASON = "Điều chỉnh theo Công văn 123/UBND-NC"


def _edit(client, task, **data):
    form = {
        "title": task.title,
        "content": task.content,
        "expected_output": task.expected_output,
        "deadline": f"{task.deadline:%d/%m/%Y}" if task.deadline else "",
        "lead_unit": task.lead_unit_id or "",
        "cooperating_units": [u.pk for u in task.cooperating_units.all()],
        "reason": REASON,
        "version": task.version,
    }
    form.update(data)
    return client.post(reverse("tasks:task_edit", args=[task.pk]), form)


def test_home_affairs_moves_a_deadline_and_the_unit_reads_it(
    client_for, task_a, assignment_a, home_affairs, head_a
):
    # when Home Affairs changes the deadline with a reason
    response = _edit(client_for(home_affairs), task_a, deadline="30/10/2026")
    # then the page says so and the task page lists the change, who and why
    assert response.status_code == 302
    page = client_for(home_affairs).get(response.url).content.decode()
    assert "15/09/2026 → 30/10/2026" in page
    assert REASON in page
    # and the unit's head sees the new deadline on the assignment
    html = client_for(head_a).get(reverse("tasks:assignment_detail", args=[assignment_a.pk]))
    # with the change and its reason on the assignment's timeline
    text = html.content.decode()
    assert "Thời hạn được điều chỉnh từ 15/09/2026 thành 30/10/2026" in text
    assert REASON in text


def test_a_stale_form_and_a_double_submit_change_nothing(client_for, task_a, home_affairs):
    client = client_for(home_affairs)
    # given the page was read at this version
    read = Task.objects.get(pk=task_a.pk)
    first = _edit(client, read, deadline="30/10/2026")
    assert first.status_code == 302
    # when the same form is sent again (double submit), or an old page changes another field
    again = _edit(client, read, deadline="30/10/2026")
    older = _edit(client, read, title="Tên khác")
    # then each is refused with the message on top, and nothing more is written
    for response in (again, older):
        html = response.content.decode()
        assert response.status_code == 200
        assert "error-summary" in html
        assert "đã được thay đổi sau khi trang này được mở" in html
    task_a.refresh_from_db()
    assert task_a.title != "Tên khác"
    assert task_a.history.count() == 2  # created, then the one change


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"reason": ""}, "reason", "bắt buộc"),
        ({"deadline": "31/02/2026"}, "deadline", "ngày hợp lệ"),
        ({"deadline": "2026-10-30x"}, "deadline", "ngày hợp lệ"),
        ({"deadline": "01/01/2025"}, "deadline", "10/01/2026"),
    ],
)
def test_bad_input_is_named_beside_its_field_and_kept(
    client_for, task_a, home_affairs, data, field, words
):
    response = _edit(client_for(home_affairs), task_a, **{"title": "Tiêu đề mới", **data})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in html
    assert words in html
    assert 'value="Tiêu đề mới"' in html  # what the user typed is still there
    task_a.refresh_from_db()
    assert task_a.title != "Tiêu đề mới"


def test_a_unit_not_existing_on_the_plan_date_is_not_offered_nor_accepted(
    client_for, task_a, province, home_affairs
):
    from tests.factories import OrgUnitFactory

    gone = OrgUnitFactory(code="H1", name="UBND huyện Cũ", parent=province, valid_to=D(2025, 6, 1))
    response = _edit(client_for(home_affairs), task_a, lead_unit=gone.pk)
    assert 'id="id_lead_unit_error"' in response.content.decode()
    task_a.refresh_from_db()
    assert task_a.lead_unit != gone


def test_a_unit_head_is_refused_before_the_form_is_read(client_for, task_a, head_a, staff_a):
    for user in (head_a, staff_a):
        client = client_for(user)
        assert client.get(reverse("tasks:task_edit", args=[task_a.pk])).status_code == 403
        assert _edit(client, task_a, deadline="30/10/2026").status_code == 403
        response = client.post(
            reverse("tasks:task_state", args=[task_a.pk]),
            {"action": "cancel", "reason": REASON, "version": task_a.version},
        )
        assert response.status_code == 403
    task_a.refresh_from_db()
    assert (task_a.deadline, task_a.state) == (D(2026, 9, 15), TaskState.ACTIVE)


def test_cancel_needs_a_reason_then_cancels_and_hides_the_edit_form(
    client_for, task_a, assignment_a, home_affairs
):
    client = client_for(home_affairs)
    url = reverse("tasks:task_state", args=[task_a.pk])
    response = client.post(url, {"action": "cancel", "reason": "", "version": task_a.version})
    assert response.status_code == 200
    assert 'id="id_state_reason_error"' in response.content.decode()
    task_a.refresh_from_db()
    assert task_a.state == TaskState.ACTIVE
    response = client.post(url, {"action": "cancel", "reason": REASON, "version": task_a.version})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert 'id="task-edit-form"' not in page
    assert "Đã hủy" in page
    assignment_a.refresh_from_db()
    assert assignment_a.state == "cancelled"


def test_suspend_and_resume_from_the_task_page(client_for, task_a, assignment_a, home_affairs):
    client = client_for(home_affairs)
    url = reverse("tasks:task_state", args=[task_a.pk])
    client.post(url, {"action": "suspend", "reason": REASON, "version": task_a.version})
    task_a.refresh_from_db()
    assert task_a.state == TaskState.SUSPENDED
    client.post(url, {"action": "resume", "reason": "Tiếp tục", "version": task_a.version})
    task_a.refresh_from_db()
    assignment_a.refresh_from_db()
    assert (task_a.state, assignment_a.state) == (TaskState.ACTIVE, "open")


# --- Bulk actions on the plan grid ---------------------------------------------------------------


@pytest.fixture
def three_tasks(directive, unit_a):
    return [
        services.task_create(
            directive=directive,
            item_number=str(n),
            title=f"Nhiệm vụ {n}",
            lead_unit=unit_a,
            deadline=D(2026, 6, n),
            output_kind="activity",
        )
        for n in (11, 12, 13)
    ]


def _bulk(client, directive, tasks, **data):
    form = {
        "bulk-action": "shift",
        "bulk-days": "7",
        "bulk-reason": REASON,
        "bulk-tasks": [t.pk for t in tasks],
        **{f"version_{t.pk}": t.version for t in tasks},
    }
    form.update({f"bulk-{k}": v for k, v in data.items()})
    return client.post(reverse("tasks:plan_bulk", args=[directive.pk]), form)


def test_bulk_shift_of_three_tasks_asks_for_confirmation_then_moves_them(
    client_for, directive, three_tasks, home_affairs
):
    client = client_for(home_affairs)
    # when three tasks are ticked and "+7 days" is asked
    preview = _bulk(client, directive, three_tasks)
    html = preview.content.decode()
    # then a confirmation page says what will change, and nothing is saved yet
    assert preview.status_code == 200
    assert "11/06/2026" in html and "18/06/2026" in html
    assert Task.objects.filter(deadline=D(2026, 6, 18)).count() == 0
    # when it is confirmed
    done = _bulk(client, directive, three_tasks, confirm="True")
    assert done.status_code == 302
    assert sorted(Task.objects.values_list("deadline", flat=True)) == [
        D(2026, 6, 18),
        D(2026, 6, 19),
        D(2026, 6, 20),
    ]
    # and a second confirm (double submit) is refused: the versions are stale
    again = _bulk(client, directive, three_tasks, confirm="True")
    assert again.status_code == 200
    assert "error-summary" in again.content.decode()
    assert Task.objects.filter(deadline=D(2026, 6, 25)).count() == 0


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"reason": ""}, "bắt buộc"),
        ({"days": "", "to_date": ""}, "số ngày hoặc ngày mới"),
        ({"days": "", "to_date": "32/13/2026"}, "ngày hợp lệ"),
        ({"days": "", "to_date": "01/01/2026"}, "10/01/2026"),
        ({"action": "lead", "days": ""}, "Chọn đơn vị chủ trì mới"),
    ],
)
def test_bulk_bad_input_is_shown_on_the_plan_and_changes_nothing(
    client_for, directive, three_tasks, home_affairs, data, words
):
    response = _bulk(client_for(home_affairs), directive, three_tasks, confirm="True", **data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "bulk-error-summary" in html
    assert words in html
    # the ticked tasks stay ticked
    assert html.count("checked") >= 3
    assert sorted(Task.objects.values_list("deadline", flat=True)) == [
        D(2026, 6, 11),
        D(2026, 6, 12),
        D(2026, 6, 13),
    ]


def test_bulk_with_nothing_ticked_says_so(client_for, directive, three_tasks, home_affairs):
    response = _bulk(client_for(home_affairs), directive, [], confirm="True")
    assert "Đánh dấu ít nhất một nhiệm vụ" in response.content.decode()


def test_bulk_cancel_and_change_lead(client_for, directive, three_tasks, unit_b, home_affairs):
    client = client_for(home_affairs)
    _bulk(client, directive, three_tasks[:2], action="lead", days="", lead_unit=unit_b.pk,
          confirm="True")  # fmt: skip
    assert Task.objects.filter(lead_unit=unit_b).count() == 2
    fresh = list(Task.objects.order_by("pk"))
    _bulk(client, directive, fresh, action="cancel", days="", confirm="True")
    assert set(Task.objects.values_list("state", flat=True)) == {TaskState.CANCELLED}


def _grid_tasks(directive, unit_a, unit_b, count):
    for n in range(count):
        services.task_create(
            directive=directive,
            item_number=str(100 + n),
            title=f"Nhiệm vụ {n}",
            lead_unit=unit_a,
            cooperating_units=[unit_b],
            deadline=D(2026, 11, 1),
        )


@pytest.mark.parametrize("count", [2, 25])
def test_the_plan_grid_costs_the_same_queries_for_few_and_many_tasks(
    client_for, directive, unit_a, unit_b, home_affairs, django_assert_num_queries, count
):
    _grid_tasks(directive, unit_a, unit_b, count)
    client = client_for(home_affairs)
    url = reverse("tasks:plan_entry", args=[directive.pk])
    client.get(url)  # warm the session and the caches
    with django_assert_num_queries(PLAN_GRID_QUERIES):
        response = client.get(url)
    assert response.content.decode().count('name="bulk-tasks"') == count


# session, user; the directive with its areas and the documents it implements / implemented by (4);
# the tasks, their cooperating units (2); the add-a-task form: the unit kinds on the plan date,
# its unit choices and the CCHC areas; the bulk bar's lead unit choices; and the layout's own
# (menu, bell): whatever the number of tasks
PLAN_GRID_QUERIES = 18
