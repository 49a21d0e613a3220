"""Demo directives of the fictional province "An Hòa", retold from the seed articles: the
government's programme 76/NQ-CP, the province's rules on heads' responsibility (22/2020/QĐ-UBND),
công văn 2718/UBND-NC pushing CCHC work, plan 5580/KH-UBND for 2021, the plan carrying out
76/NQ-CP, and this year's CCHC plan. Idempotent: rows are looked up by their unique key."""

from __future__ import annotations

import datetime

from django.utils import timezone

from directives.models import CchcArea, Directive
from directives.services import directive_create
from organizations.models import OrgUnit

D = datetime.date


def this_year_plan_number() -> str:
    return "15/KH-UBND"


def _find(number: str, year: int) -> Directive | None:
    return Directive.objects.filter(number=number, year=year).first()


def _ensure(
    *,
    number,
    issue_date,
    summary,
    issuer=None,
    issuer_name="",
    implements=(),
    areas=(),
    signer="",
    signer_position="",
    signing_mode="",
) -> tuple[Directive, bool]:
    existing = _find(number, issue_date.year)
    if existing:
        return existing, False
    return (
        directive_create(
            number=number,
            issue_date=issue_date,
            summary=summary,
            issuer=issuer,
            issuer_name=issuer_name,
            implements=list(implements),
            areas=CchcArea.objects.filter(code__in=areas),
            signer=signer,
            signer_position=signer_position,
            signing_mode=signing_mode,
        ),
        True,
    )


def load() -> str:
    province = OrgUnit.objects.get(code="UBND")
    created = 0
    _party, new = _ensure(
        number="18-NQ/TW",
        issue_date=D(2017, 10, 25),
        summary="Một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính "
        "trị tinh gọn, hoạt động hiệu lực, hiệu quả",
        issuer_name="Ban Chấp hành Trung ương",
        areas=[4],
    )
    created += new
    resolution, new = _ensure(
        number="76/NQ-CP",
        issue_date=D(2021, 7, 15),
        summary="Ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021-2030",
        issuer_name="Chính phủ",
        areas=range(1, 9),
        signing_mode="TM.",
        signer_position="Thủ tướng",
    )
    created += new
    rules, new = _ensure(
        number="22/2020/QĐ-UBND",
        issue_date=D(2020, 8, 12),
        summary="Quy định trách nhiệm người đứng đầu cơ quan hành chính nhà nước trong thực "
        "hiện công tác cải cách hành chính trên địa bàn tỉnh",
        issuer=province,
        areas=[1],
        signing_mode="TM.",
        signer_position="Chủ tịch",
    )
    created += new
    _letter, new = _ensure(
        number="2718/UBND-NC",
        issue_date=D(2020, 10, 9),
        summary="Về việc đẩy mạnh công tác cải cách hành chính",
        issuer=province,
        implements=[rules],
        areas=[1, 2, 3, 4, 5, 6],
        signing_mode="KT.",
        signer_position="Phó Chủ tịch",
    )
    created += new
    _plan_2021, new = _ensure(
        number="5580/KH-UBND",
        issue_date=D(2020, 12, 30),
        summary="Kế hoạch cải cách hành chính nhà nước năm 2021",
        issuer=province,
        areas=[1, 2, 3, 7],
        signing_mode="KT.",
        signer_position="Phó Chủ tịch",
    )
    created += new
    programme, new = _ensure(
        number="1250/KH-UBND",
        issue_date=D(2021, 8, 10),
        summary="Triển khai thực hiện Nghị quyết số 76/NQ-CP của Chính phủ về Chương trình "
        "tổng thể cải cách hành chính nhà nước giai đoạn 2021-2030",
        issuer=province,
        implements=[resolution],
        areas=[1],
        signing_mode="TM.",
        signer_position="Chủ tịch",
    )
    created += new
    year = timezone.localdate().year
    _plan, new = _ensure(
        number=this_year_plan_number(),
        # Mid-January, or today when the demo is loaded before then: never a future date.
        issue_date=min(D(year, 1, 15), timezone.localdate()),
        summary=f"Kế hoạch cải cách hành chính nhà nước năm {year}",
        issuer=province,
        implements=[resolution, programme],
        areas=range(1, 9),
        signing_mode="KT.",
        signer_position="Phó Chủ tịch",
    )
    created += new
    return f"{created} directives created"


def find_by_number(number: str, year: int) -> Directive:
    return Directive.objects.get(number=number, year=year)
