"""Demo province "An Hòa" (fictional): the UBND, the twelve standard bodies and a few more,
three districts abolished on 30/6/2025 with their successor communes, and a user per role.

Idempotent: rows are looked up by code or username and created only when missing.
"""

from __future__ import annotations

import datetime

from django.conf import settings

from core.roles import Role
from organizations.models import OrgUnit, UnitKind, UnitLevel, User
from organizations.services import unit_create, unit_set_successors, user_create

K, L = UnitKind, UnitLevel
TWO_LEVEL_START = datetime.date(2025, 7, 1)
DISTRICTS_END = datetime.date(2025, 6, 30)

# code, name, short name, kind, level, parent code
UNITS: list[tuple[str, str, str, str, str, str | None]] = [
    ("UBND", "Ủy ban nhân dân tỉnh An Hòa", "UBND tỉnh", K.PROVINCIAL_COMMITTEE, L.PROVINCE, None),
    ("SNV", "Sở Nội vụ", "SNV", K.DEPARTMENT, L.PROVINCE, "UBND"),
    ("STP", "Sở Tư pháp", "STP", K.DEPARTMENT, L.PROVINCE, "UBND"),
    ("STC", "Sở Tài chính", "STC", K.DEPARTMENT, L.PROVINCE, "UBND"),
    ("SCT", "Sở Công Thương", "SCT", K.DEPARTMENT, L.PROVINCE, "UBND"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", "SNN&MT", K.DEPARTMENT, L.PROVINCE, "UBND"),
    ("SXD", "Sở Xây dựng", "SXD", K.DEPARTMENT, L.PROVINCE, "UBND"),
    ("SKHCN", "Sở Khoa học và Công nghệ", "SKH&CN", K.DEPARTMENT, L.PROVINCE, "UBND"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "SVHTT&DL", K.DEPARTMENT, L.PROVINCE, "UBND"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "SGD&ĐT", K.DEPARTMENT, L.PROVINCE, "UBND"),
    ("SYT", "Sở Y tế", "SYT", K.DEPARTMENT, L.PROVINCE, "UBND"),
    ("TTT", "Thanh tra tỉnh", "TTr tỉnh", K.PROVINCIAL_AGENCY, L.PROVINCE, "UBND"),
    ("VPUBND", "Văn phòng UBND tỉnh", "VP UBND", K.PROVINCIAL_AGENCY, L.PROVINCE, "UBND"),
    (
        "BQLKCN",
        "Ban Quản lý các khu công nghiệp tỉnh",
        "BQL KCN",
        K.PROVINCIAL_AGENCY,
        L.PROVINCE,
        "UBND",
    ),
    ("CAT", "Công an tỉnh", "CA tỉnh", K.CENTRAL_AGENCY, L.PROVINCE, None),
    ("BHXH", "Bảo hiểm xã hội tỉnh", "BHXH tỉnh", K.CENTRAL_AGENCY, L.PROVINCE, None),
    (
        "TTPVHCC",
        "Trung tâm Phục vụ hành chính công tỉnh",
        "TT PVHCC",
        K.PUBLIC_SERVICE_UNIT,
        L.PROVINCE,
        "VPUBND",
    ),
]
# Districts abolished on 30/6/2025 and the communes that took over their work.
DISTRICTS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "H-DONGSON",
        "Huyện Đông Sơn",
        [("X-DONGSON", "Xã Đông Sơn"), ("X-DONGHAI", "Xã Đông Hải"), ("X-DONGPHU", "Xã Đông Phú")],
    ),
    (
        "H-TAYHOA",
        "Huyện Tây Hòa",
        [("X-TAYHOA", "Xã Tây Hòa"), ("X-TAYLAM", "Xã Tây Lâm"), ("X-HOABINH", "Xã Hòa Bình")],
    ),
    (
        "TX-BINHMINH",
        "Thị xã Bình Minh",
        [
            ("P-BINHMINH", "Phường Bình Minh"),
            ("P-BINHAN", "Phường Bình An"),
            ("P-BINHDONG", "Phường Bình Đông"),
        ],
    ),
]
OTHER_COMMUNES = [("X-PHULOC", "Xã Phú Lộc"), ("DK-HONNGOC", "Đặc khu Hòn Ngọc")]

# username, full name, position, role, unit code
USERS: list[tuple[str, str, str, str, str | None]] = [
    ("noivu", "Trần Thị Mai", "Chuyên viên Phòng CCHC", Role.HOME_AFFAIRS, "SNV"),
    ("noivu2", "Lê Văn Hùng", "Trưởng phòng CCHC", Role.HOME_AFFAIRS, "SNV"),
    ("lanhdao", "Nguyễn Văn Bình", "Phó Chủ tịch UBND tỉnh", Role.LEADER, "UBND"),
    # Heads of the units that lead the older plans' tasks, so that work reads as done.
    ("truong.snv", "Nguyễn Thị Hương", "Giám đốc Sở Nội vụ", Role.UNIT_HEAD, "SNV"),
    ("truong.vpubnd", "Trần Quốc Toản", "Chánh Văn phòng UBND tỉnh", Role.UNIT_HEAD, "VPUBND"),
    (
        "truong.skhcn",
        "Phan Quốc Việt",
        "Giám đốc Sở Khoa học và Công nghệ",
        Role.UNIT_HEAD,
        "SKHCN",
    ),
    ("truong.stp", "Phạm Minh Đức", "Giám đốc Sở Tư pháp", Role.UNIT_HEAD, "STP"),
    ("cv.stp", "Võ Thị Lan", "Chuyên viên Văn phòng Sở", Role.UNIT_STAFF, "STP"),
    ("truong.stc", "Đặng Quốc Huy", "Giám đốc Sở Tài chính", Role.UNIT_HEAD, "STC"),
    ("cv.stc", "Bùi Thị Hoa", "Chuyên viên", Role.UNIT_STAFF, "STC"),
    ("truong.syt", "Hoàng Văn Nam", "Giám đốc Sở Y tế", Role.UNIT_HEAD, "SYT"),
    ("cv.syt", "Ngô Thị Thu", "Chuyên viên", Role.UNIT_STAFF, "SYT"),
    ("truong.xdongson", "Lý Văn Tâm", "Chủ tịch UBND xã Đông Sơn", Role.UNIT_HEAD, "X-DONGSON"),
    ("cv.xdongson", "Đỗ Thị Hạnh", "Công chức Văn phòng", Role.UNIT_STAFF, "X-DONGSON"),
]


def _unit(code, name, short_name, kind, level, parent, valid_from=None, valid_to=None):
    existing = OrgUnit.objects.filter(code=code).first()
    if existing:
        return existing, False
    return (
        unit_create(
            code=code,
            name=name,
            short_name=short_name,
            kind=kind,
            level=level,
            parent=parent,
            valid_from=valid_from,
            valid_to=valid_to,
        ),
        True,
    )


def load() -> str:
    created = 0
    by_code: dict[str, OrgUnit] = {}
    for code, name, short_name, kind, level, parent_code in UNITS:
        parent = by_code.get(parent_code) if parent_code else None
        by_code[code], new = _unit(code, name, short_name, kind, level, parent)
        created += new
    province = by_code["UBND"]
    for code, name, communes in DISTRICTS:
        district, new = _unit(
            code, name, name, K.DISTRICT, L.DISTRICT, province, valid_to=DISTRICTS_END
        )
        created += new
        successors = []
        for commune_code, commune_name in communes:
            commune, new = _unit(
                commune_code,
                commune_name,
                commune_name,
                K.COMMUNE,
                L.COMMUNE,
                province,
                valid_from=TWO_LEVEL_START,
            )
            created += new
            successors.append(commune)
            by_code[commune_code] = commune
        if not district.successors.exists():
            unit_set_successors(unit=district, successors=successors)
    for code, name in OTHER_COMMUNES:
        by_code[code], new = _unit(
            code, name, name, K.COMMUNE, L.COMMUNE, province, valid_from=TWO_LEVEL_START
        )
        created += new

    users_created = 0
    for username, full_name, position, role, unit_code in USERS:
        if User.objects.filter(username=username).exists():
            continue
        user_create(
            username=username,
            password=settings.DEMO_PASSWORD,
            role=role,
            unit=OrgUnit.objects.get(code=unit_code) if unit_code else None,
            full_name=full_name,
            position=position,
            email=f"{username}@anhoa.example",
        )
        users_created += 1
    return f"{created} units and {users_created} users created"
