"""Files in: every upload passes core.uploads (size, type by content, zip bomb, clean names);
files out of storage leave only through permission-checked views as nosniff attachments."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import get_resolver, reverse
from django.utils import translation

from core import uploads
from core.tabular import TableError, read_rows
from directives.models import Directive
from directives.services import directive_create
from dossiers.models import DossierImport
from organizations.models import UnitImport
from reporting.models import Export
from reporting.services import export_run
from tasks import services as task_services
from tests.indicators.helpers import line
from tests.security.files import (
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    docx_bytes,
    plain_zip_bytes,
    upload,
    xlsx_bytes,
    zip_bomb_xlsx_bytes,
)

HTML_BYTES = b"<html><script>alert(1)</script></html>"
BAD_TYPE_VI = "Nội dung tệp không thuộc loại được chấp nhận"
NOT_TABLE_VI = "không phải là tệp Excel"
BOMB_VI = "giải nén"


# --- The guard itself, one kind at a time ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.pdf", PDF_BYTES, uploads.PDF),
        ("a.png", PNG_BYTES, uploads.PNG),
        ("a.jpg", JPEG_BYTES, uploads.JPEG),
        ("a.docx", docx_bytes(), uploads.DOCX),
        ("a.xlsx", xlsx_bytes(), uploads.XLSX),
    ],
    # by file name: a zip's bytes carry the time it was made, and each xdist worker must
    # collect the same test ids
    ids=["pdf", "png", "jpg", "docx", "xlsx"],
)
def test_each_accepted_kind_is_recognised_by_its_content(name, content, kind):
    checked = uploads.check_upload(
        upload(name, content), allowed=uploads.EVIDENCE_TYPES, max_bytes=10**6
    )
    assert checked.content_type == kind
    assert len(checked.sha256) == 64


def test_a_png_renamed_pdf_is_refused_with_a_vietnamese_message():
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        uploads.check_upload(
            upload("bao-cao.pdf", PNG_BYTES, "application/pdf"),
            allowed=uploads.DIRECTIVE_TYPES,
            max_bytes=10**6,
        )
    assert refused.value.code == "bad_type"
    assert BAD_TYPE_VI in refused.value.messages[0]
    assert "(PDF, DOCX)" in refused.value.messages[0]


def test_a_plain_zip_renamed_docx_is_refused():
    with pytest.raises(ValidationError):
        uploads.check_upload(
            upload("a.docx", plain_zip_bytes()), allowed=uploads.EVIDENCE_TYPES, max_bytes=10**6
        )


def test_a_docx_is_not_an_import_table():
    with pytest.raises(ValidationError):
        uploads.check_table(upload("a.xlsx", docx_bytes()))


def test_an_oversize_file_is_refused_before_its_content_is_read(settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        uploads.check_evidence(upload("a.pdf", PDF_BYTES + b"x" * 2048))
    assert refused.value.code == "too_big"
    assert "giới hạn" in refused.value.messages[0]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as refused:
        uploads.check_evidence(upload("a.pdf", b""))
    assert refused.value.code == "empty"


def test_a_zip_bomb_xlsx_is_refused_without_unpacking():
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        uploads.check_table(upload("bom.xlsx", zip_bomb_xlsx_bytes()))
    assert refused.value.code == "zip_bomb"
    assert BOMB_VI in refused.value.messages[0]


def test_an_old_excel_file_is_refused_with_how_to_convert_it():
    old_xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    for name in ("danh-sach.xls", "danh-sach.xlsx", "danh-sach.csv"):
        with translation.override("vi"), pytest.raises(ValidationError) as refused:
            uploads.check_table(upload(name, old_xls))
        assert refused.value.code == "old_excel"
        assert "Excel 97-2003 (.xls)" in refused.value.messages[0]
        assert "lưu lại dưới dạng Excel Workbook (.xlsx)" in refused.value.messages[0]


def test_an_old_excel_file_read_by_the_table_reader_gets_the_same_advice():
    from core.tabular import ImportFailed, read_table

    old_xls = io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with translation.override("vi"), pytest.raises(ImportFailed) as refused:
        read_table(old_xls, {"code": ("Mã",)}, max_rows=10)
    assert "lưu lại dưới dạng Excel Workbook (.xlsx)" in refused.value.errors[0].message


def test_dossier_import_page_refuses_an_old_excel_file_with_the_advice(client_for, home_affairs):
    old_xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    response = client_for(home_affairs).post(
        reverse("dossiers:import_list"), {"file": upload("ho-so.xls", old_xls)}
    )
    assert "Đây là tệp Excel 97-2003 (.xls)" in response.content.decode()
    assert not DossierImport.objects.exists()


def test_text_named_as_a_workbook_is_refused_as_damaged_or_renamed():
    text = "Mã;Tên\nSNV;Sở Nội vụ\n".encode()
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        uploads.check_table(upload("danh-sach.xlsx", text))
    assert refused.value.code == "not_a_workbook"
    assert "có thể tệp bị hỏng hoặc bị đổi tên" in refused.value.messages[0]
    # the same text named .csv (or with no name) is a CSV
    assert uploads.check_table(upload("danh-sach.csv", text)).extension == "csv"


def test_csv_must_be_utf8_text():
    text = "Mã;Tên\nSNV;Sở Nội vụ\n"
    assert uploads.check_table(upload("a.csv", text.encode())).extension == "csv"
    with pytest.raises(ValidationError):
        uploads.check_table(upload("a.csv", text.encode("utf-16")))
    with pytest.raises(ValidationError):
        uploads.check_table(upload("a.csv", "Mã;Tên\n".encode("latin-1", "replace") + b"\xe3\xff"))
    with pytest.raises(ValidationError):
        uploads.check_table(upload("a.csv", b"a,b\x00c"))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\cb\\Báo cáo quý 1.pdf", "Báo cáo quý 1.pdf"),
        ("ke\x00hoach\r\n.pdf", "kehoach.pdf"),
        ("Kế hoạch\u202e.pdf", "Kế hoạch.pdf"),  # right-to-left override dropped
        ("...", "tep"),
        ("", "tep"),
        ('a<b>:"c|?*.docx', "a_b___c___.docx"),
        # decomposed (NFD) Vietnamese comes out composed
        ("Ba\u0301o ca\u0301o.pdf", "Báo cáo.pdf"),
    ],
)
def test_file_names_are_sanitised_and_vietnamese_letters_kept(given, expected):
    assert uploads.safe_filename(given) == expected


def test_long_file_names_are_capped_with_their_extension():
    name = uploads.safe_filename("Đ" * 300 + ".xlsx")
    assert len(name) == uploads.MAX_NAME_LENGTH
    assert name.endswith(".xlsx")


def test_the_stored_path_is_generated_never_the_users_name():
    checked = uploads.check_evidence(upload("../../../x.pdf", PDF_BYTES))
    path = uploads.generated_path("evidence", checked)
    assert re.fullmatch(r"evidence/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", path)


def test_table_reader_caps_the_size_of_a_file_read_directly(settings):
    settings.IMPORT_MAX_BYTES = 10
    with pytest.raises(TableError):
        list(read_rows(io.BytesIO(b"ma,ten\n" + b"a,b\n" * 10), {"code": ("ma",)}))


# --- Every upload of the portal goes through the guard ---------------------------------------


def test_directive_file_refuses_a_png_renamed_pdf_on_the_page(client_for, home_affairs, province):
    response = client_for(home_affairs).post(
        reverse("directives:directive_create"),
        {
            "number": "12/KH-UBND",
            "issue_date": "05/01/2026",
            "issuer": province.pk,
            "summary": "Kế hoạch CCHC năm 2026",
            "validity": "in_force",
            "file": upload("ke-hoach.pdf", PNG_BYTES, "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert BAD_TYPE_VI in response.content.decode()
    assert not Directive.objects.filter(number="12/KH-UBND").exists()


def test_directive_file_is_stored_under_a_generated_name(province):
    directive = directive_create(
        number="13/KH-UBND",
        issue_date=datetime.date(2026, 1, 5),
        summary="x",
        issuer=province,
        file=upload("../../Kế hoạch.pdf", PDF_BYTES),
    )
    assert re.fullmatch(r"directives/\d{4}/[0-9a-f]{32}\.pdf", directive.file.name)


def test_task_evidence_refuses_html_renamed_pdf_and_keeps_a_clean_name(head_a, assignment_a):
    report = task_services.report_draft(
        assignment=assignment_a, author=head_a, percent=10, text="x", files=[]
    )
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        task_services.evidence_add(report=report, upload=upload("a.pdf", HTML_BYTES), actor=head_a)
    assert BAD_TYPE_VI in refused.value.messages[0]
    evidence = task_services.evidence_add(
        report=report, upload=upload("..\\Báo\x07 cáo.pdf", PDF_BYTES), actor=head_a
    )
    assert evidence.original_name == "Báo cáo.pdf"


def test_indicator_evidence_refuses_html_renamed_pdf_on_the_page(client_for, head_a, opened):
    target = line(opened["STC"], "1.1.1")
    response = client_for(head_a).post(
        reverse("indicators:evidence_upload", args=[target.pk]),
        {"file": upload("minh-chung.pdf", HTML_BYTES, "application/pdf")},
        follow=True,
    )
    assert BAD_TYPE_VI in response.content.decode()
    assert not target.evidence.exists()


def test_indicator_evidence_is_stored_under_a_generated_name(client_for, head_a, opened):
    # the one evidence path (core.models.evidence_path), the same as a progress report's file
    target = line(opened["STC"], "1.1.1")
    client_for(head_a).post(
        reverse("indicators:evidence_upload", args=[target.pk]),
        {"file": upload("../Kế hoạch.pdf", PDF_BYTES)},
    )
    evidence = target.evidence.get()
    assert evidence.original_name == "Kế hoạch.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(PDF_BYTES)
    assert evidence.file.name.startswith(f"evidence/{evidence.sha256[:2]}/{evidence.sha256}")
    assert evidence.file.name.endswith(".pdf")


def test_unit_import_refuses_a_zip_bomb(client_for, home_affairs):
    response = client_for(home_affairs).post(
        reverse("organizations:unit_import_list"),
        {"file": upload("don-vi.xlsx", zip_bomb_xlsx_bytes())},
    )
    assert BOMB_VI in response.content.decode()
    assert not UnitImport.objects.exists()


def test_unit_import_stores_under_a_generated_name(client_for, home_affairs):
    client_for(home_affairs).post(
        reverse("organizations:unit_import_list"), {"file": upload("../đơn vị.xlsx", xlsx_bytes())}
    )
    record = UnitImport.objects.get()
    assert record.original_name == "đơn vị.xlsx"
    assert re.fullmatch(r"imports/units/\d{4}/\d{2}/[0-9a-f]{32}\.xlsx", record.file.name)


def test_dossier_import_refuses_a_renamed_png(client_for, home_affairs):
    response = client_for(home_affairs).post(
        reverse("dossiers:import_list"), {"file": upload("ho-so.xlsx", PNG_BYTES)}
    )
    assert NOT_TABLE_VI in response.content.decode()
    assert not DossierImport.objects.exists()


def test_dossier_import_refuses_an_oversize_file(client_for, home_affairs, settings):
    settings.IMPORT_MAX_BYTES = 1024
    response = client_for(home_affairs).post(
        reverse("dossiers:import_list"), {"file": upload("ho-so.csv", b"a,b\n" * 1000)}
    )
    assert "giới hạn" in response.content.decode()
    assert not DossierImport.objects.exists()


def test_task_import_refuses_a_zip_bomb(client_for, home_affairs, directive):
    response = client_for(home_affairs).post(
        reverse("tasks:task_import", args=[directive.pk]),
        {"file": upload("nhiem-vu.xlsx", zip_bomb_xlsx_bytes())},
    )
    assert BOMB_VI in response.content.decode()


def test_kpi_import_refuses_an_oversize_file(client_for, home_affairs, settings):
    from indicators.services.kpi import kpi_target_create

    settings.IMPORT_MAX_BYTES = 1024
    kpi = kpi_target_create(actor=home_affairs, name="Hồ sơ trực tuyến", measure="%", year=2026)
    response = client_for(home_affairs).post(
        reverse("indicators:measurement_import"),
        {"kpi": kpi.pk, "file": upload("kpi.csv", b"a,b\n" * 1000)},
        follow=True,
    )
    assert "giới hạn" in response.content.decode()
    assert kpi.measurements.count() == 0


# --- Downloads -------------------------------------------------------------------------------


def _assert_attachment(response) -> None:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_directive_file_download_is_a_nosniff_attachment(client_for, head_b, province, client):
    directive = directive_create(
        number="14/KH-UBND",
        issue_date=datetime.date(2026, 1, 5),
        summary="x",
        issuer=province,
        file=upload("a.pdf", PDF_BYTES),
    )
    url = reverse("directives:directive_file", args=[directive.pk])
    _assert_attachment(client_for(head_b).get(url))  # directives are public to every official
    missing = reverse("directives:directive_file", args=[directive.pk + 1])
    assert client_for(head_b).get(missing).status_code == 404
    without_file = directive_create(
        number="15/KH-UBND", issue_date=datetime.date(2026, 1, 5), summary="x", issuer=province
    )
    response = client_for(head_b).get(reverse("directives:directive_file", args=[without_file.pk]))
    assert response.status_code == 404


def test_task_evidence_download_is_scoped_nosniff_attachment(
    client, client_for, head_a, head_b, assignment_a
):
    report = task_services.report_draft(
        assignment=assignment_a,
        author=head_a,
        percent=10,
        text="x",
        files=[upload("a.pdf", PDF_BYTES)],
    )
    url = reverse("tasks:evidence_download", args=[report.evidence.get().pk])
    assert client_for(head_b).get(url).status_code == 404
    client.logout()
    _assert_attachment(client_for(head_a).get(url))


def test_indicator_evidence_download_is_scoped_nosniff_attachment(
    client, client_for, head_a, head_b, opened
):
    target = line(opened["STC"], "1.1.1")
    client_for(head_a).post(
        reverse("indicators:evidence_upload", args=[target.pk]),
        {"file": upload("a.pdf", PDF_BYTES)},
    )
    url = reverse("indicators:evidence_download", args=[target.evidence.get().pk])
    _assert_attachment(client_for(head_a).get(url))
    client.logout()
    assert client_for(head_b).get(url).status_code == 404


def test_export_download_is_owned_nosniff_attachment(client, client_for, head_a, head_b):
    export = Export.objects.create(user=head_a, key="units", title="Đơn vị", params={})
    export_run(export_id=export.pk)
    url = reverse("reporting:export_download", args=[export.pk])
    _assert_attachment(client_for(head_a).get(url))
    client.logout()
    assert client_for(head_b).get(url).status_code == 404


def test_media_url_is_not_served(client_for, home_affairs, settings):
    stored = default_storage.save("evidence/secret.pdf", io.BytesIO(PDF_BYTES))
    response = client_for(home_affairs).get(settings.MEDIA_URL + stored)
    assert response.status_code == 404
    media = settings.MEDIA_URL.strip("/")
    assert not any(
        str(pattern.pattern).lstrip("^").startswith(media)
        for pattern in get_resolver().url_patterns
    )
