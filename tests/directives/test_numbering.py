import pytest
from hypothesis import given
from hypothesis import strategies as st

from directives.numbering import (
    DirectiveType,
    NumberShape,
    ParsedNumber,
    format_number,
    parse_number,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "2718/UBND-NC",
            ParsedNumber(NumberShape.CONG_VAN, 2718, DirectiveType.CONG_VAN, "UBND", desk="NC"),
        ),
        (
            "123/SNV-CCHC",
            ParsedNumber(NumberShape.CONG_VAN, 123, DirectiveType.CONG_VAN, "SNV", desk="CCHC"),
        ),
        ("5580/KH-UBND", ParsedNumber(NumberShape.TYPED, 5580, "KH", "UBND")),
        ("985/QĐ-UBND", ParsedNumber(NumberShape.TYPED, 985, "QĐ", "UBND")),
        ("01/CTr-UBND", ParsedNumber(NumberShape.TYPED, 1, "CTr", "UBND")),
        ("76/NQ-CP", ParsedNumber(NumberShape.TYPED, 76, "NQ", "CP")),
        ("22/2020/QĐ-UBND", ParsedNumber(NumberShape.NORMATIVE, 22, "QĐ", "UBND", year=2020)),
        ("18-NQ/TW", ParsedNumber(NumberShape.PARTY, 18, "NQ", "TW")),
        ("05-NQ/TU", ParsedNumber(NumberShape.PARTY, 5, "NQ", "TU")),
    ],
)
def test_every_documented_number_form_parses_into_its_parts(raw, expected):
    assert parse_number(raw) == expected


def test_type_written_without_diacritic_or_in_other_case_is_recognised():
    assert parse_number("985/QD-UBND").doc_type == "QĐ"
    assert parse_number("01/CTR-UBND").doc_type == "CTr"
    assert parse_number(" 5580 / KH-UBND ").serial == 5580


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "Nhập số văn bản"),
        ("KH-UBND", "không phải là số văn bản"),
        ("5580", "không phải là số văn bản"),
        ("0/KH-UBND", "từ 1 trở lên"),
        ("22/1800/QĐ-UBND", "không hợp lý"),
        ("22/2020/XX-UBND", "không phải là loại văn bản"),
        ("18-XX/TW", "không phải là loại văn bản"),
        ("5580/KH_UBND", "không phải là số văn bản"),
        ("abc/KH-UBND", "không phải là số văn bản"),
    ],
)
def test_malformed_numbers_are_rejected_with_a_vietnamese_message(raw, fragment, settings):
    from django.utils import translation

    with translation.override("vi"), pytest.raises(ValueError) as caught:
        parse_number(raw)
    assert fragment in str(caught.value)


_types = st.sampled_from([t.value for t in DirectiveType if t != DirectiveType.CONG_VAN])
_codes = st.from_regex(r"[A-Z][A-Z0-9]{0,5}", fullmatch=True)
_non_type_codes = _codes.filter(lambda c: parse_number(f"1/{c}-X").shape == NumberShape.CONG_VAN)


@st.composite
def parsed_numbers(draw):
    shape = draw(st.sampled_from(list(NumberShape)))
    serial = draw(st.integers(min_value=1, max_value=999_999))
    if shape == NumberShape.CONG_VAN:
        return ParsedNumber(
            shape, serial, DirectiveType.CONG_VAN, draw(_non_type_codes), desk=draw(_codes)
        )
    year = (
        draw(st.integers(min_value=1945, max_value=2100))
        if shape == NumberShape.NORMATIVE
        else None
    )
    return ParsedNumber(shape, serial, draw(_types), draw(_codes), year=year)


@given(parsed_numbers())
def test_parse_of_format_gives_back_the_same_parts(parsed):
    assert parse_number(format_number(parsed)) == parsed
