"""Document numbers (số, ký hiệu) as Decree 30/2020 writes them, parsed into their parts.

Four shapes are recognised:
- công văn: ``2718/UBND-NC`` (number / issuer - drafting desk; no type abbreviation)
- typed documents: ``5580/KH-UBND`` (number / type - issuer)
- legal normative documents carry the year: ``22/2020/QĐ-UBND``
- Party documents use a hyphen after the number: ``18-NQ/TW``
`parse_number` returns a ParsedNumber or raises ValueError with a Vietnamese message;
`format_number` writes one back, so parse(format(x)) == x.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DirectiveType(models.TextChoices):
    CONG_VAN = "CV", gettext_lazy("Official letter (công văn)")
    NQ = "NQ", gettext_lazy("Resolution (NQ)")
    QD = "QĐ", gettext_lazy("Decision (QĐ)")
    CT = "CT", gettext_lazy("Directive (CT)")
    QC = "QC", gettext_lazy("Regulation (QC)")
    TB = "TB", gettext_lazy("Notice (TB)")
    HD = "HD", gettext_lazy("Guidance (HD)")
    CTR = "CTr", gettext_lazy("Programme (CTr)")
    KH = "KH", gettext_lazy("Plan (KH)")
    PA = "PA", gettext_lazy("Scheme (PA)")
    DA = "ĐA", gettext_lazy("Project (ĐA)")
    BC = "BC", gettext_lazy("Report (BC)")
    TTR = "TTr", gettext_lazy("Submission (TTr)")
    CD = "CĐ", gettext_lazy("Urgent dispatch (CĐ)")


def type_search_words(doc_type: str) -> str:
    """The words people search a document type by, whatever the page's language: its Vietnamese
    name and its abbreviation ("Kế hoạch (KH) KH", "Công văn CV")."""
    if doc_type not in DirectiveType.values:
        return doc_type
    with translation.override("vi"):
        return f"{DirectiveType(doc_type).label} {doc_type}"


class NumberShape(models.TextChoices):
    CONG_VAN = "cong_van", gettext_lazy("Official letter")
    TYPED = "typed", gettext_lazy("Typed document")
    NORMATIVE = "normative", gettext_lazy("Legal normative document")
    PARTY = "party", gettext_lazy("Party document")


def _type_key(text: str) -> str:
    return text.upper().replace("Đ", "D")


# "QD", "qđ" and "QĐ" all mean QĐ; "CTR" and "Ctr" mean CTr.
_TYPES_BY_KEY = {_type_key(t.value): t.value for t in DirectiveType if t != DirectiveType.CONG_VAN}

_TOKEN = r"[A-Za-zĐđ][A-Za-zĐđ0-9]*"
_SERIAL = r"(?P<serial>\d{1,6})"
_PARTY_RE = re.compile(rf"^{_SERIAL}-(?P<type>{_TOKEN})/(?P<issuer>{_TOKEN}(?:-{_TOKEN})*)$")
_NORMATIVE_RE = re.compile(
    rf"^{_SERIAL}/(?P<year>\d{{4}})/(?P<type>{_TOKEN})-(?P<issuer>{_TOKEN}(?:-{_TOKEN})*)$"
)
_SLASH_RE = re.compile(rf"^{_SERIAL}/(?P<first>{_TOKEN})-(?P<rest>{_TOKEN}(?:-{_TOKEN})*)$")

MIN_YEAR, MAX_YEAR = 1945, 2100


@dataclass(frozen=True)
class ParsedNumber:
    """One document number in parts. `desk` is set only for a công văn, `year` only for a
    legal normative document (others take their year from the issue date)."""

    shape: str
    serial: int
    doc_type: str
    issuer_code: str
    desk: str = ""
    year: int | None = None


def format_number(parsed: ParsedNumber) -> str:
    if parsed.shape == NumberShape.CONG_VAN:
        return f"{parsed.serial}/{parsed.issuer_code}-{parsed.desk}"
    if parsed.shape == NumberShape.NORMATIVE:
        return f"{parsed.serial}/{parsed.year}/{parsed.doc_type}-{parsed.issuer_code}"
    if parsed.shape == NumberShape.PARTY:
        return f"{parsed.serial}-{parsed.doc_type}/{parsed.issuer_code}"
    return f"{parsed.serial}/{parsed.doc_type}-{parsed.issuer_code}"


def _serial(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(_("The document number must be 1 or more."))
    return value


def _known_type(text: str) -> str:
    value = _TYPES_BY_KEY.get(_type_key(text))
    if value is None:
        raise ValueError(
            _("“%(type)s” is not a known document type (NQ, QĐ, CT, KH, ...).") % {"type": text}
        )
    return value


def parse_number(raw: str) -> ParsedNumber:
    """Parse a document number; raise ValueError with a Vietnamese message when it is none."""
    text = "".join((raw or "").split())  # "2718 / UBND-NC" is still 2718/UBND-NC
    if not text:
        raise ValueError(_("Enter the document number, e.g. 5580/KH-UBND."))
    if match := _PARTY_RE.match(text):
        return ParsedNumber(
            shape=NumberShape.PARTY,
            serial=_serial(match["serial"]),
            doc_type=_known_type(match["type"]),
            issuer_code=match["issuer"].upper(),
        )
    if match := _NORMATIVE_RE.match(text):
        year = int(match["year"])
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(
                _("The year %(year)s in the number is not plausible.") % {"year": year}
            )
        return ParsedNumber(
            shape=NumberShape.NORMATIVE,
            serial=_serial(match["serial"]),
            doc_type=_known_type(match["type"]),
            issuer_code=match["issuer"].upper(),
            year=year,
        )
    if match := _SLASH_RE.match(text):
        first, rest = match["first"], match["rest"]
        if _type_key(first) in _TYPES_BY_KEY:
            return ParsedNumber(
                shape=NumberShape.TYPED,
                serial=_serial(match["serial"]),
                doc_type=_known_type(first),
                issuer_code=rest.upper(),
            )
        return ParsedNumber(
            shape=NumberShape.CONG_VAN,
            serial=_serial(match["serial"]),
            doc_type=DirectiveType.CONG_VAN,
            issuer_code=first.upper(),
            desk=rest.upper(),
        )
    raise ValueError(
        _(
            "“%(number)s” is not a document number. Expected forms: 2718/UBND-NC, "
            "5580/KH-UBND, 22/2020/QĐ-UBND or 18-NQ/TW."
        )
        % {"number": raw.strip()}
    )
