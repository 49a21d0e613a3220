"""Demo PAR-Index data for the fictional province "An Hòa".

- a 2025 framework for departments: the eight areas of Decision 1150/QĐ-BNV with 35
  sub-criteria, plus bonus and penalty; every point value is an example, said so in its note;
- assessments at every stage (draft, submitted, explanation, round 2, final);
- KPI targets of Kế hoạch 5580/KH-UBND (2021) with entered measurements, and this year's
  dossier targets (online, on time, paid online) bound to the dossier figures, their values
  computed from the demo dossiers (the dossiers demo runs first: INSTALLED_APPS order);
- provincial index values 2019-2024: the public figures DOMAIN.md quotes, and the demo
  province's own values, marked illustrative.

Idempotent: frameworks, assessments, targets and index values are looked up by their natural
keys and created only when missing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from core.roles import Role
from indicators.models import (
    Assessment,
    AssessmentStage,
    CriterionMethod,
    Framework,
    FrameworkPopulation,
    IndexKind,
    KpiTarget,
    ProvincialIndex,
)
from indicators.services import assessments as svc
from indicators.services.frameworks import computed_bands_set, criterion_create, framework_create
from indicators.services.indices import index_record
from indicators.services.kpi import kpi_target_create, kpis_compute, measurement_record
from indicators.sources import (
    DOSSIER_ON_TIME,
    DOSSIERS_ON_TIME,
    DOSSIERS_ONLINE,
    DOSSIERS_PAID_ONLINE,
    TASK_COMPLETION,
)
from organizations.models import OrgUnit, UnitLevel, User
from organizations.services import user_create

M = CriterionMethod
FRAMEWORK_NAME = "Bộ Chỉ số CCHC các sở, ban, ngành (ví dụ minh họa)"
YEAR = 2025
DEADLINE = datetime.date(2025, 12, 15)
SUBMITTED_ON = datetime.date(2025, 12, 10)
EXAMPLE = "Điểm số chỉ là ví dụ, không phải điểm chính thức."

# code, name, points, method (evidence is required on every self-scored sub-criterion)
TREE: list[tuple[str, str, str, str]] = [
    ("1", "Công tác chỉ đạo, điều hành CCHC", "12", M.SELF_APPRAISED),
    ("1.1", "Kế hoạch CCHC năm", "4", M.SELF_APPRAISED),
    ("1.1.1", "Ban hành kế hoạch CCHC năm đúng thời hạn", "1.5", M.SELF_APPRAISED),
    ("1.1.2", "Mức độ hoàn thành nhiệm vụ trong kế hoạch CCHC", "2.5", M.COMPUTED),
    ("1.2", "Báo cáo CCHC", "2", M.SELF_APPRAISED),
    ("1.2.1", "Báo cáo định kỳ đầy đủ, đúng hạn", "2", M.SELF_APPRAISED),
    ("1.3", "Kiểm tra công tác CCHC", "2", M.SELF_APPRAISED),
    ("1.3.1", "Tỷ lệ đơn vị trực thuộc được kiểm tra trong năm", "1", M.SELF_APPRAISED),
    ("1.3.2", "Xử lý tồn tại phát hiện qua kiểm tra", "1", M.SELF_APPRAISED),
    ("1.4", "Tuyên truyền CCHC", "2", M.SELF_APPRAISED),
    ("1.4.1", "Thực hiện kế hoạch tuyên truyền CCHC", "2", M.SELF_APPRAISED),
    ("1.5", "Sáng kiến, cách làm mới trong CCHC", "2", M.SELF_APPRAISED),
    ("1.5.1", "Có sáng kiến được công nhận", "2", M.SELF_APPRAISED),
    ("2", "Cải cách thể chế", "10", M.SELF_APPRAISED),
    ("2.1", "Xây dựng văn bản quy phạm pháp luật", "4", M.SELF_APPRAISED),
    ("2.1.1", "Tham mưu ban hành văn bản đúng kế hoạch", "4", M.SELF_APPRAISED),
    ("2.2", "Rà soát, hệ thống hóa văn bản", "3", M.SELF_APPRAISED),
    ("2.2.1", "Hoàn thành rà soát văn bản theo kế hoạch", "3", M.SELF_APPRAISED),
    ("2.3", "Kiểm tra, theo dõi thi hành pháp luật", "3", M.SELF_APPRAISED),
    ("2.3.1", "Thực hiện kế hoạch theo dõi thi hành pháp luật", "3", M.SELF_APPRAISED),
    ("3", "Cải cách thủ tục hành chính", "14", M.SELF_APPRAISED),
    ("3.1", "Rà soát, đơn giản hóa thủ tục hành chính", "3", M.SELF_APPRAISED),
    ("3.1.1", "Thực hiện kế hoạch rà soát, đơn giản hóa TTHC", "3", M.SELF_APPRAISED),
    ("3.2", "Công khai thủ tục hành chính", "3", M.SELF_APPRAISED),
    ("3.2.1", "Công bố, công khai TTHC đúng quy định", "3", M.SELF_APPRAISED),
    ("3.3", "Giải quyết thủ tục hành chính", "8", M.SELF_APPRAISED),
    ("3.3.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "5", M.COMPUTED),
    ("3.3.2", "Xin lỗi người dân khi giải quyết hồ sơ quá hạn", "3", M.SELF_APPRAISED),
    ("4", "Cải cách tổ chức bộ máy", "9", M.SELF_APPRAISED),
    ("4.1", "Sắp xếp tổ chức bộ máy theo quy định", "5", M.SELF_APPRAISED),
    ("4.1.1", "Thực hiện quy định về cơ cấu tổ chức", "5", M.SELF_APPRAISED),
    ("4.2", "Phân cấp, ủy quyền", "4", M.SELF_APPRAISED),
    ("4.2.1", "Thực hiện các nhiệm vụ được phân cấp", "4", M.SELF_APPRAISED),
    ("5", "Cải cách chế độ công vụ", "12", M.SELF_APPRAISED),
    ("5.1", "Vị trí việc làm và cơ cấu công chức", "4", M.SELF_APPRAISED),
    ("5.1.1", "Bố trí công chức đúng vị trí việc làm", "4", M.SELF_APPRAISED),
    ("5.2", "Tuyển dụng, đánh giá, đào tạo", "4", M.SELF_APPRAISED),
    ("5.2.1", "Đánh giá, xếp loại công chức đúng quy định", "2", M.SELF_APPRAISED),
    ("5.2.2", "Thực hiện kế hoạch đào tạo, bồi dưỡng", "2", M.SELF_APPRAISED),
    ("5.3", "Kỷ luật, kỷ cương hành chính", "4", M.SELF_APPRAISED),
    ("5.3.1", "Không có công chức bị kỷ luật", "2", M.SELF_APPRAISED),
    ("5.3.2", "Thực hiện quy định về đạo đức công vụ", "2", M.SELF_APPRAISED),
    ("6", "Cải cách tài chính công", "8", M.SELF_APPRAISED),
    ("6.1", "Quản lý, sử dụng ngân sách", "4", M.SELF_APPRAISED),
    ("6.1.1", "Giải ngân vốn đầu tư công đúng tiến độ", "4", M.SELF_APPRAISED),
    ("6.2", "Tự chủ tài chính đơn vị sự nghiệp", "4", M.SELF_APPRAISED),
    ("6.2.1", "Thực hiện cơ chế tự chủ theo quy định", "4", M.SELF_APPRAISED),
    ("7", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", "15", M.SELF_APPRAISED),
    ("7.1", "Hạ tầng và nền tảng số", "4", M.SELF_APPRAISED),
    ("7.1.1", "Kết nối hệ thống quản lý văn bản với nền tảng của tỉnh", "2", M.SELF_APPRAISED),
    ("7.1.2", "Bảo đảm an toàn thông tin theo cấp độ", "2", M.SELF_APPRAISED),
    ("7.2", "Văn bản điện tử", "4", M.SELF_APPRAISED),
    ("7.2.1", "Tỷ lệ văn bản trao đổi dưới dạng điện tử", "2", M.SELF_APPRAISED),
    ("7.2.2", "Sử dụng chữ ký số trên văn bản điện tử", "2", M.SELF_APPRAISED),
    ("7.3", "Dịch vụ công trực tuyến", "7", M.SELF_APPRAISED),
    ("7.3.1", "Tỷ lệ hồ sơ nộp trực tuyến", "4", M.SELF_APPRAISED),
    ("7.3.2", "Tỷ lệ thanh toán trực tuyến", "3", M.SELF_APPRAISED),
    (
        "8",
        "Tác động của CCHC đến người dân, tổ chức và phát triển kinh tế - xã hội",
        "20",
        M.SURVEY,
    ),
    ("8.1", "Sự hài lòng của người dân, tổ chức (SIPAS)", "10", M.SURVEY),
    ("8.1.1", "Hài lòng về tiếp cận dịch vụ", "5", M.SURVEY),
    ("8.1.2", "Hài lòng về kết quả giải quyết", "5", M.SURVEY),
    ("8.2", "Tác động đến phát triển kinh tế - xã hội", "10", M.SURVEY),
    ("8.2.1", "Đánh giá của doanh nghiệp về chất lượng điều hành", "5", M.SURVEY),
    ("8.2.2", "Đánh giá của đại biểu về hiệu quả CCHC", "5", M.SURVEY),
    ("9", "Điểm thưởng", "3", M.BONUS),
    ("9.1", "Được cấp có thẩm quyền khen thưởng về CCHC", "3", M.BONUS),
    ("10", "Điểm trừ", "5", M.PENALTY),
    ("10.1", "Để xảy ra sai phạm trong giải quyết TTHC", "5", M.PENALTY),
]
SOURCES = {"1.1.2": TASK_COMPLETION, "3.3.1": DOSSIER_ON_TIME}

# Demo units per stage; units without a head in organizations/demo.py get one here.
STAGES: list[tuple[str, str]] = [
    ("STP", AssessmentStage.DRAFT),
    ("STC", AssessmentStage.SUBMITTED),
    ("SYT", AssessmentStage.EXPLANATION),
    ("SXD", AssessmentStage.ROUND_2),
    ("SCT", AssessmentStage.FINAL),
    ("SKHCN", AssessmentStage.FINAL),
    ("SGDDT", AssessmentStage.FINAL),
]
EXTRA_HEADS = {
    "SXD": ("truong.sxd", "Trịnh Văn Lực", "Giám đốc Sở Xây dựng"),
    "SCT": ("truong.sct", "Mai Thị Thanh", "Giám đốc Sở Công Thương"),
    "SGDDT": ("truong.sgddt", "Hồ Thị Ngọc", "Giám đốc Sở Giáo dục và Đào tạo"),
}
# Share of each line's maximum a unit gives itself, and the appraisal's share: differing
# shares give the ranking some spread (and, for SKHCN and SGDDT, a tie).
SHARES = {
    "STP": ("0.9", "0.9"),
    "STC": ("0.95", "0.85"),
    "SYT": ("0.9", "0.8"),
    "SXD": ("0.85", "0.8"),
    "SCT": ("0.95", "0.9"),
    "SKHCN": ("0.9", "0.85"),
    "SGDDT": ("0.9", "0.85"),
}


def _framework(actor) -> tuple[Framework, bool]:
    existing = Framework.objects.filter(
        name=FRAMEWORK_NAME, year=YEAR, population=FrameworkPopulation.DEPARTMENTS
    ).first()
    if existing:
        return existing, False
    framework = framework_create(
        name=FRAMEWORK_NAME,
        year=YEAR,
        population=FrameworkPopulation.DEPARTMENTS,
        legal_basis=(
            "Theo cấu trúc 8 lĩnh vực của Quyết định 1150/QĐ-BNV; điểm số là ví dụ minh họa."
        ),
        self_scoring_deadline=DEADLINE,
        bands=[
            ("Tốt", Decimal(90)),
            ("Khá", Decimal(80)),
            ("Trung bình", Decimal(65)),
            ("Yếu", Decimal(0)),
        ],
    )
    for code, name, points, method in TREE:
        node = criterion_create(
            framework=framework,
            code=code,
            name=name,
            max_points=Decimal(points),
            method=method,
            evidence_required=method == M.SELF_APPRAISED and code.count(".") == 2,
            source_key=SOURCES.get(code, ""),
            note=EXAMPLE,
        )
        if method == M.COMPUTED:
            computed_bands_set(
                criterion=node,
                rows=[
                    (Decimal(100), node.max_points),
                    (Decimal(80), (node.max_points / 2).quantize(Decimal("0.01"))),
                    (Decimal(50), (node.max_points / 4).quantize(Decimal("0.01"))),
                ],
            )
    return framework, True


def _head(code: str) -> User | None:
    head = User.objects.filter(unit__code=code, role=Role.UNIT_HEAD).order_by("pk").first()
    if head or code not in EXTRA_HEADS:
        return head
    username, full_name, position = EXTRA_HEADS[code]
    return user_create(
        username=username,
        password=settings.DEMO_PASSWORD,
        role=Role.UNIT_HEAD,
        unit=OrgUnit.objects.get(code=code),
        full_name=full_name,
        position=position,
        email=f"{username}@anhoa.example",
    )


def _points(line, share: str) -> Decimal:
    return (line.max_points * Decimal(share)).quantize(Decimal("0.25"))


def _advance(assessment: Assessment, head: User, appraiser: User, target: str, code: str):
    order = list(AssessmentStage.values)
    self_share, appraisal_share = SHARES[code]
    lines = list(assessment.lines.select_related("criterion", "assessment"))
    for line in lines:
        if line.criterion.method == M.SELF_APPRAISED:
            svc.scoreline_self_score(
                actor=head, line=line, score=_points(line, self_share), note="Đã thực hiện."
            )
            if line.criterion.evidence_required:
                svc.evidence_add(
                    actor=head,
                    line=line,
                    uploaded=ContentFile(b"%PDF-1.4 demo\n", name=f"minh-chung-{line.pk}.pdf"),
                )
        elif line.criterion.method == M.BONUS and code in ("SCT", "SKHCN", "SGDDT"):
            svc.scoreline_self_score(actor=head, line=line, score=Decimal(1))
        elif line.criterion.method == M.PENALTY and code == "SXD":
            svc.scoreline_self_score(actor=head, line=line, score=Decimal(1))
    if order.index(target) < order.index(AssessmentStage.SUBMITTED):
        return
    assessment = svc.assessment_submit(actor=head, assessment=assessment, today=SUBMITTED_ON)
    for line in assessment.lines.select_related("criterion", "assessment"):
        if line.criterion.method == M.SELF_APPRAISED or line.self_score is not None:
            score = (
                _points(line, appraisal_share)
                if line.criterion.method == M.SELF_APPRAISED
                else line.self_score
            )
            svc.scoreline_appraise(
                actor=appraiser,
                line=line,
                score=score,
                note="" if score == line.self_score else "Minh chứng chưa đầy đủ.",
            )
        if line.criterion.method == M.SURVEY:
            svc.scoreline_survey(actor=appraiser, line=line, score=_points(line, "0.85"))
    if order.index(target) < order.index(AssessmentStage.EXPLANATION):
        return
    assessment = svc.assessment_finish_round_1(actor=appraiser, assessment=assessment)
    first = assessment.lines.filter(criterion__method=M.SELF_APPRAISED).order_by("pk").first()
    svc.scoreline_explain(
        actor=head, line=first, explanation="Đơn vị bổ sung quyết định ban hành kế hoạch."
    )
    if order.index(target) < order.index(AssessmentStage.ROUND_2):
        return
    assessment = svc.assessment_submit_explanation(actor=head, assessment=assessment)
    first = assessment.lines.select_related("criterion").get(pk=first.pk)
    svc.scoreline_appraise(actor=appraiser, line=first, score=first.max_points)
    if target == AssessmentStage.FINAL:
        svc.assessment_finalize(actor=appraiser, assessment=assessment)


def _assessments(framework: Framework, appraiser: User) -> int:
    created = 0
    for code, stage in STAGES:
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None or framework.assessments.filter(unit=unit).exists():
            continue
        head = _head(code)
        if head is None:
            continue
        (assessment,) = svc.assessments_open(actor=appraiser, framework=framework, units=[unit])
        _advance(assessment, head, appraiser, stage, code)
        created += 1
    return created


# name, measure, direction, levels, (unit code, value) pairs; all from Kế hoạch 5580 (2021)
# except the values, which are illustrative.
KPIS = [
    (
        "Tỷ lệ văn bản, hồ sơ công việc được xử lý trên môi trường mạng",
        "%",
        "higher",
        {UnitLevel.PROVINCE: 90, UnitLevel.DISTRICT: 80, UnitLevel.COMMUNE: 60},
        [("STP", "92.5"), ("STC", "86.0"), ("SYT", "90.0"), ("H-DONGSON", "81.2")],
    ),
]


def _kpis(appraiser: User) -> int:
    created = 0
    for name, measure, direction, levels, values in KPIS:
        if KpiTarget.objects.filter(year=2021, name=name).exists():
            continue
        kpi = kpi_target_create(
            actor=appraiser,
            name=name,
            measure=measure,
            year=2021,
            direction=direction,
            source_directive="5580/KH-UBND",
            levels={level: Decimal(target) for level, target in levels.items()},
        )
        for code, value in values:
            unit = OrgUnit.objects.filter(code=code).first()
            if unit:
                measurement_record(
                    actor=appraiser,
                    kpi=kpi,
                    unit=unit,
                    value=Decimal(value),
                    note="Số liệu minh họa",
                )
        created += 1
    return created


# This year's targets read from the dossiers: name, source, target by level. The plan is the
# demo's own CCHC plan of the year; the levels' values are illustrative (the demo dossiers are
# filed online about 43% at province and 57% at commune level, like seed 001).
THIS_YEAR_PLAN = "15/KH-UBND"
BOUND_KPIS = [
    (
        "Tỷ lệ hồ sơ thủ tục hành chính tiếp nhận trực tuyến",
        DOSSIERS_ONLINE,
        {UnitLevel.PROVINCE: 45, UnitLevel.COMMUNE: 55},
    ),
    (
        "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn",
        DOSSIERS_ON_TIME,
        {UnitLevel.PROVINCE: 98, UnitLevel.COMMUNE: 98},
    ),
    (
        "Tỷ lệ hồ sơ có phí, lệ phí được thanh toán trực tuyến",
        DOSSIERS_PAID_ONLINE,
        {UnitLevel.PROVINCE: 10, UnitLevel.COMMUNE: 10},
    ),
]


def _bound_kpis(appraiser: User) -> tuple[int, int]:
    """This year's dossier targets, then their values computed from the dossiers loaded by the
    dossiers demo (none when it did not run). Returns (targets created, values written)."""
    year = timezone.localdate().year
    created = 0
    for name, source_key, levels in BOUND_KPIS:
        if KpiTarget.objects.filter(year=year, name=name).exists():
            continue
        kpi_target_create(
            actor=appraiser,
            name=name,
            measure="%",
            year=year,
            source_directive=THIS_YEAR_PLAN,
            source_key=source_key,
            levels={level: Decimal(target) for level, target in levels.items()},
        )
        created += 1
    # idempotent: a second run the same day writes nothing; the nightly job keeps them fresh
    return created, kpis_compute().written


# kind, year, subject, value, rank, illustrative, note
PUBLIC = [
    (IndexKind.PAR, 2024, "Trung bình cả nước", "88.37", None, "Công bố năm 2025"),
    (IndexKind.PAR, 2024, "Hải Phòng", "96.17", 1, "Dẫn đầu cả nước"),
    (IndexKind.PAR, 2023, "Quảng Ninh", "92.18", None, ""),
    (IndexKind.SIPAS, 2024, "Trung bình cả nước", "83.94", None, ""),
    (IndexKind.SIPAS, 2024, "Hải Phòng", "90.59", None, ""),
    (IndexKind.PAPI, 2023, "Thừa Thiên Huế", "46.04", None, ""),
]
# The demo province's own values, made up for the trend chart.
OWN = {
    IndexKind.PAR: ["82.10", "83.45", "84.20", "85.96", "87.02", "89.15"],
    IndexKind.SIPAS: ["80.20", "81.05", "80.66", "82.37", "83.10", "84.52"],
    IndexKind.PAPI: ["42.10", "42.85", "43.20", "43.05", "43.90", "44.35"],
    IndexKind.PCI: ["63.40", "64.10", "64.85", "65.20", "66.02", "66.80"],
    IndexKind.SERVICE_766: [None, None, None, "72.40", "78.15", "82.60"],
}
OWN_RANKS = {IndexKind.PAR: [38, 35, 33, 28, 25, 21], IndexKind.PCI: [40, 37, 36, 33, 30, 27]}


def _indices(appraiser: User) -> int:
    created = 0
    for kind, year, subject, value, rank, note in PUBLIC:
        if not ProvincialIndex.objects.filter(kind=kind, year=year, subject=subject).exists():
            index_record(
                actor=appraiser,
                kind=kind,
                year=year,
                subject=subject,
                value=Decimal(value),
                rank=rank,
                note=note,
            )
            created += 1
    for kind, values in OWN.items():
        for offset, value in enumerate(values):
            year = 2019 + offset
            if (
                value is None
                or ProvincialIndex.objects.filter(kind=kind, year=year, subject="").exists()
            ):
                continue
            ranks = OWN_RANKS.get(kind)
            index_record(
                actor=appraiser,
                kind=kind,
                year=year,
                value=Decimal(value),
                rank=ranks[offset] if ranks else None,
                illustrative=True,
                note="Số liệu minh họa của tỉnh demo",
            )
            created += 1
    return created


def load() -> str:
    appraiser = User.objects.filter(username="noivu").first()
    if appraiser is None:
        return "skipped: the organizations demo (user 'noivu') is missing"
    framework, new = _framework(appraiser)
    assessments = _assessments(framework, appraiser)
    kpis = _kpis(appraiser)
    bound, computed = _bound_kpis(appraiser)
    indices = _indices(appraiser)
    return (
        f"{int(new)} framework, {assessments} assessments, {kpis + bound} KPI targets, "
        f"{indices} index values created, {computed} KPI values computed from dossiers"
    )
