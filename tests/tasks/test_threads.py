"""The conversation of an assignment: who writes, who reads, what a bad post gets, and that the
thread's page costs the same whatever the number of messages and files."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from tasks import selectors, services
from tasks.models import AssignmentPost, AssignmentRole, Evidence
from tests.factories import OrgUnitFactory, UserFactory

PDF = b"%PDF-1.4\n% dong gop\n%%EOF\n"
BAD_TYPE_VI = "Nội dung tệp không thuộc loại được chấp nhận"


def pdf(name="dong-gop.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


@pytest.fixture
def unit_c(province):
    return OrgUnitFactory(code="SYT", name="Sở Y tế", short_name="SYT", parent=province)


@pytest.fixture
def head_c(unit_c):
    return UserFactory(username="head_c", role=Role.UNIT_HEAD, unit=unit_c)


@pytest.fixture
def shared_task(directive, unit_a, unit_b):
    """Led by unit A, with unit B cooperating (each has its own assignment)."""
    return services.task_create(
        directive=directive,
        item_number="7",
        title="Rà soát quy trình nội bộ",
        lead_unit=unit_a,
        cooperating_units=[unit_b],
        deadline=datetime.date(2026, 12, 15),
    )


@pytest.fixture
def lead(shared_task, unit_a):
    return shared_task.assignments.get(unit=unit_a)


@pytest.fixture
def cooperating(shared_task, unit_b):
    return shared_task.assignments.get(unit=unit_b)


def post_url(thread):
    return reverse("tasks:thread_post", args=[thread.pk])


# --- Who sees and who writes -------------------------------------------------------------------


def test_the_cooperating_unit_lists_and_opens_its_assignment_and_sees_the_lead_thread(
    client_for, head_b, cooperating, lead
):
    # given a task led by A with B cooperating; when B's head opens the unit's inbox
    client = client_for(head_b)
    inbox = client.get(reverse("tasks:inbox")).content.decode()
    # then the cooperating assignment is listed, and its page shows the lead's thread form
    assert reverse("tasks:assignment_detail", args=[cooperating.pk]) in inbox
    page = client.get(reverse("tasks:assignment_detail", args=[cooperating.pk]))
    assert page.status_code == 200
    assert f'id="thread-{lead.pk}"' in page.content.decode()
    assert post_url(lead) in page.content.decode()


def test_ids_past_a_thousand_are_written_without_a_thousands_dot(
    client_for, head_b, directive, unit_a, unit_b
):
    # the Vietnamese number format would print 4321 as "4.321": an id in HTML must not be
    from tests.tasks.factories import AssignmentFactory, TaskFactory

    task = TaskFactory(directive=directive)
    lead = AssignmentFactory(pk=4321, task=task, unit=unit_a)
    mine = AssignmentFactory(pk=4322, task=task, unit=unit_b, role=AssignmentRole.COOPERATING)
    page = client_for(head_b).get(reverse("tasks:assignment_detail", args=[mine.pk]))
    assert 'id="thread-4321"' in page.content.decode()
    assert 'hx-target="#thread-4321"' in page.content.decode()
    services.assignment_post_create(assignment=lead, actor=head_b, body="x", files=[pdf()])
    thread = client_for(head_b).get(reverse("tasks:thread", args=[lead.pk])).content.decode()
    assert "4.32" not in thread


def test_a_cooperating_head_posts_a_contribution_with_a_pdf_and_the_lead_reads_and_replies(
    client_for, head_a, head_b, lead, cooperating
):
    # when B's head posts a contribution with a PDF in the lead assignment's thread
    response = client_for(head_b).post(
        post_url(lead),
        {"body": "Sở Tư pháp gửi ý kiến góp ý.", "files": [pdf()], "client_token": "t-1"},
    )
    # then B is sent back to its own assignment, at the thread
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("tasks:assignment_detail", args=[cooperating.pk])
    )
    post = AssignmentPost.objects.get()
    assert (post.assignment, post.author, post.author_unit) == (lead, head_b, head_b.unit)
    attachment = post.attachments.get()
    assert attachment.original_name == "dong-gop.pdf"
    assert attachment.file.name.startswith("evidence/")
    # and A's head reads it on the assignment page, downloads the file and replies
    client = client_for(head_a)
    page = client.get(reverse("tasks:assignment_detail", args=[lead.pk])).content.decode()
    assert "Sở Tư pháp gửi ý kiến góp ý." in page
    assert timezone.localtime(post.created_at).strftime("%d/%m/%Y %H:%M") in page
    download = client.get(reverse("tasks:evidence_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    client.post(post_url(lead), {"body": "Cảm ơn, đã tiếp thu.", "client_token": "t-2"})
    # which B reads on its own page
    page = client_for(head_b).get(reverse("tasks:assignment_detail", args=[cooperating.pk]))
    assert "Cảm ơn, đã tiếp thu." in page.content.decode()


def test_home_affairs_writes_and_leadership_only_reads(client_for, home_affairs, leader, lead):
    assert (
        client_for(home_affairs).post(post_url(lead), {"body": "Đề nghị khẩn trương."}).status_code
        == 302
    )
    # leadership reads the thread but may not write (refused before the form is read)
    assert client_for(leader).get(reverse("tasks:thread", args=[lead.pk])).status_code == 200
    assert client_for(leader).post(post_url(lead), {"body": "x"}).status_code == 403
    assert AssignmentPost.objects.count() == 1


def test_another_units_thread_is_404_on_get_and_post_and_its_files_too(
    client_for, head_b, head_c, lead
):
    post = services.assignment_post_create(
        assignment=lead, actor=head_b, body="Góp ý", files=[pdf()]
    )
    client = client_for(head_c)
    assert client.get(reverse("tasks:thread", args=[lead.pk])).status_code == 404
    assert client.post(post_url(lead), {"body": "Xen vào"}).status_code == 404
    attachment = post.attachments.get()
    assert client.get(reverse("tasks:evidence_download", args=[attachment.pk])).status_code == 404
    assert client.get(reverse("tasks:evidence_view", args=[attachment.pk])).status_code == 404
    assert AssignmentPost.objects.count() == 1


def test_a_cooperating_assignment_has_no_thread_of_its_own(client_for, head_b, cooperating):
    # the conversation is on the lead assignment; the cooperating one's id is not a thread
    assert client_for(head_b).post(post_url(cooperating), {"body": "x"}).status_code == 404
    assert not AssignmentPost.objects.exists()


def test_a_unit_outside_the_task_may_not_write_through_the_service(head_c, lead):
    with pytest.raises(PermissionDenied):
        services.assignment_post_create(assignment=lead, actor=head_c, body="x")


# --- Bad input -----------------------------------------------------------------------------


def test_an_empty_message_is_refused_beside_its_field_and_nothing_is_written(
    client_for, head_b, lead
):
    response = client_for(head_b).post(post_url(lead), {"body": "   ", "files": [pdf()]})
    assert response.status_code == 200
    assert "Nội dung trao đổi" in response.content.decode()
    assert not AssignmentPost.objects.exists()
    assert not Evidence.objects.exists()


def test_a_file_that_is_not_allowed_gets_the_guards_message_and_nothing_is_written(
    client_for, head_b, lead
):
    fake = SimpleUploadedFile("bao-cao.pdf", b"<html><script>x</script></html>", "application/pdf")
    response = client_for(head_b).post(
        post_url(lead), {"body": "Kèm tệp", "files": [pdf("a.pdf"), fake], "client_token": "t"}
    )
    text = response.content.decode()
    assert BAD_TYPE_VI in text and "bao-cao.pdf" in text
    assert "Kèm tệp" in text  # the message as typed
    assert not AssignmentPost.objects.exists()
    assert not Evidence.objects.exists()


def test_a_double_submit_posts_once(client_for, head_b, lead):
    client = client_for(head_b)
    form = {"body": "Gửi một lần", "client_token": "same-token"}
    first = client.post(post_url(lead), form)
    second = client.post(post_url(lead), form)
    assert first.status_code == second.status_code == 302
    assert AssignmentPost.objects.count() == 1


def test_the_service_returns_the_same_message_for_the_same_token(head_b, lead):
    one = services.assignment_post_create(
        assignment=lead, actor=head_b, body="A", client_token="tok"
    )
    two = services.assignment_post_create(
        assignment=lead, actor=head_b, body="A", client_token="tok"
    )
    assert one.pk == two.pk
    with pytest.raises(ValidationError):
        services.assignment_post_create(assignment=lead, actor=head_b, body="")


def test_an_htmx_post_answers_the_thread_partial_with_the_new_message(client_for, head_b, lead):
    response = client_for(head_b).post(
        post_url(lead), {"body": "Qua htmx", "client_token": "h"}, HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert text.lstrip().startswith("<section") and "Qua htmx" in text
    assert "<html" not in text


# --- Scoping selector ----------------------------------------------------------------------


def test_threads_visible_to_follows_the_task_units(home_affairs, head_a, head_b, head_c, lead):
    assert list(selectors.threads_visible_to(head_a)) == [lead]
    assert list(selectors.threads_visible_to(head_b)) == [lead]
    assert list(selectors.threads_visible_to(head_c)) == []
    assert lead in selectors.threads_visible_to(home_affairs)
    assert lead.role == AssignmentRole.LEAD


# --- Cost ----------------------------------------------------------------------------------


# session, user, the thread, its messages, their files, the write check, the viewer's own
# assignment, and the page frame (menu, bell)
THREAD_PAGE_QUERIES = 11


def test_the_thread_page_query_count_does_not_grow_with_messages_and_files(
    client_for, head_a, head_b, lead, django_assert_num_queries
):
    client = client_for(head_b)
    services.assignment_post_create(assignment=lead, actor=head_a, body="1", files=[pdf()])
    with django_assert_num_queries(THREAD_PAGE_QUERIES):
        assert client.get(reverse("tasks:thread", args=[lead.pk])).status_code == 200
    for number in range(12):
        author = head_a if number % 2 else head_b
        services.assignment_post_create(
            assignment=lead, actor=author, body=f"m{number}", files=[pdf(), pdf("b.pdf")]
        )
    with django_assert_num_queries(THREAD_PAGE_QUERIES):
        response = client.get(reverse("tasks:thread", args=[lead.pk]))
    assert (
        response.content.decode().count('class="border-start border-3 ps-2 mb-3 thread-post"') == 13
    )


# --- Notifications -------------------------------------------------------------------------


def test_each_post_tells_the_others_on_the_thread_once_and_links_to_the_thread(
    client_for,
    home_affairs,
    head_a,
    staff_a,
    head_b,
    head_c,
    lead,
    django_capture_on_commit_callbacks,
):
    from notifications.models import Notification

    # when B's head posts (and clicks twice)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            client_for(head_b).post(post_url(lead), {"body": "Góp ý của STP", "client_token": "n"})
    post = AssignmentPost.objects.get()
    # then the lead unit's people and Home Affairs hear of it once; the author and a unit
    # outside the task do not
    notified = Notification.objects.filter(dedupe_key__startswith="thread.posted:")
    assert sorted(n.recipient.username for n in notified) == sorted(
        [head_a.username, staff_a.username, home_affairs.username]
    )
    assert all(n.link == post.get_absolute_url() for n in notified)
    assert "Góp ý của STP" in notified.first().message
    # and the link opens for every recipient (the thread page, not the lead's assignment page)
    for user in (head_a, home_affairs):
        assert client_for(user).get(post.get_absolute_url()).status_code == 200
    # B's own reply later tells A, and B hears of A's reply
    with django_capture_on_commit_callbacks(execute=True):
        client_for(head_a).post(post_url(lead), {"body": "Đã nhận", "client_token": "r"})
    assert (
        Notification.objects.filter(recipient=head_b, dedupe_key__startswith="thread.").count() == 1
    )
    assert not Notification.objects.filter(recipient=head_c).exists()


def test_the_plan_grid_writes_task_ids_past_a_thousand_plainly(client_for, home_affairs, directive):
    # a bulk action posts the selected tasks' ids and reads version_<id>: "1.234" would break it
    from tests.tasks.factories import TaskFactory

    TaskFactory(pk=4321, directive=directive)
    page = client_for(home_affairs).get(reverse("tasks:plan_entry", args=[directive.pk]))
    text = page.content.decode()
    assert 'value="4321"' in text and 'name="version_4321"' in text
    assert "4.321" not in text


def test_a_cancelled_assignments_conversation_is_closed(home_affairs, head_b, lead):
    services.assignment_cancel(assignment=lead, actor=home_affairs, reason="Không còn phù hợp")
    lead.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.assignment_post_create(assignment=lead, actor=head_b, body="Góp ý")
    assert "đã bị hủy" in refused.value.messages[0]
    assert not AssignmentPost.objects.exists()
