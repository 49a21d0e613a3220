"""The report as a document: a .docx in the layout of Decree 30/2020 (Times New Roman, the
national motto block, issuing body, number and symbol, place and date, title, recipients and the
signer's title) with the annex tables inside, rendered by docxtpl from a template that Home
Affairs may replace with the province's own; the annexes also as .xlsx.

Generation is all-or-nothing: each file is built in memory and handed out (or stored) only once
it is complete; a template that fails to render issues nothing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.excel import BOLD, BOX, CENTER, FONT, WRAP, keep_text, set_cell, write_official_header
from periodic_reports.narrative import SECTION_KEYS
from periodic_reports.text import day, num, pct, place_date

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "default_template" / "bao_cao_cchc.docx"

# Every name a template may use, and the ones it must use: a province's template naming
# anything else is a misspelt placeholder and is refused before it is stored.
KNOWN_KEYS = frozenset(
    {
        "coquanchuquan",
        "coquan",
        "sokyhieu",
        "diadanhngay",
        "trichyeu",
        "kybaocao",
        "thoigian",
        "nam",
        "modau",
        "linhvuc",
        "dexuat",
        "tongnhiemvu",
        "bangnhiemvu",
        "bangquahan",
        "tongvanban",
        "bangvanban",
        "tonghoso",
        "banghoso",
        "bochiso",
        "bangchiso",
        "bangchitieu",
        "bangdonvi",
        "tylebaocao",
        "noinhan",
        "chucvunguoiky",
        "nguoiky",
        "tendonvi",
    }
)
REQUIRED_KEYS = ("coquan", "sokyhieu", "diadanhngay", "trichyeu", "chucvunguoiky")


def _issuer(report) -> tuple[str, str]:
    if report.unit_id is None:
        return settings.REPORT_ISSUER_PARENT, settings.REPORT_ISSUER
    unit = report.unit
    parent = unit.parent.name if unit.parent_id else settings.REPORT_ISSUER_PARENT
    return parent.upper(), unit.name.upper()


def period_label(report) -> str:
    """'quý III năm 2026' from the kind's name 'Báo cáo quý III'."""
    name = report.round.kind.name.strip()
    if name.lower().startswith("báo cáo "):
        name = name[len("báo cáo ") :]
    return f"{name[:1].lower()}{name[1:]} năm {report.round.year}"


def document_title(report) -> str:
    return f"Kết quả thực hiện công tác cải cách hành chính {period_label(report)}"


def build_context(report, version) -> dict:
    """The template's context: every key of KNOWN_KEYS, formatted for reading."""
    figures, sections = version.figures, version.sections
    issuer_parent, issuer = _issuer(report)
    tasks = figures["tasks"]
    areas = []
    for position, row in enumerate((r for r in tasks["by_area"] if r["code"] is not None), start=1):
        text = sections.get(str(row["code"]), {})
        areas.append(
            {
                "number": position,
                "name": row["name"],
                **{key: text.get(key, "") for key in SECTION_KEYS},
            }
        )
    proposals = [area["proposals"] for area in areas if area["proposals"].strip()]
    general = sections.get("general", {})
    if general.get("proposals", "").strip():
        proposals.insert(0, general["proposals"])
    totals = tasks["totals"]
    task_rows = [
        {
            "stt": index,
            "name": row["name"],
            "total": num(row["total"]),
            "done": num(row["done"]),
            "done_on_time": num(row["done_on_time"]),
            "done_late": num(row["done_late"]),
            "in_progress": num(row["in_progress"]),
            "overdue": num(row["overdue"]),
            "rate": pct(row["rate"]),
        }
        for index, row in enumerate(tasks["by_area"], start=1)
    ]
    dossiers = figures["dossiers"]

    def dossier_row(label: str, line: dict) -> dict:
        return {
            "label": label,
            "received": num(line["received"]),
            "finished": num(line["finished"]),
            "early": num(line["early"]),
            "on_time": num(line["on_time"]),
            "late": num(line["late"]),
            "on_time_rate": pct(line["on_time_rate"]),
            "online_rate": pct(line["online_rate"]),
            "online_payment_rate": pct(line["online_payment_rate"]),
        }

    par = figures["par"]

    def par_row(rank, unit: str, line: dict) -> dict:
        return {
            "rank": rank,
            "unit": unit,
            "stage": line["stage_label"],
            "percent": pct(line["percent"]),
            "band": line["band"],
        }

    if report.unit_id is None:
        par_rows = [par_row(row["rank"], row["unit"], row) for row in par.get("ranking", [])]
    elif par.get("unit"):
        par_rows = [par_row("", report.unit.name, par["unit"])]
    else:
        par_rows = []
    units = figures.get("units", {})
    start, end = figures["window"]["start"], figures["window"]["end"]
    whom = report.unit.name if report.unit_id else f"UBND tỉnh {settings.REPORT_PLACE}"
    intro = general.get("intro") or (
        f"Thực hiện chế độ báo cáo định kỳ về công tác cải cách hành chính, {whom} báo cáo kết "
        f"quả thực hiện công tác cải cách hành chính {period_label(report)} (số liệu từ ngày "
        f"{day(start)} đến ngày {day(end)}) như sau:"
    )
    recipients = [line.strip() for line in (report.recipients or "").splitlines() if line.strip()]
    return {
        "coquanchuquan": issuer_parent,
        "coquan": issuer,
        "sokyhieu": report.number or "      /BC-",
        "diadanhngay": place_date(report.issue_date),
        "trichyeu": document_title(report),
        "kybaocao": period_label(report),
        "thoigian": f"từ ngày {day(start)} đến ngày {day(end)}",
        "nam": report.round.year,
        "modau": intro,
        "linhvuc": areas,
        "dexuat": proposals or ["Không có."],
        "tongnhiemvu": {
            "total": num(totals["total"]),
            "done": num(totals["done"]),
            "done_on_time": num(totals["done_on_time"]),
            "done_late": num(totals["done_late"]),
            "in_progress": num(totals["in_progress"]),
            "overdue": num(totals["overdue"]),
            "rate": pct(totals["rate"]),
        },
        "bangnhiemvu": task_rows,
        "bangquahan": [
            {
                "stt": index,
                "title": row["title"],
                "unit": row["unit"],
                "directive": row["directive"],
                "deadline": day(row["deadline"]),
            }
            for index, row in enumerate(tasks["overdue"], start=1)
        ],
        "tongvanban": num(figures["directives"]["total"]),
        "bangvanban": [
            {"number": row["number"], "date": day(row["date"]), "summary": row["summary"]}
            for row in figures["directives"]["rows"]
        ],
        "tonghoso": dossier_row("Tổng số", dossiers["total"])
        | {
            "late_dossiers": num(dossiers["late_dossiers"]),
            "apology_sent": num(dossiers["apology_sent"]),
        },
        "banghoso": [dossier_row(row["label"], row) for row in dossiers["levels"]],
        "bochiso": par.get("framework", ""),
        "bangchiso": par_rows,
        "bangchitieu": [
            {
                "name": row["name"],
                "level": row["level"],
                "target": "-"
                if row["target"] is None
                else f"{num(row['target'])} {row['measure']}",
                "value": f"{num(row['value'])} {row['measure']}",
                "units": f"{num(row['units_achieved'])}/{num(row['units'])}",
            }
            for row in figures["kpi"]
        ],
        "bangdonvi": [
            {
                "stt": index,
                "unit": row["unit"],
                "state": row["state_label"],
                "submitted": day(row["submitted"]) if row["submitted"] else "",
                "on_time": {True: "Đúng hạn", False: "Quá hạn", None: ""}[row["on_time"]],
            }
            for index, row in enumerate(units.get("rows", []), start=1)
        ],
        "tylebaocao": {
            "expected": num(units.get("expected", 0)),
            "submitted": num(units.get("submitted", 0)),
            "on_time": num(units.get("on_time", 0)),
        },
        "noinhan": recipients or ["Như trên;", "Lưu: VT."],
        "chucvunguoiky": report.signer_title or "THỦ TRƯỞNG ĐƠN VỊ",
        "nguoiky": report.signer_name,
        "tendonvi": report.unit.name if report.unit_id else settings.REPORT_ISSUER,
    }


# --- Templates -----------------------------------------------------------------------------


def template_variables(data: bytes) -> set[str]:
    """The placeholders a .docx template uses; ValidationError when it is not a .docx or its
    placeholders do not parse."""
    from docxtpl import DocxTemplate

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError(_("The file is not a Word document (.docx)."))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if "word/document.xml" not in archive.namelist():
            raise ValidationError(_("The file is not a Word document (.docx)."))
    try:
        template = DocxTemplate(io.BytesIO(data))
        return set(template.get_undeclared_template_variables())
    except Exception as exc:  # jinja2 syntax errors, broken XML: the user's file is at fault
        raise ValidationError(
            _("The template's placeholders could not be read: %(error)s") % {"error": exc}
        ) from exc


def check_template(data: bytes) -> None:
    """A template must be a .docx using only known placeholders and every required one."""
    used = template_variables(data)
    unknown = sorted(used - KNOWN_KEYS)
    missing = [key for key in REQUIRED_KEYS if key not in used]
    errors = []
    if unknown:
        errors.append(
            _("Unknown placeholders (misspelt?): %(names)s.")
            % {"names": ", ".join(f"{{{{ {name} }}}}" for name in unknown)}
        )
    if missing:
        errors.append(
            _("Missing placeholders: %(names)s.")
            % {"names": ", ".join(f"{{{{ {name} }}}}" for name in missing)}
        )
    if errors:
        raise ValidationError(errors)


def template_bytes() -> bytes:
    from periodic_reports.models import ReportTemplate

    current = ReportTemplate.objects.first()
    if current is not None:
        with current.file.open("rb") as handle:
            return handle.read()
    if not DEFAULT_TEMPLATE.exists():
        from periodic_reports.default_template import build_default_template

        build_default_template(DEFAULT_TEMPLATE)
    return DEFAULT_TEMPLATE.read_bytes()


def ensure_data(version) -> None:
    if not version.figures.get("has_data"):
        window = version.figures["window"]
        raise ValidationError(
            _(
                "The period from %(start)s to %(end)s has no data yet (no tasks, directives, "
                "dossiers or KPI values): nothing was issued."
            )
            % {"start": day(window["start"]), "end": day(window["end"])}
        )


def render_docx(report, version) -> bytes:
    from docxtpl import DocxTemplate

    ensure_data(version)
    template = DocxTemplate(io.BytesIO(template_bytes()))
    try:
        template.render(build_context(report, version), autoescape=True)
    except Exception as exc:
        raise ValidationError(
            _("The template could not be filled in: %(error)s") % {"error": exc}
        ) from exc
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


# --- Annexes as .xlsx -------------------------------------------------------------------------


def _sheet(workbook, title: str, report, heading: str, columns: list[tuple[str, int]], rows):
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title[:31])
    issuer_parent, issuer = _issuer(report)
    row = write_official_header(
        sheet,
        issuer_parent=issuer_parent,
        issuer=issuer,
        title=heading,
        subtitle=f"Kèm theo báo cáo {period_label(report)}",
        width=len(columns),
    )
    for index, (label, width) in enumerate(columns, start=1):
        set_cell(sheet, row, index, label, font=BOLD, alignment=CENTER, border=BOX)
        sheet.column_dimensions[get_column_letter(index)].width = width
    for values in rows:
        row += 1
        for index, value in enumerate(values, start=1):
            kind = "int" if isinstance(value, int) and not isinstance(value, bool) else "text"
            set_cell(sheet, row, index, value, kind=kind, font=FONT, alignment=WRAP, border=BOX)
    return sheet


def render_xlsx(report, version) -> bytes:
    from openpyxl import Workbook

    ensure_data(version)
    figures = version.figures
    workbook = Workbook()
    workbook.remove(workbook.active)
    tasks = figures["tasks"]
    _sheet(
        workbook,
        "PL1 Nhiệm vụ",
        report,
        "PHỤ LỤC 1. KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO LĨNH VỰC CCHC",
        [
            ("STT", 6),
            ("Lĩnh vực CCHC", 45),
            ("Tổng số", 10),
            ("Đã hoàn thành", 12),
            ("Đã hoàn thành đúng hạn", 14),
            ("Đã hoàn thành quá hạn", 14),
            ("Đang thực hiện trong hạn", 14),
            ("Đang thực hiện quá hạn", 14),
            ("Tỷ lệ hoàn thành", 12),
        ],
        [
            (
                index,
                row["name"],
                row["total"],
                row["done"],
                row["done_on_time"],
                row["done_late"],
                row["in_progress"],
                row["overdue"],
                pct(row["rate"]),
            )
            for index, row in enumerate(tasks["by_area"], start=1)
        ]
        + [
            (
                "",
                "Tổng cộng",
                tasks["totals"]["total"],
                tasks["totals"]["done"],
                tasks["totals"]["done_on_time"],
                tasks["totals"]["done_late"],
                tasks["totals"]["in_progress"],
                tasks["totals"]["overdue"],
                pct(tasks["totals"]["rate"]),
            )
        ],
    )
    _sheet(
        workbook,
        "PL2 Quá hạn",
        report,
        "PHỤ LỤC 2. NHIỆM VỤ ĐANG THỰC HIỆN QUÁ HẠN",
        [("STT", 6), ("Nhiệm vụ", 60), ("Đơn vị chủ trì", 30), ("Văn bản", 18), ("Thời hạn", 12)],
        [
            (index, row["title"], row["unit"], row["directive"], day(row["deadline"]))
            for index, row in enumerate(tasks["overdue"], start=1)
        ],
    )
    dossiers = figures["dossiers"]
    lines = [("Tổng số", dossiers["total"])] + [(r["label"], r) for r in dossiers["levels"]]
    _sheet(
        workbook,
        "PL3 Hồ sơ TTHC",
        report,
        "PHỤ LỤC 3. KẾT QUẢ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH",
        [
            ("Cấp", 16),
            ("Tiếp nhận", 12),
            ("Đã giải quyết", 12),
            ("Trước hạn", 11),
            ("Đúng hạn", 11),
            ("Quá hạn", 11),
            ("Tỷ lệ trước hạn và đúng hạn", 14),
            ("Tỷ lệ tiếp nhận trực tuyến", 14),
            ("Tỷ lệ thanh toán trực tuyến", 14),
        ],
        [
            (
                label,
                line["received"],
                line["finished"],
                line["early"],
                line["on_time"],
                line["late"],
                pct(line["on_time_rate"]),
                pct(line["online_rate"]),
                pct(line["online_payment_rate"]),
            )
            for label, line in lines
        ],
    )
    _sheet(
        workbook,
        "PL4 Chỉ tiêu",
        report,
        "PHỤ LỤC 4. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        [("Chỉ tiêu", 50), ("Cấp", 12), ("Mục tiêu", 14), ("Kết quả", 14), ("Đơn vị đạt", 12)],
        [
            (
                row["name"],
                row["level"],
                "-" if row["target"] is None else f"{num(row['target'])} {row['measure']}",
                f"{num(row['value'])} {row['measure']}",
                f"{row['units_achieved']}/{row['units']}",
            )
            for row in figures["kpi"]
        ],
    )
    if "units" in figures:
        _sheet(
            workbook,
            "PL5 Đơn vị báo cáo",
            report,
            "PHỤ LỤC 5. TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC ĐƠN VỊ",
            [("STT", 6), ("Đơn vị", 40), ("Trạng thái", 18), ("Ngày gửi", 12), ("Hạn", 12)],
            [
                (
                    index,
                    row["unit"],
                    row["state_label"],
                    day(row["submitted"]) if row["submitted"] else "",
                    {True: "Đúng hạn", False: "Quá hạn", None: ""}[row["on_time"]],
                )
                for index, row in enumerate(figures["units"]["rows"], start=1)
            ],
        )
    keep_text(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
