"""Demo tasks, retold from the seed articles: the nine points of công văn 2718/UBND-NC to every
department and district, three tasks of plan 5580/KH-UBND, the "before 15/9/2021" task of the
plan carrying out 76/NQ-CP, and this year's CCHC plan of exactly 40 tasks, 28 of them done.

The year's plan is dated relative to the day it is loaded, so its statuses read right on that
day: 21 done on time, 7 done late, 3 awaiting confirmation, 3 due within a week, 2 in progress
well within their deadline, 4 overdue. Idempotent: a task found by directive and item number is
left alone, and the workflow runs only for tasks created in this call.
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from directives.demo import this_year_plan_number
from directives.models import CchcArea, Directive
from organizations.models import OrgUnit, User
from tasks import services
from tasks.models import (
    Assignment,
    AssignmentPost,
    AssignmentRole,
    OutputKind,
    Task,
    TaskRecurrence,
)
from tasks.services import AddressMode

D = datetime.date
DAY = datetime.timedelta(days=1)

# The nine points of công văn 2718/UBND-NC (no deadline: "thường xuyên").
LETTER_2718 = [
    ("Chỉ đạo thực hiện kế hoạch CCHC năm 2020, tự đánh giá và khắc phục hạn chế", 1),
    ("Nâng cao trách nhiệm người đứng đầu theo Quyết định 22/2020/QĐ-UBND", 1),
    ("Rà soát, hệ thống hóa văn bản quy phạm pháp luật thuộc lĩnh vực quản lý", 2),
    ("Công bố, niêm yết thủ tục hành chính và giám sát Bộ phận một cửa", 3),
    ("Sắp xếp, kiện toàn tổ chức bộ máy theo Nghị quyết 18-NQ/TW và 19-NQ/TW", 4),
    ("Siết chặt kỷ luật, kỷ cương hành chính; bồi dưỡng công chức, viên chức", 5),
    ("Công khai, minh bạch và tiết kiệm trong sử dụng kinh phí hành chính", 6),
    ("Rà soát việc áp dụng sáng kiến, giải pháp nâng cao hiệu quả CCHC", 1),
    ("Đẩy mạnh thông tin, tuyên truyền về kết quả CCHC giai đoạn 2011-2020", 1),
]

DISTRICT_SUCCESSORS = {
    "H-DONGSON": "X-DONGSON",
    "H-TAYHOA": "X-TAYHOA",
    "TX-BINHMINH": "P-BINHMINH",
}

# title, lead, CCHC area, the day the lead reported it done (the deadline is 15/12/2021).
PLAN_5580 = [
    (
        "Rà soát, đơn giản hóa thủ tục hành chính trong lĩnh vực sản xuất, kinh doanh",
        "STP",
        3,
        D(2021, 12, 10),
    ),
    ("Nâng cấp Hệ thống thông tin một cửa điện tử liên thông ba cấp", "SKHCN", 7, D(2021, 12, 13)),
    (
        "Đạt tỷ lệ xử lý hồ sơ công việc trên môi trường mạng theo chỉ tiêu",
        "VPUBND",
        7,
        D(2021, 12, 22),
    ),
]

# The quarterly CCHC report of the plan: its title names the last quarter whose report is due
# by the load day, and its deadline is that quarter's due day (the 20th of its last month).
QUARTER_REPORT = "Báo cáo CCHC định kỳ"
QUARTER_NAMES = {1: "quý I năm", 2: "6 tháng đầu năm", 3: "quý III năm", 4: "năm"}
REPORT_DUE_DAY = 20
# The unit's own CCHC plan follows the province's within the first month.
UNIT_PLAN = "Ban hành kế hoạch CCHC của đơn vị năm nay"
UNIT_PLAN_DUE = (1, 31)

# This year's plan: (title, CCHC area). Leads and statuses are given by PLAN_LAYOUT below.
PLAN_TITLES = [
    (UNIT_PLAN, 1),
    (QUARTER_REPORT, 1),
    ("Tự chấm điểm Chỉ số CCHC của đơn vị", 1),
    ("Kiểm tra công tác CCHC tại các đơn vị trực thuộc", 1),
    ("Tuyên truyền CCHC trên cổng thông tin điện tử", 1),
    ("Rà soát văn bản quy phạm pháp luật thuộc lĩnh vực quản lý", 2),
    ("Tham mưu ban hành văn bản quy định chi tiết luật mới", 2),
    ("Theo dõi thi hành pháp luật trong lĩnh vực được giao", 2),
    ("Rà soát, đơn giản hóa thủ tục hành chính", 3),
    ("Công bố danh mục thủ tục hành chính sửa đổi, bổ sung", 3),
    ("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", 3),
    ("Niêm yết công khai thủ tục hành chính tại Bộ phận một cửa", 3),
    ("Xử lý phản ánh, kiến nghị về quy định hành chính", 3),
    ("Kiện toàn tổ chức bộ máy sau sắp xếp", 4),
    ("Rà soát chức năng, nhiệm vụ của các phòng chuyên môn", 4),
    ("Ban hành quy chế làm việc sửa đổi", 4),
    ("Xây dựng đề án vị trí việc làm", 5),
    ("Đào tạo, bồi dưỡng kỹ năng số cho công chức", 5),
    ("Đánh giá, xếp loại công chức theo kết quả công việc", 5),
    ("Tuyển dụng công chức theo chỉ tiêu được giao", 5),
    ("Kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính", 5),
    ("Thực hiện cơ chế tự chủ tài chính tại đơn vị sự nghiệp", 6),
    ("Công khai dự toán, quyết toán ngân sách", 6),
    ("Báo cáo tình hình giải ngân vốn đầu tư công", 6),
    ("Rà soát định mức chi hành chính", 6),
    ("Cung cấp dịch vụ công trực tuyến toàn trình", 7),
    ("Tích hợp dịch vụ công lên Cổng Dịch vụ công quốc gia", 7),
    ("Nâng tỷ lệ hồ sơ trực tuyến", 7),
    ("Nâng tỷ lệ thanh toán trực tuyến phí, lệ phí", 7),
    ("Sử dụng chữ ký số trong xử lý văn bản", 7),
    ("Kết nối, chia sẻ dữ liệu với cơ sở dữ liệu quốc gia", 7),
    ("Bảo đảm an toàn thông tin hệ thống", 7),
    ("Khảo sát sự hài lòng của người dân (SIPAS)", 8),
    ("Tiếp nhận, trả lời góp ý của doanh nghiệp", 8),
    ("Đối thoại với người dân về thủ tục hành chính", 8),
    ("Cải thiện Chỉ số năng lực cạnh tranh (PCI)", 8),
    ("Cải thiện Chỉ số PAPI của tỉnh", 8),
    ("Triển khai mô hình một cửa hiện đại", 3),
    ("Nhân rộng sáng kiến CCHC", 1),
    ("Kiểm tra, đôn đốc khắc phục hạn chế sau kiểm tra CCHC", 1),
]

# The province's leader who follows each CCHC area of the year's plan (the dashboard's
# "leader in charge"), as a provincial plan divides the areas among the chairman and deputies.
AREA_LEADERS = {
    1: "Chủ tịch UBND tỉnh",
    2: "Phó Chủ tịch UBND tỉnh phụ trách khối Nội chính",
    3: "Phó Chủ tịch Thường trực UBND tỉnh",
    4: "Phó Chủ tịch UBND tỉnh phụ trách khối Nội chính",
    5: "Phó Chủ tịch UBND tỉnh phụ trách khối Nội chính",
    6: "Phó Chủ tịch UBND tỉnh phụ trách khối Kinh tế",
    7: "Phó Chủ tịch Thường trực UBND tỉnh",
    8: "Chủ tịch UBND tỉnh",
}

# (status to stage, how many). Units with demo heads carry the work that needs a report.
PLAN_LAYOUT = [
    ("done_on_time", 21),
    ("done_late", 7),
    ("awaiting", 3),
    ("due_soon", 3),
    ("in_progress", 2),
    ("overdue", 4),
]
REPORTING_UNITS = ["STP", "STC", "SYT", "X-DONGSON"]

# Cooperating units of this year's plan (by item number): their share follows the lead's stage.
# Item 9 (the procedure review, led by Finance) was done with Justice's appraisal; item 36 (the
# PCI, led by Justice) is under way with Finance's figures.
YEAR_COOPERATING = {9: ["STP"], 36: ["STC"]}

# The conversation of a task: (item, [(days from the anchor, author, message, a file's name)]).
# The anchor is the task's deadline for work already done, the load day for work under way.
# "{due}" is replaced by the task's deadline.
YEAR_THREADS = {
    9: [
        (
            -30,
            "noivu",
            "Đề nghị Sở Tài chính lưu ý: phương án đơn giản hóa thủ tục hành chính phải có ý kiến "
            "của Sở Tư pháp trước khi trình UBND tỉnh.",
            "",
        ),
        (
            -20,
            "truong.stp",
            "Sở Tư pháp đã có ý kiến đối với 12 thủ tục trong phương án; 3 thủ tục đề nghị giữ "
            "nguyên vì luật chuyên ngành đã quy định cụ thể. Ý kiến chi tiết gửi kèm.",
            "y-kien-so-tu-phap",
        ),
        (
            -5,
            "truong.stc",
            "Sở Tài chính đã tiếp thu ý kiến của Sở Tư pháp, hoàn thiện phương án và trình UBND "
            "tỉnh; báo cáo kết quả đã gửi trên hệ thống.",
            "",
        ),
    ],
    36: [
        (
            -12,
            "noivu",
            "Đề nghị Sở Tư pháp chủ trì, phối hợp Sở Tài chính rà soát các chỉ số thành phần PCI "
            "năm trước còn thấp (tính minh bạch, chi phí không chính thức) và gửi dự thảo giải "
            "pháp cải thiện về Sở Nội vụ trước ngày {due}.",
            "",
        ),
        (
            -10,
            "truong.stp",
            "Sở Tư pháp đã lập tổ rà soát. Đề nghị Sở Tài chính cung cấp số liệu thời gian giải "
            "quyết thủ tục đăng ký đầu tư của năm trước để đối chiếu với kết quả khảo sát PCI.",
            "",
        ),
        (
            -7,
            "cv.stc",
            "Sở Tài chính gửi kèm bảng số liệu thời gian giải quyết thủ tục đăng ký đầu tư năm "
            "trước. Số liệu về đất đai đang tổng hợp cùng Sở Nông nghiệp và Môi trường, sẽ bổ "
            "sung trong tuần tới.",
            "so-lieu-thu-tuc-dau-tu",
        ),
        (
            -3,
            "cv.stp",
            "Sở Tư pháp đã nhận số liệu, đang hoàn thiện dự thảo giải pháp; tiến độ khoảng 60%, "
            "dự kiến gửi Sở Nội vụ đúng hạn.",
            "",
        ),
    ],
}
SILENT_UNITS = ["SCT", "SXD", "SKHCN", "SGDDT"]  # they report nothing: their work falls overdue


def _pdf(name: str) -> ContentFile:
    body = b"%PDF-1.4\n% demo evidence: " + name.encode() + b"\n%%EOF\n"
    return ContentFile(body, name=f"{name}.pdf")


def _head(unit: OrgUnit) -> User | None:
    return User.objects.filter(unit=unit, role="unit_head", is_active=True).first()


def _report(assignment: Assignment, *, on: datetime.date, percent: int, done: bool) -> bool:
    head = _head(assignment.unit)
    if head is None:
        return False
    files = [_pdf(f"bao-cao-{assignment.pk}")] if done and assignment.task.needs_evidence else []
    report = services.report_draft(
        assignment=assignment,
        author=head,
        percent=percent,
        text="Đã hoàn thành, gửi kèm sản phẩm." if done else "Đang triển khai theo kế hoạch.",
        reports_done=done,
        files=files,
    )
    services.report_submit(report=report, actor=head, on=on)
    assignment.refresh_from_db()
    return True


def _confirm(assignment: Assignment, reviewer: User) -> None:
    services.assignment_confirm(assignment=assignment, actor=reviewer)


def _directive(number: str, year: int) -> Directive:
    return Directive.objects.get(number=number, year=year)


def _task(directive: Directive, item: str, **kwargs) -> tuple[Task, bool]:
    existing = Task.objects.filter(directive=directive, item_number=item).first()
    if existing:
        return existing, False
    return services.task_create(directive=directive, item_number=item, **kwargs), True


def _load_2718(reviewer: User) -> int:
    letter = _directive("2718/UBND-NC", 2020)
    addressees = services.units_for_address(
        mode=AddressMode.ALL_DEPARTMENTS_AND_DISTRICTS, on_date=letter.issue_date
    )
    created = 0
    for index, (title, area) in enumerate(LETTER_2718, start=1):
        task, new = _task(
            letter,
            str(index),
            title=title,
            addressees=addressees,
            output_kind=OutputKind.ACTIVITY,
            expected_output="Báo cáo kết quả thực hiện trong báo cáo CCHC định kỳ",
            area=CchcArea.objects.get(code=area),
        )
        if not new:
            continue
        created += 1
        # The districts were abolished on 30/6/2025: Home Affairs moved their open work to the
        # commune that took over each district's seat.
        for district_code, successor_code in DISTRICT_SUCCESSORS.items():
            district = OrgUnit.objects.filter(code=district_code).first()
            successor = OrgUnit.objects.filter(code=successor_code).first()
            open_share = task.assignments.filter(unit=district).first() if district else None
            if open_share and successor and not task.assignments.filter(unit=successor).exists():
                services.assignment_transfer(
                    assignment=open_share,
                    to_unit=successor,
                    actor=reviewer,
                    note="Chuyển giao khi kết thúc hoạt động cấp huyện (01/7/2025)",
                )
        # The units with a demo head carried out the first four points in 2020 (confirmed) and
        # report the standing ones in their 2025 CCHC report. The others have not reported, nor
        # has a commune on the work it was handed just now (the transfer is dated today).
        reporting = task.assignments.filter(
            unit__users__role="unit_head", unit__valid_from__isnull=True
        ).distinct()
        for assignment in reporting:
            if index <= 4:
                if _report(assignment, on=D(2020, 12, 10 + index), percent=100, done=True):
                    _confirm(assignment, reviewer)
            else:
                _report(assignment, on=D(2025, 12, 10), percent=50 + 5 * index, done=False)
    return created


def _load_5580(reviewer: User) -> int:
    plan = _directive("5580/KH-UBND", 2020)
    created = 0
    for index, (title, unit_code, area, done_on) in enumerate(PLAN_5580, start=1):
        task, new = _task(
            plan,
            str(index),
            title=title,
            lead_unit=OrgUnit.objects.get(code=unit_code),
            deadline=D(2021, 12, 15),
            output_kind=OutputKind.REPORT,
            expected_output="Báo cáo kết quả",
            area=CchcArea.objects.get(code=area),
        )
        if new:
            # A plan of 2021 is long settled: each lead reported and Home Affairs confirmed.
            lead = task.assignments.get(role=AssignmentRole.LEAD)
            if _report(lead, on=done_on, percent=100, done=True):
                _confirm(lead, reviewer)
        created += new
    return created + _load_quarterly_2021(plan, reviewer)


def _load_quarterly_2021(plan: Directive, reviewer: User) -> int:
    """The plan's recurring task: a CCHC report every quarter of 2021, each due on its quarter's
    last day, sent a few days before it and confirmed."""
    task, new = _task(
        plan,
        str(len(PLAN_5580) + 1),
        title="Báo cáo định kỳ công tác CCHC hằng quý",
        lead_unit=OrgUnit.objects.get(code="STP"),
        cooperating_units=OrgUnit.objects.filter(code__in=["STC", "SYT"]),
        recurrence=TaskRecurrence.QUARTERLY,
        recurrence_start=D(2021, 1, 1),
        recurrence_end=D(2021, 12, 31),
        output_kind=OutputKind.REPORT,
        expected_output="Báo cáo CCHC quý gửi Sở Nội vụ",
        area=CchcArea.objects.get(code=1),
    )
    if not new:
        return 0
    for assignment in task.assignments.all():
        head = _head(assignment.unit)
        if head is None:
            continue
        for period in assignment.periods.all():
            report = services.report_draft(
                assignment=assignment,
                author=head,
                percent=100,
                text="Báo cáo CCHC của quý, kèm phụ lục số liệu.",
                reports_done=True,
                period=period,
                files=[_pdf(f"bao-cao-quy-{assignment.pk}-{period.period_end:%m}")],
            )
            services.report_submit(report=report, actor=head, on=period.deadline - 5 * DAY)
            services.assignment_confirm(assignment=assignment, actor=reviewer, period=period)
    return 1


def _load_76(reviewer: User) -> int:
    programme = _directive("1250/KH-UBND", 2021)
    task, new = _task(
        programme,
        "1",
        title="Quán triệt Nghị quyết số 76/NQ-CP đến toàn thể cán bộ, công chức, viên chức",
        content="Quán triệt bằng hình thức phù hợp, bảo đảm đầy đủ; hoàn thành trước 15/9/2021.",
        lead_unit=OrgUnit.objects.get(code="SNV"),
        cooperating_units=OrgUnit.objects.filter(code__in=["STP", "STC", "VPUBND"]),
        deadline=D(2021, 9, 15),
        output_kind=OutputKind.REPORT,
        expected_output="Báo cáo kết quả quán triệt",
        area=CchcArea.objects.get(code=1),
        is_key=True,
        leader_in_charge="Phó Chủ tịch UBND tỉnh",
    )
    if new:
        days = (("SNV", D(2021, 9, 8)), ("STP", D(2021, 9, 10)), ("VPUBND", D(2021, 9, 14)))
        for code, day in (*days, ("STC", D(2021, 9, 20))):
            assignment = task.assignments.get(unit__code=code)
            if _report(assignment, on=day, percent=100, done=True):
                _confirm(assignment, reviewer)
    return int(new)


def _stage(
    assignment: Assignment,
    stage: str,
    today: datetime.date,
    reviewer: User,
    issued: datetime.date,
) -> None:
    """Bring a freshly created assignment to its demo status, with real reports (none before
    the plan was issued)."""
    if stage in ("done_on_time", "done_late"):
        halfway = max(assignment.deadline - 40 * DAY, issued + 5 * DAY)
        if halfway < assignment.deadline - 3 * DAY:
            _report(assignment, on=halfway, percent=50, done=False)
        done_on = (
            assignment.deadline - 3 * DAY
            if stage == "done_on_time"
            else assignment.deadline + 5 * DAY
        )
        _report(assignment, on=done_on, percent=100, done=True)
        _confirm(assignment, reviewer)
    elif stage == "awaiting":
        _report(assignment, on=today - 2 * DAY, percent=100, done=True)
    elif stage in ("due_soon", "in_progress"):
        _report(assignment, on=today - 10 * DAY, percent=60, done=False)


def _deadline(stage: str, n: int, today: datetime.date) -> datetime.date:
    if stage == "done_on_time":
        return today - (20 + 5 * n) * DAY
    if stage == "done_late":
        return today - (30 + 7 * n) * DAY
    if stage == "awaiting":
        return today + (10 + n) * DAY
    if stage == "due_soon":
        # In 1, 3 and 7 days: the days the deadline scan reminds on, so demo users get
        # notifications from `run_job tasks-deadline-scan` on the day the demo is loaded.
        return today + (1, 3, 7)[n] * DAY
    if stage == "in_progress":
        return today + (30 + 10 * n) * DAY
    return today - (3 + 4 * n) * DAY  # overdue


def quarter_report_due(today: datetime.date) -> tuple[str, datetime.date] | None:
    """The latest periodic report due at least ten days before `today` in this year: its
    period's name and its due day (the 20th of the period's last month)."""
    for quarter in (4, 3, 2, 1):
        due = D(today.year, 3 * quarter, REPORT_DUE_DAY)
        if due <= today - 10 * DAY:
            return QUARTER_NAMES[quarter], due
    return None


def _fitted(
    title: str, stage: str, n: int, today: datetime.date, issued: datetime.date
) -> tuple[str, datetime.date]:
    """The title and deadline of a plan task: a task tied to a period is due in that period
    (when the load day leaves room for it), the others relative to the load day."""
    deadline = _deadline(stage, n, today)
    if title == QUARTER_REPORT:
        due = quarter_report_due(today)
        if due and due[1] > issued:
            return f"Báo cáo CCHC {due[0]} {today.year}", due[1]
        return title, deadline
    if title == UNIT_PLAN:
        due = D(today.year, *UNIT_PLAN_DUE)
        if issued < due <= today - 10 * DAY:
            return title, due
    return title, deadline


def _load_year_plan(reviewer: User) -> int:
    today = timezone.localdate()
    plan = _directive(this_year_plan_number(), today.year)
    stages = [(stage, n) for stage, count in PLAN_LAYOUT for n in range(count)]
    created = 0
    for index, ((planned_title, area), (stage, n)) in enumerate(
        zip(PLAN_TITLES, stages, strict=True), start=1
    ):
        pool = SILENT_UNITS if stage == "overdue" else REPORTING_UNITS
        unit = OrgUnit.objects.get(code=pool[index % len(pool)])
        title, deadline = _fitted(planned_title, stage, n, today, plan.issue_date)
        task, new = _task(
            plan,
            str(index),
            title=title,
            lead_unit=unit,
            deadline=deadline,
            output_kind=OutputKind.REPORT if index % 3 else OutputKind.ACTIVITY,
            expected_output="Báo cáo kết quả" if index % 3 else "Hoạt động được tổ chức",
            area=CchcArea.objects.get(code=area),
            is_key=index % 5 == 0,
            leader_in_charge=AREA_LEADERS[area],
            cooperating_units=OrgUnit.objects.filter(code__in=YEAR_COOPERATING.get(index, ())),
        )
        if new:
            created += 1
            # the lead's share first, then each cooperating unit's, staged alike
            for assignment in task.assignments.order_by("-role", "unit__code"):
                _stage(assignment, stage, today, reviewer, plan.issue_date)
            if index in YEAR_THREADS:
                lead = task.assignments.get(role=AssignmentRole.LEAD)
                done = stage in ("done_on_time", "done_late")
                _converse(lead, YEAR_THREADS[index], anchor=deadline if done else today)
    return created


def _converse(lead: Assignment, posts: list, *, anchor: datetime.date) -> None:
    """Write the thread's messages through the service (the others on it are told), each
    dated its day at a working hour."""
    issued = lead.task.directive.issue_date
    for offset, username, body, file_name in posts:
        author = User.objects.get(username=username)
        post = services.assignment_post_create(
            assignment=lead,
            actor=author,
            body=body.replace("{due}", f"{lead.deadline:%d/%m/%Y}"),
            files=[_pdf(file_name)] if file_name else [],
        )
        day = max(anchor + offset * DAY, issued + DAY)
        moment = datetime.datetime.combine(day, datetime.time(9 + len(body) % 7, 15))
        AssignmentPost.objects.filter(pk=post.pk).update(created_at=timezone.make_aware(moment))


def load() -> str:
    reviewer = User.objects.filter(username="noivu").first()
    if reviewer is None:
        return "skipped: the Home Affairs demo user is missing"
    created = _load_2718(reviewer) + _load_5580(reviewer) + _load_76(reviewer)
    created += _load_year_plan(reviewer)
    return f"{created} tasks created"
