"""The monthly brief for leadership: the leader dashboard's figures of the year so far and the
overdue tasks, as a .docx attached to a mail, on the day of the month set in settings
(MONTHLY_BRIEF_DAY). Each person gets one per month: a BriefDelivery row (unique per person and
month) is the claim, made in the same transaction as the mail is sent."""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.roles import Role
from periodic_reports.models import BriefDelivery
from periodic_reports.text import day as vn_day
from periodic_reports.text import num, pct

RECIPIENT_ROLES = (Role.LEADER, Role.HOME_AFFAIRS)


def brief_figures(user, day: datetime.date) -> dict:
    """The leader dashboard's default panels (this year, every unit) as they stand on `day`."""
    from reporting.dashboards.panels import DashboardContext, DossierPanel, OverduePanel, TilesPanel
    from reporting.dashboards.periods import report_period

    period = report_period(day.year)
    ctx = DashboardContext(user=user, values={}, period=period, filter_token=f"brief{day}")
    tiles = TilesPanel(ctx).compute()
    overdue = OverduePanel(ctx).compute()
    dossiers = DossierPanel(ctx).compute()
    return {
        "day": day,
        "tiles": {tile["key"]: tile["figure"].rows for tile in tiles["tiles"]},
        "rate": tiles["rate"].rate,
        "overdue": overdue["rows"],
        "overdue_total": overdue["all"].rows,
        "dossiers": {
            "received": dossiers["figures"]["received_new"].rows
            + dossiers["figures"]["received_new"].aggregate,
            "on_time_rate": dossiers["figures"]["on_time_rate"].rate,
            "online_rate": dossiers["figures"]["online_rate"].rate,
        },
    }


def brief_docx(figures: dict) -> bytes:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    day = figures["day"]
    document.add_paragraph(settings.REPORT_ISSUER_PARENT)
    heading = document.add_paragraph()
    heading.add_run(f"BẢN TIN CẢI CÁCH HÀNH CHÍNH THÁNG {day:%m/%Y}").bold = True
    document.add_paragraph(f"Số liệu đến ngày {vn_day(day)}, kế hoạch năm {day.year}.")
    tiles = figures["tiles"]
    document.add_paragraph(
        f"Nhiệm vụ: {num(tiles['total'])}; đã hoàn thành {num(tiles['done'])} "
        f"({num(tiles['done_on_time'])} đã hoàn thành đúng hạn), đạt {pct(figures['rate'])}; "
        f"đang thực hiện quá hạn {num(tiles['overdue'])}."
    )
    dossiers = figures["dossiers"]
    document.add_paragraph(
        f"Hồ sơ thủ tục hành chính tiếp nhận mới: {num(dossiers['received'])}; tỷ lệ trước "
        f"hạn và đúng hạn {pct(dossiers['on_time_rate'])}; tỷ lệ trực tuyến "
        f"{pct(dossiers['online_rate'])}."
    )
    document.add_paragraph().add_run(
        f"Nhiệm vụ đang thực hiện quá hạn ({num(figures['overdue_total'])}):"
    ).bold = True
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("Nhiệm vụ", "Đơn vị", "Thời hạn", "Số ngày"), strict=True
    ):
        cell.text = text
    for row in figures["overdue"]:
        cells = table.add_row().cells
        cells[0].text = row["title"]
        cells[1].text = row["unit"]
        cells[2].text = vn_day(row["deadline"])
        cells[3].text = num(row["days"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def brief_recipients():
    return (
        get_user_model()
        .objects.filter(role__in=list(RECIPIENT_ROLES), is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def briefs_send(*, day: datetime.date | None = None) -> int:
    """Mail this month's brief to every recipient who has not had it. Returns the mails sent."""
    day = day or timezone.localdate()
    recipients = list(brief_recipients())
    if not recipients:
        return 0
    month = day.replace(day=1)
    pending = [
        user
        for user in recipients
        if not BriefDelivery.objects.filter(user=user, month=month).exists()
    ]
    if not pending:
        return 0
    figures = brief_figures(pending[0], day)
    attachment = brief_docx(figures)
    return sum(
        _brief_send_one(user=user, month=month, figures=figures, attachment=attachment)
        for user in pending
    )


def _brief_send_one(*, user, month: datetime.date, figures: dict, attachment: bytes) -> bool:
    try:
        with transaction.atomic():
            BriefDelivery.objects.create(user=user, month=month)  # the claim
            _mail(user=user, figures=figures, attachment=attachment)
    except IntegrityError:
        return False  # another run claimed this person's brief of the month
    return True


def _mail(*, user, figures: dict, attachment: bytes) -> None:
    context = {
        "user": user,
        "figures": figures,
        "rate": pct(figures["rate"]),
        "portal_url": settings.PORTAL_BASE_URL.rstrip("/"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("periodic_reports/email/brief_subject.txt", context)
        text = render_to_string("periodic_reports/email/brief_body.txt", context)
        html = render_to_string("periodic_reports/email/brief_body.html", context)
    mail = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    mail.attach_alternative(html, "text/html")
    mail.attach(
        f"ban-tin-cchc-{figures['day']:%Y-%m}.docx",
        attachment,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    mail.send()
