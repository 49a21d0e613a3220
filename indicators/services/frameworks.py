"""Frameworks, bands, the criteria tree and its invariants, copy to a new year, XLSX in and out."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.excel import import_template_sheet, workbook_bytes
from core.tabular import (
    ImportFailed,
    RowCheck,
    RowError,
    cell_text,
    check_rows,
    header_names,
    read_table,
)
from core.text import fold
from indicators.models import (
    OUTSIDE_BASE,
    Band,
    ComputedBand,
    Criterion,
    CriterionMethod,
    Framework,
    code_path,
)
from indicators.sources import get_source

CODE_RE = re.compile(r"^[1-9]\d{0,2}(\.[1-9]\d{0,2}){0,4}$")
BASE_TOTAL = Decimal("100")

# Field -> header spellings accepted in a framework file (the first is the template's).
CRITERION_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("Mã", "code"),
    "name": ("Nội dung", "name"),
    "max_points": ("Điểm tối đa", "max_points"),
    "method": ("Phương pháp", "method"),
    # glossary: accepts the old header, so templates downloaded before the rename still import
    "evidence_required": ("Minh chứng", "Tài liệu kiểm chứng", "evidence_required"),
    "source_key": ("Nguồn dữ liệu", "source_key"),
    "note": ("Ghi chú", "note"),
}
# Short Vietnamese words accepted for the method column, besides the codes and labels.
METHOD_ALIASES = {
    "tu cham": CriterionMethod.SELF_APPRAISED,
    "tham dinh": CriterionMethod.SELF_APPRAISED,
    "dieu tra": CriterionMethod.SURVEY,
    "dieu tra xa hoi hoc": CriterionMethod.SURVEY,
    "tinh toan": CriterionMethod.COMPUTED,
    "tu dong": CriterionMethod.COMPUTED,
    "thuong": CriterionMethod.BONUS,
    "diem thuong": CriterionMethod.BONUS,
    "tru": CriterionMethod.PENALTY,
    "diem tru": CriterionMethod.PENALTY,
}
# The word written to an exported sheet for each method (read back by METHOD_ALIASES).
METHOD_WORDS = {
    CriterionMethod.SELF_APPRAISED: "Tự chấm",
    CriterionMethod.SURVEY: "Điều tra",
    CriterionMethod.COMPUTED: "Tính toán",
    CriterionMethod.BONUS: "Điểm thưởng",
    CriterionMethod.PENALTY: "Điểm trừ",
}
YES_WORDS = {"x", "co", "yes", "true", "1", "c"}


def points_text(value: Decimal) -> str:
    return number_format(value, 2)


def parse_points(value: Any) -> Decimal:
    """A number from a cell or a form: 2.5, '2,5' or '2.5'. Raises ValueError in Vietnamese."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        result = Decimal(str(value))
    else:
        text = cell_text(value).replace(" ", "").replace(",", ".")
        try:
            result = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(
                _("'%(value)s' is not a number.") % {"value": cell_text(value)}
            ) from exc
    if not result.is_finite():
        raise ValueError(_("'%(value)s' is not a number.") % {"value": cell_text(value)})
    return result.quantize(Decimal("0.01"))


def _ensure_unlocked(framework: Framework) -> None:
    if framework.locked:
        raise ValidationError(
            _("The framework is in use by assessments and locked; copy it to a new year instead.")
        )


@transaction.atomic
def framework_create(
    *,
    name: str,
    year: int,
    population: str,
    legal_basis: str = "",
    self_scoring_deadline=None,
    bands: Iterable[tuple[str, Decimal]] = (),
) -> Framework:
    framework = Framework(
        name=name,
        year=year,
        population=population,
        legal_basis=legal_basis,
        self_scoring_deadline=self_scoring_deadline,
    )
    framework.full_clean()
    framework.save()
    framework_set_bands(framework=framework, bands=bands)
    return framework


@transaction.atomic
def framework_update(*, framework: Framework, **fields: Any) -> Framework:
    """Change a framework's own fields. The deadline and legal basis stay editable when locked;
    the population and year do not, as assessments already belong to them."""
    if framework.locked and ({"population", "year"} & set(fields)):
        _ensure_unlocked(framework)
    for name, value in fields.items():
        setattr(framework, name, value)
    framework.full_clean()
    framework.save()
    return framework


@transaction.atomic
def framework_set_bands(*, framework: Framework, bands: Iterable[tuple[str, Decimal]]) -> None:
    """Replace the framework's bands (label, minimum percent). Locked with the framework, so
    results already published keep their band."""
    _ensure_unlocked(framework)
    rows = [(label.strip(), Decimal(minimum)) for label, minimum in bands if label.strip()]
    labels = [label for label, _minimum in rows]
    if len(set(labels)) != len(labels):
        raise ValidationError(_("Two bands have the same label."))
    framework.bands.all().delete()
    for label, minimum in rows:
        band = Band(framework=framework, label=label, min_percent=minimum)
        band.full_clean()
        band.save()


def _parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


@transaction.atomic
def criterion_create(
    *,
    framework: Framework,
    code: str,
    name: str,
    max_points: Decimal,
    method: str = CriterionMethod.SELF_APPRAISED,
    evidence_required: bool = False,
    source_key: str = "",
    note: str = "",
) -> Criterion:
    """Add a node; its parent is the node whose code is this code without its last part."""
    _ensure_unlocked(framework)
    code = code.strip()
    if not CODE_RE.match(code):
        raise ValidationError(
            _("Code '%(code)s' must be numbers separated by dots, such as 1, 1.2 or 1.2.3.")
            % {"code": code}
        )
    parent = None
    if parent_code := _parent_code(code):
        parent = framework.criteria.filter(code=parent_code).first()
        if parent is None:
            raise ValidationError(
                _("Criterion %(code)s has no parent %(parent)s in this framework.")
                % {"code": code, "parent": parent_code}
            )
    if framework.criteria.filter(code=code).exists():
        raise ValidationError(_("Code %(code)s is already used.") % {"code": code})
    criterion = Criterion(
        framework=framework,
        parent=parent,
        code=code,
        name=name,
        max_points=max_points,
        method=method,
        evidence_required=evidence_required,
        source_key=source_key,
        note=note,
    )
    criterion.path = code_path(code)
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def criterion_update(*, criterion: Criterion, **fields: Any) -> Criterion:
    """Change a node's name, points, method, evidence rule, source or note (not its code)."""
    _ensure_unlocked(criterion.framework)
    fields.pop("code", None)
    for name, value in fields.items():
        setattr(criterion, name, value)
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion) -> None:
    """Delete a node and everything below it."""
    _ensure_unlocked(criterion.framework)
    criterion.delete()


@transaction.atomic
def computed_bands_set(*, criterion: Criterion, rows: Iterable[tuple[Decimal, Decimal]]) -> None:
    """Replace a computed criterion's band table: (from percent, points) rows.

    Editable while assessments run: the next recompute applies the new table.
    """
    rows = list(rows)
    errors = []
    if criterion.method != CriterionMethod.COMPUTED:
        errors.append(_("Only a computed criterion has a band table."))
    thresholds = [minimum for minimum, _points in rows]
    if len(set(thresholds)) != len(thresholds):
        errors.append(_("Two rows of the band table start at the same percent."))
    for minimum, points in rows:
        if points > criterion.max_points or points < 0:
            errors.append(
                _("%(points)s points is outside 0 to %(max)s.")
                % {"points": points_text(points), "max": points_text(criterion.max_points)}
            )
        if not Decimal(0) <= minimum <= Decimal(100):
            errors.append(_("A percent must be between 0 and 100."))
    if errors:
        raise ValidationError(errors)
    criterion.computed_bands.all().delete()
    for minimum, points in rows:
        row = ComputedBand(criterion=criterion, min_percent=minimum, points=points)
        row.full_clean()
        row.save()


# --- Invariants ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Breach:
    code: str
    message: str
    # A missing data source does not block opening assessments: the app that owns the data may
    # not be installed yet, and the nightly recompute fills the line once it is.
    blocking: bool = True

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" if self.code else self.message


def framework_check(*, framework: Framework) -> list[Breach]:
    """Every breach of the tree's rules, in tree order; an empty list means the tree is sound.

    Rules: each inner node's children add up to its points; the areas inside the base (all but
    bonus and penalty) add up to 100; a bonus or penalty node's children are bonus or penalty
    too; a computed criterion is a leaf with a known data source and a band table within its
    points.
    """
    criteria = list(framework.criteria.order_by("path").prefetch_related("computed_bands"))
    children: dict[int | None, list[Criterion]] = defaultdict(list)
    for criterion in criteria:
        children[criterion.parent_id].append(criterion)
    breaches: list[Breach] = []
    if not criteria:
        return [Breach("", _("The framework has no criteria."))]
    base = sum(
        (node.max_points for node in children[None] if node.method not in OUTSIDE_BASE),
        Decimal(0),
    )
    if base != BASE_TOTAL:
        breaches.append(
            Breach(
                "",
                _("The areas add up to %(sum)s points, not 100.") % {"sum": points_text(base)},
            )
        )
    for node in criteria:
        kids = children[node.pk]
        if kids:
            total = sum((kid.max_points for kid in kids), Decimal(0))
            if total != node.max_points:
                breaches.append(
                    Breach(
                        node.code,
                        _("its children add up to %(sum)s points, not %(max)s.")
                        % {"sum": points_text(total), "max": points_text(node.max_points)},
                    )
                )
            for kid in kids:
                if (kid.method in OUTSIDE_BASE) != (node.method in OUTSIDE_BASE):
                    breaches.append(
                        Breach(
                            kid.code,
                            _(
                                "bonus and penalty points cannot be mixed with scored points "
                                "under one parent."
                            ),
                        )
                    )
        if node.method == CriterionMethod.COMPUTED:
            breaches.extend(_computed_breaches(node, has_children=bool(kids)))
    return breaches


def _computed_breaches(node: Criterion, *, has_children: bool) -> list[Breach]:
    found = []
    if has_children:
        found.append(Breach(node.code, _("a computed criterion must not have children.")))
    if not node.source_key:
        found.append(Breach(node.code, _("a computed criterion needs a data source.")))
    elif get_source(node.source_key) is None:
        found.append(
            Breach(
                node.code,
                _("the data source '%(key)s' is not available.") % {"key": node.source_key},
                blocking=False,
            )
        )
    bands = list(node.computed_bands.all())
    if not bands:
        found.append(Breach(node.code, _("a computed criterion needs a band table.")))
    found.extend(
        Breach(
            node.code,
            _("a band-table row gives %(points)s points, more than the maximum %(max)s.")
            % {"points": points_text(band.points), "max": points_text(node.max_points)},
        )
        for band in bands
        if band.points > node.max_points
    )
    return found


# --- Copy ----------------------------------------------------------------------------------


@transaction.atomic
def framework_copy(
    *, framework: Framework, year: int, name: str | None = None, self_scoring_deadline=None
) -> Framework:
    """A new, unlocked framework for `year` with the same bands, tree and band tables."""
    copy = framework_create(
        name=name or framework.name,
        year=year,
        population=framework.population,
        legal_basis=framework.legal_basis,
        self_scoring_deadline=self_scoring_deadline,
        bands=[(band.label, band.min_percent) for band in framework.bands.all()],
    )
    copy.copied_from = framework
    copy.save(update_fields=["copied_from"])
    for node in framework.criteria.order_by("path").prefetch_related("computed_bands"):
        new = criterion_create(
            framework=copy,
            code=node.code,
            name=node.name,
            max_points=node.max_points,
            method=node.method,
            evidence_required=node.evidence_required,
            source_key=node.source_key,
            note=node.note,
        )
        rows = [(band.min_percent, band.points) for band in node.computed_bands.all()]
        if rows:
            computed_bands_set(criterion=new, rows=rows)
    return copy


# --- XLSX import and export ----------------------------------------------------------------


def _method_value(raw: str) -> str | None:
    folded = fold(raw)
    if not folded:
        return CriterionMethod.SELF_APPRAISED
    if folded in METHOD_ALIASES:
        return METHOD_ALIASES[folded]
    for value, label in CriterionMethod.choices:
        if folded in (fold(value), fold(str(label))):
            return value
    return None


def _check_criterion_row(row: RowCheck, seen: dict[str, int]) -> dict[str, Any]:
    code = row.required("code")
    name = row.required("name")
    if code and not CODE_RE.match(code):
        row.error(
            "code",
            _("Code '%(code)s' must be numbers separated by dots, such as 1, 1.2 or 1.2.3.")
            % {"code": code},
        )
    elif code in seen:
        row.error(
            "code",
            _("Code %(code)s already appears on row %(row)s.") % {"code": code, "row": seen[code]},
        )
    elif code:
        seen[code] = row.number
    max_points = None
    if row.text("max_points") == "":
        row.error("max_points", _("This cell is required."))
    else:
        max_points = row.parsed("max_points", parse_points)
        if max_points is not None and max_points < 0:
            row.error("max_points", _("Points cannot be negative."))
    method = _method_value(row.text("method"))
    if method is None:
        row.error("method", _("'%(value)s' is not a known method.") % {"value": row.text("method")})
    source_key = row.text("source_key")
    if method == CriterionMethod.COMPUTED and not source_key:
        row.error("source_key", _("A computed criterion needs a source."))
    return {
        "row": row.number,
        "code": code,
        "name": name,
        "max_points": max_points,
        "method": method,
        "evidence_required": fold(row.text("evidence_required")) in YES_WORDS,
        "source_key": source_key,
        "note": row.text("note"),
    }


def _validate_criterion_rows(
    rows: Iterable[tuple[int, dict[str, Any]]],
) -> tuple[list[dict[str, Any]], list[RowError]]:
    headers = header_names(CRITERION_COLUMNS)
    seen: dict[str, int] = {}
    clean, errors = check_rows(rows, CRITERION_COLUMNS, lambda row: _check_criterion_row(row, seen))
    codes = {row["code"] for row in clean} | set(seen)
    for row in clean:
        parent = _parent_code(row["code"])
        if parent and parent not in codes:
            errors.append(
                RowError(
                    row["row"],
                    headers["code"],
                    _("Criterion %(code)s has no parent %(parent)s in the file.")
                    % {"code": row["code"], "parent": parent},
                )
            )
    return clean, errors


@transaction.atomic
def framework_import(*, framework: Framework, fileobj: IO[bytes]) -> int:
    """Replace an unlocked framework's tree with the rows of an XLSX or CSV file.

    All or nothing: every row is checked first, and any error raises ImportFailed with
    all of them. Returns the number of criteria written. The tree's invariants are not import
    errors: the editor lists them afterwards (framework_check).
    """
    _ensure_unlocked(framework)
    rows = read_table(fileobj, CRITERION_COLUMNS, max_rows=5_000)
    clean, errors = _validate_criterion_rows(rows)
    if errors:
        raise ImportFailed(sorted(errors, key=lambda error: error.row))
    if not clean:
        raise ImportFailed(_("The file holds no criteria."))
    framework.criteria.all().delete()
    for row in sorted(clean, key=lambda row: code_path(row["code"])):
        number = row.pop("row")
        try:
            criterion_create(framework=framework, **row)
        except ValidationError as exc:
            raise ImportFailed([RowError(number, "", "; ".join(exc.messages))]) from exc
    return len(clean)


def framework_export(*, framework: Framework | None) -> bytes:
    """The framework's tree as XLSX in the import layout (no framework: the empty template)."""
    from openpyxl.styles import Alignment, Font

    workbook, sheet = import_template_sheet("Bo tieu chi", CRITERION_COLUMNS)
    criteria = framework.criteria.order_by("path") if framework else []
    for node in criteria:
        sheet.append(
            [
                node.code,
                node.name,
                node.max_points,
                METHOD_WORDS[node.method],
                "x" if node.evidence_required else "",
                node.source_key,
                node.note,
            ]
        )
        row = sheet.max_row
        sheet.cell(row, 1).data_type = "s"
        sheet.cell(row, 2).data_type = "s"  # never a formula, even if the name starts with =
        sheet.cell(row, 3).number_format = "0.00"
        for column in range(1, 8):
            sheet.cell(row, column).font = Font(name="Times New Roman", bold=node.depth == 1)
        sheet.cell(row, 2).alignment = Alignment(wrap_text=True, indent=node.depth - 1)
    for letter, width in zip("ABCDEFG", (10, 70, 12, 14, 12, 20, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    guide = workbook.create_sheet("Huong dan")
    guide.append(["Phương pháp", "Ý nghĩa"])
    for value, label in CriterionMethod.choices:
        guide.append([METHOD_WORDS[value], str(label)])
    return workbook_bytes(workbook)
