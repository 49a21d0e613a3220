from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from tree_queries.models import TreeNode

from core.history import ChangeHistory
from core.models import BackgroundJob
from core.roles import Role


class UnitKind(models.TextChoices):
    PROVINCIAL_COMMITTEE = "provincial_committee", _("Provincial People's Committee")
    DEPARTMENT = "department", _("Department")
    PROVINCIAL_AGENCY = "provincial_agency", _("Provincial agency")
    CENTRAL_AGENCY = "central_agency", _("Central agency in the province")
    PUBLIC_SERVICE_UNIT = "public_service_unit", _("Public service unit")
    DISTRICT = "district", _("District (historic)")
    COMMUNE = "commune", _("Commune, ward or special zone")


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level")
    COMMUNE = "commune", _("Commune level")


class OrgUnit(TreeNode):
    """A unit that receives tasks or scores: a department, a (historic) district, a commune.

    Units are time-versioned: a district abolished on 30/6/2025 keeps its row, with valid_to set and
    successor links to the communes that took over its work, so old directives still point at it.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Last day the unit existed.")
    )
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="predecessors",
        blank=True,
        verbose_name=_("successors"),
        help_text=_("Units that took over this unit's work when it was merged or abolished."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "level"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def is_current(self) -> bool:
        return self.is_valid_on(timezone.localdate())


class User(AbstractUser):
    """A person who logs in: Home Affairs staff, a leader, or the head or staff of one unit."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    # Empty for a person whose first single sign-on made the account: they wait for Home Affairs
    # to give them a role and a unit (accounts: the pending accounts list).
    role = models.CharField(
        _("role"),
        max_length=16,
        choices=Role.choices,
        default=Role.UNIT_STAFF,
        blank=True,
        help_text=_("Empty while the account waits for Home Affairs' approval."),
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    # Sign-ins save last_login alone: ChangeHistory records no row for them (see core.history).
    history = ChangeHistory(excluded_fields=["last_login", "password"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # A unit head or staff member belongs to a unit; province-wide roles may not.
            models.CheckConstraint(
                condition=~Q(role__in=["unit_head", "unit_staff"]) | Q(unit__isnull=False),
                name="user_unit_role_has_unit",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username


class UnitImport(BackgroundJob):
    """One upload of a unit list (XLSX or CSV), imported all-or-nothing by a background job.
    Its lifecycle (status, lease, attempts, error) is core.models.BackgroundJob's."""

    file = models.FileField(_("file"), upload_to="imports/units/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    rows_created = models.PositiveIntegerField(_("units created"), default=0)
    rows_updated = models.PositiveIntegerField(_("units updated"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("unit import")
        verbose_name_plural = _("unit imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name
