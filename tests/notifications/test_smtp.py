"""Mail for real: the digest goes through Django's SMTP backend to a real SMTP server (aiosmtpd)
started by the test on 127.0.0.1, and the test reads what arrived."""

import datetime
import email
import re
import socket
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse

from notifications.services import digests_send
from tasks import services as task_services
from tasks.models import OutputKind
from tests.tasks.factories import DirectiveFactory

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler keeping every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    settings.PORTAL_BASE_URL = "http://cchc.example.gov.vn"
    try:
        yield inbox
    finally:
        controller.stop()


def _text_of(raw: bytes):
    message = email.message_from_bytes(raw, policy=default_policy)
    # The default policy decodes the RFC 2047 words; Django folds the header after "Subject:",
    # which the parser keeps as a leading space (mail clients drop it).
    subject = str(message["Subject"]).strip()
    body = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return subject, body, html


def test_the_digest_arrives_by_smtp_in_vietnamese_with_a_working_link_once_per_person(
    smtp_server,
    home_affairs,
    head_a,
    staff_a,
    head_b,
    unit_a,
    client_for,
    django_capture_on_commit_callbacks,
    time_machine,
):
    time_machine.move_to("2026-03-02 10:00:00+07:00", tick=False)
    for user, address in ((head_a, "head_a@stc.example"), (staff_a, "staff_a@stc.example")):
        user.email = address
        user.save(update_fields=["email"])
    head_b.email = "head_b@stp.example"
    head_b.save(update_fields=["email"])
    # given a report of unit A returned by Home Affairs with a reason
    directive = DirectiveFactory(
        number="7/KH-UBND", issue_date=datetime.date(2026, 1, 10), created_by=home_affairs
    )
    task = task_services.task_create(
        directive=directive, item_number="3", title="Rà soát quy trình nội bộ",
        lead_unit=unit_a, deadline=datetime.date(2026, 6, 30),
        output_kind=OutputKind.ACTIVITY,
    )  # fmt: skip
    assignment = task.assignments.get()
    with django_capture_on_commit_callbacks(execute=True):
        report = task_services.report_draft(
            assignment=assignment, author=head_a, percent=100, text="Xong", reports_done=True
        )
        task_services.report_submit(report=report, actor=head_a)
        task_services.assignment_return(
            assignment=assignment, actor=home_affairs, reason="Chưa có quyết định ban hành"
        )

    # when the next morning's digest runs, twice (a retried beat)
    time_machine.move_to("2026-03-03 07:00:00+07:00", tick=False)
    # (Home Affairs, told of the submission, has no e-mail address; unit B was told nothing)
    assert digests_send() == 2
    assert digests_send() == 0

    # then exactly one mail per person arrived at the SMTP server
    recipients = sorted(rcpt for rcpt_tos, _ in smtp_server.messages for rcpt in rcpt_tos)
    assert recipients == ["head_a@stc.example", "staff_a@stc.example"]
    mails = {rcpt_tos[0]: _text_of(content) for rcpt_tos, content in smtp_server.messages}
    subject, body, html = mails["staff_a@stc.example"]
    # in Vietnamese, saying who did what to which task
    assert subject == "[Cổng CCHC] Tổng hợp thông báo ngày 03/03/2026 (1 thông báo)"
    assert "Kính gửi" in body
    assert "đã trả lại nhiệm vụ “7/KH-UBND · 3. Rà soát quy trình nội bộ”" in body
    assert "Lý do: Chưa có quyết định ban hành" in body
    assert "Rà soát quy trình nội bộ" in html
    # and the absolute link opens the task for that person
    links = re.findall(r"http://cchc\.example\.gov\.vn(/\S+)", body)
    detail = reverse("tasks:assignment_detail", args=[assignment.pk])
    assert detail in links
    assert client_for(staff_a).get(detail).status_code == 200
