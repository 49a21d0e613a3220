"""Provincial index values (PAR INDEX, SIPAS, PAPI, PCI, the 766 score) and their import."""

from __future__ import annotations

from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.tabular import ImportFailed, RowCheck, cell_text, check_rows, read_table
from core.text import fold
from indicators import policy
from indicators.models import IndexKind, ProvincialIndex
from indicators.services.common import save
from indicators.services.frameworks import parse_points

# Provinces ranked: 63 up to 2024, 34 after the 2025 merger.
RANK_OUT_OF_BEFORE_2025 = 63
RANK_OUT_OF_FROM_2025 = 34
INDEX_COLUMNS: dict[str, tuple[str, ...]] = {
    "kind": ("Chỉ số", "kind"),
    "year": ("Năm", "year"),
    "value": ("Giá trị", "value"),
    "scale": ("Thang điểm", "scale"),
    "rank": ("Xếp hạng", "rank"),
    "rank_out_of": ("Trên tổng số", "rank_out_of"),
    "subject": ("Đối tượng", "subject"),
    "note": ("Ghi chú", "note"),
}
DEFAULT_SCALE = {IndexKind.PAPI: Decimal(80)}


def default_rank_out_of(year: int) -> int:
    return RANK_OUT_OF_BEFORE_2025 if year < 2025 else RANK_OUT_OF_FROM_2025


@transaction.atomic
def index_record(
    *,
    actor,
    kind: str,
    year: int,
    value: Decimal,
    scale: Decimal | None = None,
    rank: int | None = None,
    rank_out_of: int | None = None,
    subject: str = "",
    illustrative: bool = False,
    note: str = "",
) -> ProvincialIndex:
    """Create or correct one value, keyed by index, year and subject."""
    if actor is not None:  # None: a seed or a command, not a person
        policy.require(actor, policy.INDEX_IMPORT)
    row = ProvincialIndex.objects.filter(kind=kind, year=year, subject=subject).first()
    row = row or ProvincialIndex(kind=kind, year=year, subject=subject)
    row.value = value
    row.scale = scale if scale is not None else DEFAULT_SCALE.get(kind, Decimal(100))
    row.rank = rank
    row.rank_out_of = rank_out_of or (default_rank_out_of(year) if rank else None)
    row.illustrative = illustrative
    row.note = note
    save(row, actor)
    return row


def _kind_value(raw: str) -> str | None:
    folded = fold(raw).replace(" index", "").replace("chi so ", "").strip()
    for value, label in IndexKind.choices:
        if folded in (fold(value), fold(str(label)), fold(str(label)).replace(" index", "")):
            return value
    return "service_766" if "766" in folded else None


def _int_or_none(value: Any) -> int | None:
    text = cell_text(value)
    return int(text) if text else None


def _whole_number(row: RowCheck, name: str) -> int | None:
    try:
        return _int_or_none(row.raw.get(name))
    except ValueError:
        row.error(name, _("'%(value)s' is not a whole number.") % {"value": row.text(name)})
        return None


def _check_index_row(row: RowCheck) -> dict[str, Any]:
    kind = _kind_value(row.text("kind"))
    if kind is None:
        row.error("kind", _("'%(value)s' is not a known index.") % {"value": row.text("kind")})
    values: dict[str, Any] = {
        name: _whole_number(row, name) for name in ("year", "rank", "rank_out_of")
    }
    if not row.errors and not values["year"]:
        row.error("year", _("This cell is required."))
    values["value"] = row.parsed("value", parse_points)
    values["scale"] = row.parsed("scale", parse_points) if row.text("scale") else None
    if not row.errors:
        scale = values["scale"] or DEFAULT_SCALE.get(kind, Decimal(100))
        if not Decimal(0) <= values["value"] <= scale:
            row.error("value", _("The value is outside its scale."))
        out_of = values["rank_out_of"] or default_rank_out_of(values["year"])
        if values["rank"] and values["rank"] > out_of:
            row.error(
                "rank",
                _("Rank %(rank)s is beyond %(out_of)s.")
                % {"rank": values["rank"], "out_of": out_of},
            )
    return {"kind": kind, "subject": row.text("subject"), "note": row.text("note"), **values}


@transaction.atomic
def indices_import(*, actor, fileobj: IO[bytes]) -> int:
    """Import index values from CSV/XLSX, all or nothing, with every row error listed.

    Index, year and value are required per row; blank scale and rank-out-of cells take the
    defaults (100, or 80 for PAPI; 63 before 2025, 34 from 2025).
    """
    policy.require(actor, policy.INDEX_IMPORT)
    rows = read_table(fileobj, INDEX_COLUMNS, max_rows=5_000)
    clean, errors = check_rows(rows, INDEX_COLUMNS, _check_index_row)
    if errors:
        raise ImportFailed(errors)
    for row in clean:
        index_record(actor=actor, **row)
    return len(clean)
