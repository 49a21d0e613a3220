"""An account's life: forgot password by mail, approval of a person who signed in through
single sign-on, deactivation of a person who left (drafts handed to the unit head)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import services
from core.roles import Role
from notifications.models import Notification
from organizations.models import User
from tasks import services as task_services
from tasks.models import ProgressReport, ReportState
from tests.conftest import PASSWORD
from tests.factories import UserFactory

NEW_PASSWORD = "Cai-cach-hanh-chinh-2026!"


def _reset_link(client, email: str) -> str:
    response = client.post(reverse("password_reset"), {"email": email})
    assert response["Location"] == reverse("password_reset_done")
    body = mail.outbox[-1].body
    return re.search(r"https?://[^/\s]+(/dat-lai-mat-khau/\S+/)", body).group(1)


def test_the_login_page_offers_forgot_password(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "Quên mật khẩu?" in page
    assert reverse("password_reset") in page


def test_forgot_password_mails_a_link_that_sets_a_new_password_once(client, staff_a):
    staff_a.email = "cv.a@example.gov.vn"
    staff_a.save()

    link = _reset_link(client, "cv.a@example.gov.vn")

    message = mail.outbox[-1]
    assert message.subject == "Đặt mật khẩu mới trên Cổng CCHC"
    assert "Có yêu cầu đặt mật khẩu mới cho tài khoản staff_a" in message.body
    assert message.alternatives and "Đặt mật khẩu mới" in message.alternatives[0][0]
    form_page = client.get(link, follow=True)
    assert "Lưu mật khẩu mới" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == reverse("password_reset_complete")
    staff_a.refresh_from_db()
    assert staff_a.check_password(NEW_PASSWORD)
    # the link is spent
    again = client.get(link, follow=True).content.decode()
    assert "Đường dẫn không hợp lệ" in again


def test_a_reset_link_expires(client, staff_a, settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    settings.PASSWORD_RESET_TIMEOUT = 3600
    staff_a.email = "cv.a@example.gov.vn"
    staff_a.save()
    link = _reset_link(client, "cv.a@example.gov.vn")

    time_machine.shift(datetime.timedelta(hours=2))

    assert "Đường dẫn không hợp lệ" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, db):
    response = client.post(reverse("password_reset"), {"email": "ai.do@example.gov.vn"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_local_passwords_switched_off(client, staff_a, settings):
    settings.LOCAL_PASSWORD_LOGIN = False

    assert client.get(reverse("password_reset")).status_code == 404
    page = client.get(reverse("login")).content.decode()
    assert 'name="password"' not in page
    response = client.post(reverse("login"), {"username": "staff_a", "password": PASSWORD})
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_the_login_page_shows_the_single_sign_on_button_when_configured(client, db, settings):
    assert "tài khoản một cửa/định danh" not in client.get(reverse("login")).content.decode()
    settings.OIDC_ENABLED = True
    page = client.get(reverse("login")).content.decode()
    assert "Đăng nhập bằng tài khoản một cửa/định danh" in page
    assert reverse("accounts:oidc_login") in page


# --- approval ---------------------------------------------------------------------------


@pytest.fixture
def newcomer(db):
    return services.user_create_from_sign_in(
        username="nguyen.van.moi", email="moi@example.gov.vn", full_name="Nguyễn Văn Mới"
    )


def test_home_affairs_sees_and_approves_a_pending_account(
    client_for, home_affairs, newcomer, unit_a
):
    client = client_for(home_affairs)
    page = client.get(reverse("accounts:pending_list")).content.decode()
    assert "Nguyễn Văn Mới" in page

    prefix = f"u{newcomer.pk}"
    missing_unit = client.post(
        reverse("accounts:user_approve", args=[newcomer.pk]),
        {f"{prefix}-role": Role.UNIT_STAFF},
        follow=True,
    )
    assert "phải thuộc một đơn vị" in missing_unit.content.decode()
    client.post(
        reverse("accounts:user_approve", args=[newcomer.pk]),
        {f"{prefix}-role": Role.UNIT_STAFF, f"{prefix}-unit": unit_a.pk},
    )

    newcomer.refresh_from_db()
    assert (newcomer.role, newcomer.unit) == (Role.UNIT_STAFF, unit_a)
    assert Notification.objects.filter(recipient=newcomer, message__contains="phê duyệt").exists()
    assert "nguyen.van.moi" not in client.get(reverse("accounts:pending_list")).content.decode()


def test_a_pending_person_sees_only_the_waiting_page(client_for, newcomer):
    client = client_for(newcomer)
    assert client.get(reverse("tasks:inbox"))["Location"] == reverse("accounts:pending_wait")
    assert "Chờ phê duyệt" in client.get(reverse("accounts:pending_wait")).content.decode()


# --- deactivation -------------------------------------------------------------------------


def test_deactivating_a_person_who_left_hands_their_drafts_to_the_unit_head(
    client_for, home_affairs, head_a, staff_a, assignment_a
):
    draft = task_services.report_draft(
        assignment=assignment_a, author=staff_a, percent=40, text="Đã rà soát 12 thủ tục"
    )
    page = client_for(home_affairs).get(reverse("accounts:user_detail", args=[staff_a.pk]))
    assert "1 bản nháp báo cáo tiến độ của họ sẽ được chuyển cho thủ trưởng" in (
        page.content.decode()
    )

    response = client_for(home_affairs).post(
        reverse("accounts:user_deactivate", args=[staff_a.pk]), follow=True
    )

    assert "1 bản nháp đã được chuyển cho" in response.content.decode()
    staff_a.refresh_from_db()
    draft.refresh_from_db()
    assert not staff_a.is_active
    assert draft.author == head_a and draft.state == ReportState.DRAFT
    # the hand-over is in the report's history, and the person's own history stays
    assert draft.history.first().history_change_reason == "Chuyển từ staff_a (đã nghỉ)"
    assert staff_a.history.first().history_change_reason == "Vô hiệu hóa tài khoản"
    assert staff_a.history.filter(is_active=True).exists()
    assert Notification.objects.filter(recipient=head_a, message__contains="bản nháp").exists()


def test_submitted_reports_keep_their_author(home_affairs, head_a, staff_a, assignment_a):
    report = task_services.report_draft(
        assignment=assignment_a, author=staff_a, percent=40, text="x"
    )
    task_services.report_submit(report=report, actor=head_a)

    handed, _head = services.user_deactivate(user=staff_a, actor=home_affairs)

    assert handed == 0
    assert ProgressReport.objects.get(pk=report.pk).author == staff_a


def test_a_deactivated_person_cannot_log_in(client, home_affairs, staff_a):
    services.user_deactivate(user=staff_a, actor=home_affairs)
    response = client.post(reverse("login"), {"username": "staff_a", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_home_affairs_cannot_deactivate_itself_and_others_may_not_at_all(
    client_for, home_affairs, head_a, staff_a
):
    response = client_for(home_affairs).post(
        reverse("accounts:user_deactivate", args=[home_affairs.pk]), follow=True
    )
    assert "Không thể tự vô hiệu hóa" in response.content.decode()
    assert (
        client_for(head_a).post(reverse("accounts:user_deactivate", args=[staff_a.pk])).status_code
        == 403
    )
    assert User.objects.filter(is_active=True, pk__in=[home_affairs.pk, staff_a.pk]).count() == 2


# --- the user list --------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 30])
def test_the_user_list_query_count_does_not_grow_with_the_rows(
    client_for, home_affairs, unit_a, extra, django_assert_num_queries
):
    for number in range(extra):
        UserFactory(username=f"cv{number}", unit=unit_a)
    client = client_for(home_affairs)
    client.get(reverse("accounts:user_list"))  # warm the session and the menu's caches
    # session, user, the count, the signed-in user's unit (menu), the rows with their units
    # (select_related), and the session saved on every request (savepoint, update, release);
    # the second-factor check reads the session, not the device tables
    with django_assert_num_queries(8):
        response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 200


def test_the_user_list_filters_by_account_state(client_for, home_affairs, newcomer, staff_a):
    page = client_for(home_affairs).get(reverse("accounts:user_list") + "?state=pending")
    body = page.content.decode()
    assert "nguyen.van.moi" in body and "staff_a" not in body
    assert 'data-total="1"' in body


def test_a_deactivated_persons_single_sign_on_session_ends(home_affairs, staff_a, settings):
    from accounts.oidc import PortalOIDCBackend

    settings.OIDC_OP_JWKS_ENDPOINT = "http://127.0.0.1:1/jwks"  # the backend wants one set
    backend = PortalOIDCBackend()
    assert backend.get_user(staff_a.pk) == staff_a

    services.user_deactivate(user=staff_a, actor=home_affairs)

    assert backend.get_user(staff_a.pk) is None


@pytest.mark.parametrize("waiting", [1, 6])
def test_the_pending_list_query_count_does_not_grow_with_the_rows(
    client_for, home_affairs, unit_a, waiting, django_assert_num_queries
):
    for number in range(waiting):
        services.user_create_from_sign_in(username=f"moi{number}", full_name=f"Người mới {number}")
    client = client_for(home_affairs)
    # session, user, the signed-in user's unit (menu), the waiting accounts, the unit choices
    # (their count and rows, once for every row's form), and the session saved (savepoint,
    # update, release)
    with django_assert_num_queries(9):
        response = client.get(reverse("accounts:pending_list"))
    assert response.content.decode().count("Phê duyệt tài khoản") == waiting


def test_forgot_password_mails_are_limited_per_client_address(client, staff_a, settings):
    settings.PASSWORD_RESET_RATE = 2
    staff_a.email = "cv.a@example.gov.vn"
    staff_a.save()

    answers = [
        client.post(reverse("password_reset"), {"email": "cv.a@example.gov.vn"})["Location"]
        for _try in range(4)
    ]

    assert answers == [reverse("password_reset_done")] * 4  # the same answer every time
    assert len(mail.outbox) == 2
