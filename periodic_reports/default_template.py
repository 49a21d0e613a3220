"""The default .docx template, built with python-docx in the layout of Decree 30/2020 (A4,
margins 20-25 / 15-20 / 30-35 / 15-20 mm, Times New Roman 13-14): the header table (issuing body
and number on the left, national name, motto and place-and-date on the right), the title, the
body by the eight CCHC areas, the annex tables, and the recipients and signer block.

`python manage.py build_report_template` writes it to periodic_reports/default_template/; the
committed file is what the portal ships. docxtpl fills the {{ }} placeholders and the {%p %} /
{%tr %} loops (a paragraph or a table row repeated)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
TEXT_WIDTH_MM = 165  # A4 less the 30 mm left and 15 mm right margins


def _font(run, size=13, bold=False, italic=False):
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return run


def _para(container, text="", *, size=13, bold=False, italic=False, align=None, indent=True):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    elif indent:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.paragraph_format.space_after = Pt(4)
    if text:
        _font(paragraph.add_run(text), size, bold, italic)
    return paragraph


def _cell_para(cell, text, **style):
    paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    paragraph.alignment = style.pop("align", WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.paragraph_format.space_after = Pt(0)
    _font(paragraph.add_run(text), **style)
    return paragraph


def _loop_table(document, headers: list[str], cells: list[str], loop: str, widths: list[int]):
    """A bordered table: the header row, then one row repeated by docxtpl for each item."""
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, header in enumerate(headers):
        _cell_para(table.rows[0].cells[index], header, size=11, bold=True)
    _cell_para(table.rows[1].cells[0], "{%tr for row in " + loop + " %}", size=11)
    for index, value in enumerate(cells):
        _cell_para(table.rows[2].cells[index], value, size=11)
    _cell_para(table.rows[3].cells[0], "{%tr endfor %}", size=11)
    _widths(table, widths)
    return table


def _widths(table, widths: list[float]) -> None:
    """Fixed column widths scaled to the text width (165 mm), written both on the grid and on
    every cell: Word reads the cells, LibreOffice the grid."""
    scale = TEXT_WIDTH_MM / sum(widths)
    table.autofit = False
    grid = table._tbl.tblGrid
    for index, column in enumerate(grid.findall(qn("w:gridCol"))):
        column.set(qn("w:w"), str(int(Mm(widths[index] * scale).twips)))
    for row in table.rows:
        for index, width in enumerate(widths):
            row.cells[index].width = Mm(width * scale)


def build_default_template(path: Path) -> Path:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    # Header: issuing body and number (left), national name, motto, place and date (right).
    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    _widths(header, [62, 103])
    _cell_para(left, "{{ coquanchuquan }}", size=12)
    _cell_para(left, "{{ coquan }}", size=12, bold=True)
    _cell_para(left, "Số: {{ sokyhieu }}", size=13)
    _cell_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    _cell_para(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)
    _cell_para(right, "{{ diadanhngay }}", size=13, italic=True)

    _para(document, "BÁO CÁO", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document, "{{ trichyeu }}", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document, "{{ modau }}")

    _para(document, "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", bold=True, indent=False)
    _para(
        document,
        "Tổng số nhiệm vụ trong kỳ: {{ tongnhiemvu.total }}; đã hoàn thành "
        "{{ tongnhiemvu.done }} ({{ tongnhiemvu.done_on_time }} đã hoàn thành đúng hạn, "
        "{{ tongnhiemvu.done_late }} đã hoàn thành quá hạn), đạt {{ tongnhiemvu.rate }}; "
        "đang thực hiện trong hạn {{ tongnhiemvu.in_progress }}; đang thực hiện quá hạn "
        "{{ tongnhiemvu.overdue }}.",
    )
    _para(document, "{%p for area in linhvuc %}", indent=False)
    _para(document, "{{ area.number }}. {{ area.name }}", bold=True)
    _para(document, "a) Kết quả đạt được: {{ area.results }}")
    _para(document, "b) Tồn tại, hạn chế và nguyên nhân: {{ area.limitations }}")
    _para(document, "{%p endfor %}", indent=False)

    _para(document, "II. NHIỆM VỤ TRỌNG TÂM KỲ TỚI", bold=True, indent=False)
    _para(document, "{%p for area in linhvuc %}", indent=False)
    _para(document, "{{ area.number }}. {{ area.name }}: {{ area.tasks_ahead }}")
    _para(document, "{%p endfor %}", indent=False)

    _para(document, "III. ĐỀ XUẤT, KIẾN NGHỊ", bold=True, indent=False)
    _para(document, "{%p for item in dexuat %}", indent=False)
    _para(document, "- {{ item }}")
    _para(document, "{%p endfor %}", indent=False)

    # Recipients (left, 12 pt bold italic heading, 11 pt lines) and signer (right).
    sign = document.add_table(rows=1, cols=2)
    left, right = sign.rows[0].cells
    _widths(sign, [80, 85])
    _cell_para(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell_para(left, "{%p for line in noinhan %}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell_para(left, "- {{ line }}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell_para(left, "{%p endfor %}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell_para(right, "{{ chucvunguoiky }}", size=13, bold=True)
    for _ in range(3):
        _cell_para(right, " ", size=13)
    _cell_para(right, "{{ nguoiky }}", size=13, bold=True)

    document.add_page_break()
    _para(document, "PHỤ LỤC", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(
        document,
        "(Kèm theo Báo cáo số {{ sokyhieu }} về kết quả cải cách hành chính {{ kybaocao }})",
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _para(document, "1. Kết quả thực hiện nhiệm vụ theo lĩnh vực CCHC", bold=True, indent=False)
    _loop_table(
        document,
        [
            "STT",
            "Lĩnh vực",
            "Tổng số",
            "Đã hoàn thành",
            "Đúng hạn",
            "Quá hạn",
            "Đang thực hiện trong hạn",
            "Đang thực hiện quá hạn",
            "Tỷ lệ",
        ],
        [
            "{{ row.stt }}",
            "{{ row.name }}",
            "{{ row.total }}",
            "{{ row.done }}",
            "{{ row.done_on_time }}",
            "{{ row.done_late }}",
            "{{ row.in_progress }}",
            "{{ row.overdue }}",
            "{{ row.rate }}",
        ],
        "bangnhiemvu",
        [11, 50, 13, 15, 13, 13, 17, 17, 14],
    )
    _para(document, "2. Nhiệm vụ đang thực hiện quá hạn", bold=True, indent=False)
    _loop_table(
        document,
        ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Văn bản", "Thời hạn"],
        [
            "{{ row.stt }}",
            "{{ row.title }}",
            "{{ row.unit }}",
            "{{ row.directive }}",
            "{{ row.deadline }}",
        ],
        "bangquahan",
        [11, 70, 40, 25, 20],
    )
    _para(document, "3. Kết quả giải quyết hồ sơ thủ tục hành chính", bold=True, indent=False)
    _para(
        document,
        "Tổng số hồ sơ tiếp nhận: {{ tonghoso.received }}; đã giải quyết "
        "{{ tonghoso.finished }} (trước hạn {{ tonghoso.early }}, đúng hạn "
        "{{ tonghoso.on_time }}, quá hạn {{ tonghoso.late }}); tỷ lệ trước hạn và "
        "đúng hạn {{ tonghoso.on_time_rate }}; tỷ lệ tiếp nhận trực tuyến "
        "{{ tonghoso.online_rate }}; tỷ lệ thanh toán trực tuyến "
        "{{ tonghoso.online_payment_rate }}; hồ sơ quá hạn {{ tonghoso.late_dossiers }}, "
        "đã gửi phiếu xin lỗi {{ tonghoso.apology_sent }}.",
    )
    _loop_table(
        document,
        [
            "Cấp",
            "Tiếp nhận",
            "Đã giải quyết",
            "Trước hạn",
            "Đúng hạn",
            "Quá hạn",
            "Trước hạn và đúng hạn",
            "Trực tuyến",
            "Thanh toán trực tuyến",
        ],
        [
            "{{ row.label }}",
            "{{ row.received }}",
            "{{ row.finished }}",
            "{{ row.early }}",
            "{{ row.on_time }}",
            "{{ row.late }}",
            "{{ row.on_time_rate }}",
            "{{ row.online_rate }}",
            "{{ row.online_payment_rate }}",
        ],
        "banghoso",
        [20, 18, 18, 16, 16, 16, 18, 18, 18],
    )
    _para(document, "4. Văn bản chỉ đạo đã ban hành: {{ tongvanban }}", bold=True, indent=False)
    _loop_table(
        document,
        ["Số, ký hiệu", "Ngày ban hành", "Trích yếu"],
        ["{{ row.number }}", "{{ row.date }}", "{{ row.summary }}"],
        "bangvanban",
        [35, 25, 105],
    )
    _para(document, "5. Chỉ số CCHC: {{ bochiso }}", bold=True, indent=False)
    _loop_table(
        document,
        ["Hạng", "Đơn vị", "Giai đoạn", "Điểm (%)", "Xếp loại"],
        [
            "{{ row.rank }}",
            "{{ row.unit }}",
            "{{ row.stage }}",
            "{{ row.percent }}",
            "{{ row.band }}",
        ],
        "bangchiso",
        [15, 60, 45, 20, 25],
    )
    _para(document, "6. Kết quả thực hiện các chỉ tiêu", bold=True, indent=False)
    _loop_table(
        document,
        ["Chỉ tiêu", "Cấp", "Mục tiêu", "Kết quả", "Đơn vị đạt"],
        [
            "{{ row.name }}",
            "{{ row.level }}",
            "{{ row.target }}",
            "{{ row.value }}",
            "{{ row.units }}",
        ],
        "bangchitieu",
        [70, 20, 25, 25, 25],
    )
    _para(
        document,
        "7. Tình hình gửi báo cáo của các đơn vị: phải gửi {{ tylebaocao.expected }}, "
        "đã gửi {{ tylebaocao.submitted }}, đúng hạn {{ tylebaocao.on_time }}",
        bold=True,
        indent=False,
    )
    _loop_table(
        document,
        ["STT", "Đơn vị", "Trạng thái", "Ngày gửi", "Hạn"],
        [
            "{{ row.stt }}",
            "{{ row.unit }}",
            "{{ row.state }}",
            "{{ row.submitted }}",
            "{{ row.on_time }}",
        ],
        "bangdonvi",
        [11, 70, 35, 25, 25],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path
