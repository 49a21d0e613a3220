from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directives.numbering import DirectiveType, NumberShape
from organizations.models import OrgUnit


class CchcArea(models.Model):
    """One of the eight areas of administrative reform (PAR areas), seeded by a migration.

    A small table rather than an ArrayField, so a directive can name several areas on SQLite and
    PostgreSQL alike and dashboards can group by it.
    """

    code = models.PositiveSmallIntegerField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("CCHC area")
        verbose_name_plural = _("CCHC areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class SigningMode(models.TextChoices):
    NONE = "", _("Signed in own name")
    TM = "TM.", _("On behalf of the collective (TM.)")
    KT = "KT.", _("Deputy signing for the head (KT.)")
    TL = "TL.", _("By order (TL.)")
    TUQ = "TUQ.", _("By authorisation (TUQ.)")


class DirectiveValidity(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")


class Directive(models.Model):
    """A document that directs CCHC work (văn bản chỉ đạo): a resolution, a plan, a công văn.

    The number is kept as written and in its parsed parts. Numbers restart every year, so the
    unique key is issuer + year + type + serial; `issuer_key` is the issuing unit's code or the
    folded name of an outside body, so both kinds of issuer share one constraint.
    """

    number = models.CharField(_("number and symbol"), max_length=64)
    shape = models.CharField(_("number form"), max_length=16, choices=NumberShape.choices)
    serial = models.PositiveIntegerField(_("serial number"))
    doc_type = models.CharField(_("type"), max_length=8, choices=DirectiveType.choices)
    issuer_code = models.CharField(_("issuer symbol"), max_length=32, blank=True)
    desk = models.CharField(_("drafting desk"), max_length=32, blank=True)
    issuer = models.ForeignKey(
        OrgUnit,
        verbose_name=_("issuing unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_directives",
    )
    issuer_name = models.CharField(
        _("outside issuer"),
        max_length=200,
        blank=True,
        help_text=_("For a body outside the province's units: Chính phủ, Bộ Nội vụ, Tỉnh ủy..."),
    )
    issuer_key = models.CharField(max_length=220, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    issue_date = models.DateField(_("issue date"))
    signer = models.CharField(_("signer"), max_length=150, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=150, blank=True)
    signing_mode = models.CharField(
        _("signing mode"), max_length=8, choices=SigningMode.choices, blank=True
    )
    summary = models.TextField(_("summary (trích yếu)"))
    file = models.FileField(_("file"), upload_to="directives/%Y/", blank=True)
    implements = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="implemented_by",
        blank=True,
        verbose_name=_("implements"),
        help_text=_("The documents this one carries out (its lineage)."),
    )
    areas = models.ManyToManyField(CchcArea, blank=True, verbose_name=_("CCHC areas"))
    validity = models.CharField(
        _("validity"),
        max_length=16,
        choices=DirectiveValidity.choices,
        default=DirectiveValidity.IN_FORCE,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-issue_date", "-serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_key", "year", "doc_type", "serial"],
                name="directive_unique_number_per_issuer_year_type",
                violation_error_message=_(
                    "A document with this number, type and issuer already exists for this year."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(issuer__isnull=False) | ~models.Q(issuer_name=""),
                name="directive_has_issuer",
            ),
        ]
        indexes = [models.Index(fields=["year", "doc_type"])]

    def __str__(self) -> str:
        return f"{self.number} ({self.issue_date:%d/%m/%Y})" if self.issue_date else self.number

    @property
    def issuer_label(self) -> str:
        return self.issuer.name if self.issuer_id else self.issuer_name
