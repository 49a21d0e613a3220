import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import serializers

from dossiers.models import AggregateRow, Dossier, Procedure, ProcedureField
from dossiers.services.aggregates import AGGREGATE_COUNT_FIELDS
from organizations.models import OrgUnit


class ProcedureSerializer(serializers.ModelSerializer):
    field = serializers.CharField(source="field.name")
    time_limit = serializers.IntegerField(
        source="current_version.time_limit", default=None, allow_null=True
    )
    time_limit_kind = serializers.CharField(
        source="current_version.time_limit_kind", default=None, allow_null=True
    )
    cutoff_hour = serializers.IntegerField(
        source="current_version.cutoff_hour", default=None, allow_null=True
    )
    online_level = serializers.CharField(
        source="current_version.online_level", default=None, allow_null=True
    )
    legacy_level = serializers.IntegerField(
        source="current_version.legacy_level", default=None, allow_null=True
    )
    has_fee = serializers.BooleanField(
        source="current_version.has_fee", default=None, allow_null=True
    )
    version = serializers.IntegerField(
        source="current_version.number", default=None, allow_null=True
    )

    class Meta:
        model = Procedure
        fields = [
            "id",
            "code",
            "name",
            "field",
            "level",
            "is_active",
            "version",
            "time_limit",
            "time_limit_kind",
            "cutoff_hour",
            "online_level",
            "legacy_level",
            "has_fee",
        ]


class DossierSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    procedure = serializers.CharField(source="procedure.code")
    timeliness = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Dossier
        fields = [
            "id",
            "source",
            "code",
            "procedure",
            "unit",
            "level",
            "channel",
            "state",
            "received_at",
            "due_at",
            "finished_at",
            "returned_at",
            "fee_required",
            "paid_online",
            "apology_registered_at",
            "apology_new_due_at",
            "timeliness",
        ]


class PushRowSerializer(serializers.Serializer):
    """One dossier as the one-stop system sends it; values are checked by the service."""

    code = serializers.CharField()
    procedure = serializers.CharField()
    unit = serializers.CharField()
    channel = serializers.CharField()
    received_at = serializers.CharField()
    due_at = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    finished_at = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    returned_at = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    state = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    fee_required = serializers.BooleanField(required=False, allow_null=True, default=None)
    paid_online = serializers.BooleanField(required=False, allow_null=True, default=None)


# The push's text columns: (name, required); its yes/no columns default to None.
_PUSH_TEXT = (
    ("code", True),
    ("procedure", True),
    ("unit", True),
    ("channel", True),
    ("received_at", True),
    ("due_at", False),
    ("finished_at", False),
    ("returned_at", False),
    ("state", False),
)
_PUSH_FLAGS = ("fee_required", "paid_online")
# What CharField's own validators refuse (a NUL, a lone surrogate): left to run_validation.
_REFUSED_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


def push_row_values(shape: PushRowSerializer, raw: dict):
    """What shape.run_validation(raw) returns, for the rows whose every value is plainly well
    formed (text where text is due, a bool or nothing for the yes/no columns): a dictionary
    built directly, without DRF's per-field machinery (~4 ms of a 1,000-row push's 10).
    Any other row goes through run_validation, which gives its values or its errors."""
    values = {}
    for name, required in _PUSH_TEXT:
        value = raw.get(name)
        if type(value) is str:
            value = value.strip()  # CharField's trim_whitespace
            if (not value and required) or _REFUSED_CHARACTERS.search(value):
                return shape.run_validation(raw)  # DRF's message for it
            values[name] = value
        elif value is None and not required:
            if name in raw:
                values[name] = None  # allow_null keeps an explicit null
        else:
            return shape.run_validation(raw)
    for name in _PUSH_FLAGS:
        value = raw.get(name)
        if value is not None and type(value) is not bool:
            return shape.run_validation(raw)  # "true", 1, ...: DRF's reading of them
        values[name] = value
    return values


class PushSerializer(serializers.Serializer):
    source = serializers.SlugField(max_length=32, default="motcua")
    atomic = serializers.BooleanField(
        default=False,
        help_text=(
            "All or nothing: with true, one bad row refuses the whole push with a 400 in the "
            "API's error shape (fields.dossiers maps each bad row's index to its errors) and "
            "nothing is written. Without it the good rows are written and each bad one is "
            "reported in its result. Also accepted as the query parameter ?atomic=true."
        ),
    )
    dossiers = serializers.ListField(
        child=serializers.DictField(), allow_empty=False, max_length=settings.DOSSIER_PUSH_MAX
    )


class PushRowErrorSerializer(serializers.Serializer):
    column = serializers.CharField(help_text="The field of the row, or empty for the row.")
    message = serializers.CharField()


class PushRowResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The row's position in `dossiers`, from 0.")
    code = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=["created", "updated", "error"])
    errors = PushRowErrorSerializer(many=True)


class PushResultSerializer(serializers.Serializer):
    """What a push answers (200): one result per row sent, in order."""

    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    results = PushRowResultSerializer(many=True)


class AggregateRowSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    field = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = AggregateRow
        fields = [
            "id",
            "unit",
            "period_start",
            "period_end",
            "field",
            "level",
            *AGGREGATE_COUNT_FIELDS,  # the counts of the report layout, as the import reads them
            "imbalance",
        ]


class AggregateRowWriteSerializer(serializers.Serializer):
    """A report line sent by a client; saved through services.aggregate_row_save."""

    unit = serializers.SlugRelatedField(slug_field="code", queryset=OrgUnit.objects.all())
    field = serializers.SlugRelatedField(
        slug_field="code", queryset=ProcedureField.objects.all(), required=False, allow_null=True
    )
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    received_online = serializers.IntegerField(min_value=0, default=0)
    received_offline = serializers.IntegerField(min_value=0, default=0)
    carried_over = serializers.IntegerField(min_value=0, default=0)
    received_total = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    finished_early = serializers.IntegerField(min_value=0, default=0)
    finished_on_time = serializers.IntegerField(min_value=0, default=0)
    finished_late = serializers.IntegerField(min_value=0, default=0)
    finished_total = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    pending_within = serializers.IntegerField(min_value=0, default=0)
    pending_overdue = serializers.IntegerField(min_value=0, default=0)
    pending_total = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    fee_required = serializers.IntegerField(min_value=0, default=0)
    paid_online = serializers.IntegerField(min_value=0, default=0)

    def validate(self, attrs):
        if attrs["period_end"] < attrs["period_start"]:
            raise serializers.ValidationError(
                {"period_end": _("The period ends before it starts.")}
            )
        return attrs


# The years the portal holds figures for; a year outside them is a typo, not a query.
FIRST_YEAR, LAST_YEAR = 2000, 2100
PG_INT_MAX = 2**31 - 1


def _query_messages(name: str) -> dict:
    return {
        "invalid": _("Give %(name)s as a whole number.") % {"name": name},
        "min_value": _("%(name)s is out of range.") % {"name": name},
        "max_value": _("%(name)s is out of range.") % {"name": name},
        "max_string_length": _("%(name)s is out of range.") % {"name": name},
        "required": _("%(name)s is required.") % {"name": name},
        "invalid_choice": _("%(name)s has a value that is not allowed.") % {"name": name},
        "max_length": _("%(name)s is out of range.") % {"name": name},
    }


class DossierMetricsQuerySerializer(serializers.Serializer):
    """The query of /api/v1/dossier-metrics/: each number checked for range before any date or
    database lookup is built from it."""

    year = serializers.IntegerField(
        min_value=FIRST_YEAR, max_value=LAST_YEAR, error_messages=_query_messages("year")
    )
    month = serializers.IntegerField(
        min_value=1, max_value=12, required=False, error_messages=_query_messages("month")
    )
    quarter = serializers.IntegerField(
        min_value=1, max_value=4, required=False, error_messages=_query_messages("quarter")
    )
    convention = serializers.ChoiceField(
        choices=["calendar", "cutoff"],
        required=False,
        default="calendar",
        error_messages=_query_messages("convention"),
    )
    group_by = serializers.ChoiceField(
        choices=["unit", "level", "field"],
        required=False,
        error_messages=_query_messages("group_by"),
    )
    level = serializers.CharField(
        required=False, max_length=16, error_messages=_query_messages("level")
    )
    field = serializers.IntegerField(
        min_value=1, max_value=PG_INT_MAX, required=False, error_messages=_query_messages("field")
    )
