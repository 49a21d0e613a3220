"""Every write to directives."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.text import fold, fold_join
from core.uploads import DIRECTIVE_TYPES, check_upload, generated_name
from directives import policy
from directives.models import CchcArea, Directive, DirectiveValidity
from directives.numbering import parse_number, type_search_words
from organizations.models import OrgUnit

# Fields a caller may set through directive_create / directive_update.
EDITABLE_FIELDS = (
    "number",
    "issuer",
    "issuer_name",
    "issue_date",
    "signer",
    "signer_position",
    "signing_mode",
    "summary",
    "validity",
)


def _issuer_key(directive: Directive) -> str:
    if directive.issuer_id:
        return f"unit:{directive.issuer.code}"
    return f"name:{fold(directive.issuer_name)}"


def _apply_number(directive: Directive) -> None:
    try:
        parsed = parse_number(directive.number)
    except ValueError as exc:
        raise ValidationError({"number": str(exc)}) from exc
    directive.number = "".join(directive.number.split())
    directive.shape = parsed.shape
    directive.serial = parsed.serial
    directive.doc_type = parsed.doc_type
    directive.issuer_code = parsed.issuer_code
    directive.desk = parsed.desk
    if parsed.year and directive.issue_date and parsed.year != directive.issue_date.year:
        raise ValidationError(
            {"issue_date": _("The issue date is not in the year written in the number.")}
        )
    directive.year = parsed.year or (directive.issue_date.year if directive.issue_date else None)


def _check_duplicate(directive: Directive) -> None:
    duplicate = (
        Directive.objects.filter(
            issuer_key=directive.issuer_key,
            year=directive.year,
            doc_type=directive.doc_type,
            serial=directive.serial,
        )
        .exclude(pk=directive.pk)
        .first()
    )
    if duplicate:
        raise ValidationError(
            {
                "number": _(
                    "%(issuer)s already issued number %(serial)s of this type in %(year)s "
                    "(%(number)s of %(date)s)."
                )
                % {
                    "issuer": duplicate.issuer_label,
                    "serial": duplicate.serial,
                    "year": duplicate.year,
                    "number": duplicate.number,
                    "date": duplicate.issue_date.strftime("%d/%m/%Y"),
                }
            }
        )


def directive_search_text(directive: Directive) -> str:
    """What the directive search matches: the number, the type's Vietnamese name and
    abbreviation ("cong van 2718", "KH 5580"), the summary, the issuer and the signer."""
    return fold_join(
        directive.number,
        type_search_words(directive.doc_type),
        directive.summary,
        directive.issuer_label,
        directive.signer,
    )


def _save(directive: Directive, *, file=None) -> Directive:
    if not directive.issuer_id and not directive.issuer_name.strip():
        raise ValidationError({"issuer": _("Choose the issuing unit or name the outside body.")})
    if directive.issue_date is None:
        raise ValidationError({"issue_date": _("Enter the issue date.")})
    _apply_number(directive)
    directive.issuer_key = _issuer_key(directive)
    _check_duplicate(directive)
    if file is not None:
        checked = check_upload(
            file, allowed=DIRECTIVE_TYPES, max_bytes=settings.DIRECTIVE_FILE_MAX_BYTES
        )
        # Stored under a generated name; the download is named after the directive's number.
        file.name = generated_name(checked)
        directive.file = file
    directive.search_text = directive_search_text(directive)
    directive.full_clean()
    directive.save()
    return directive


@transaction.atomic
def directive_create(
    *,
    number: str,
    issue_date: datetime.date,
    summary: str,
    issuer: OrgUnit | None = None,
    issuer_name: str = "",
    signer: str = "",
    signer_position: str = "",
    signing_mode: str = "",
    validity: str = DirectiveValidity.IN_FORCE,
    areas: Iterable[CchcArea] = (),
    implements: Iterable[Directive] = (),
    file=None,
    created_by=None,
) -> Directive:
    """Enter an issued directive; `created_by` is the person entering it (None: the system)."""
    if created_by is not None:
        policy.require(created_by, policy.DIRECTIVE_CREATE)
    directive = Directive(
        number=number,
        issue_date=issue_date,
        summary=summary,
        issuer=issuer,
        issuer_name=issuer_name if issuer is None else "",
        signer=signer,
        signer_position=signer_position,
        signing_mode=signing_mode,
        validity=validity,
        created_by=created_by,
    )
    _save(directive, file=file)
    directive.areas.set(list(areas))
    directive.implements.set(list(implements))
    return directive


@transaction.atomic
def directive_update(
    *,
    directive: Directive,
    areas: Iterable[CchcArea] | None = None,
    implements: Iterable[Directive] | None = None,
    file=None,
    actor=None,
    **changes,
) -> Directive:
    """Change a directive's fields; `actor` is the person changing it (None: the system)."""
    if actor is not None:
        policy.require(actor, policy.DIRECTIVE_EDIT, directive=directive)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"directive_update got unknown fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(directive, name, value)
    if directive.issuer_id:
        directive.issuer_name = ""
    _save(directive, file=file)
    if areas is not None:
        directive.areas.set(list(areas))
    if implements is not None:
        chosen = [d for d in implements if d.pk != directive.pk]
        directive.implements.set(chosen)
    return directive
