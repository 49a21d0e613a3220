from rest_framework import serializers

from core.api import EVIDENCE_FIELDS
from directives.models import CchcArea, Directive
from organizations.models import OrgUnit, UnitKind
from tasks.models import (
    Assignment,
    AssignmentPost,
    AssignmentRole,
    Evidence,
    OutputKind,
    ProgressReport,
    Review,
    ReviewDecision,
    Task,
    TaskRecurrence,
)
from tasks.services.plans import AddressMode
from tasks.status import Status


class TaskSerializer(serializers.ModelSerializer):
    lead_unit_code = serializers.CharField(
        source="lead_unit.code", default=None, allow_null=True, read_only=True
    )
    area_code = serializers.IntegerField(
        source="area.code", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "directive",
            "item_number",
            "title",
            "content",
            "lead_unit",
            "lead_unit_code",
            "deadline",
            "recurrence",
            "period_offset_days",
            "output_kind",
            "expected_output",
            "area_code",
            "is_key",
            "leader_in_charge",
            # active / suspended / cancelled; the version a change must name (a stale one is
            # refused: tasks.services.task_edit)
            "state",
            "version",
        ]
        read_only_fields = ["state", "version"]


class AssignmentSerializer(serializers.ModelSerializer):
    """An assignment with its status as of today (or ?as_of=yyyy-mm-dd)."""

    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    # A task "thường xuyên" (no deadline) has none: null, and the schema says so.
    effective_deadline = serializers.DateField(
        source="eff_deadline", read_only=True, allow_null=True
    )
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    task_title = serializers.CharField(source="task.title", read_only=True)
    directive = serializers.IntegerField(source="task.directive_id", read_only=True)
    directive_number = serializers.CharField(source="task.directive.number", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "task",
            "task_title",
            "directive",
            "directive_number",
            "unit",
            "unit_code",
            "role",
            "deadline",
            "extended_deadline",
            "effective_deadline",
            "state",
            "status",
            "started_on",
            "completed_on",
            "progress_percent",
        ]


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = EVIDENCE_FIELDS


class ProgressReportSerializer(serializers.ModelSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)
    files = serializers.ListField(
        child=serializers.FileField(), write_only=True, required=False, default=list
    )
    submit = serializers.BooleanField(write_only=True, required=False, default=False)
    assignment = serializers.PrimaryKeyRelatedField(queryset=Assignment.objects.none())

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "assignment",
            "period",
            "state",
            "percent",
            "text",
            "reports_done",
            "report_date",
            "submitted_at",
            "evidence",
            "files",
            "submit",
        ]
        read_only_fields = ["state", "report_date", "submitted_at"]


class ReviewSerializer(serializers.ModelSerializer):
    assignment = serializers.PrimaryKeyRelatedField(queryset=Assignment.objects.none())
    decision = serializers.ChoiceField(choices=ReviewDecision.choices)

    class Meta:
        model = Review
        fields = ["id", "assignment", "period", "decision", "reason", "reviewer", "created_at"]
        read_only_fields = ["reviewer", "created_at"]


class TaskWriteSerializer(serializers.Serializer):
    """A task as an integration enters it; tasks.services.task_create checks it again (units
    existing on the plan's date, a recurring task without a single deadline, numbering)."""

    directive = serializers.PrimaryKeyRelatedField(queryset=Directive.objects.all())
    item_number = serializers.CharField(max_length=20)
    title = serializers.CharField(max_length=300)
    content = serializers.CharField(required=False, allow_blank=True, default="")
    lead_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), required=False, allow_null=True, default=None
    )
    cooperating_units = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), many=True, required=False, default=list
    )
    addressees = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(),
        many=True,
        required=False,
        default=list,
        help_text="Further units that each lead their own share (one assignment each).",
    )
    address_mode = serializers.ChoiceField(
        choices=AddressMode.choices,
        required=False,
        default="",
        help_text=(
            "Address a group instead of (or with 'picked', as) the addressees: every unit of "
            "the group as it was on the plan's issue date, as the plan page does."
        ),
    )
    address_kind = serializers.ChoiceField(
        choices=UnitKind.choices,
        required=False,
        default="",
        help_text="The unit kind, with address_mode 'kind'.",
    )
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    recurrence = serializers.ChoiceField(choices=TaskRecurrence.choices, required=False, default="")
    period_offset_days = serializers.IntegerField(
        required=False, default=0, min_value=0, max_value=366
    )
    recurrence_start = serializers.DateField(required=False, allow_null=True, default=None)
    recurrence_end = serializers.DateField(required=False, allow_null=True, default=None)
    output_kind = serializers.ChoiceField(
        choices=OutputKind.choices, required=False, default=OutputKind.REPORT
    )
    expected_output = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    area = serializers.SlugRelatedField(
        slug_field="code",
        queryset=CchcArea.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    is_key = serializers.BooleanField(required=False, default=False)
    leader_in_charge = serializers.CharField(
        max_length=150, required=False, allow_blank=True, default=""
    )


class TaskEditSerializer(serializers.Serializer):
    """A change of a task after entry (tasks.services.task_edit): the fields to change, the
    reason (required, kept in the history and told to everyone on the task) and the task's
    `version` as last read (a change based on an older read is refused)."""

    reason = serializers.CharField(help_text="Why the task changes (required).")
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The task's version as read from /api/v1/tasks/; refused if it moved on.",
    )
    title = serializers.CharField(max_length=300, required=False)
    content = serializers.CharField(required=False, allow_blank=True)
    expected_output = serializers.CharField(max_length=300, required=False, allow_blank=True)
    deadline = serializers.DateField(required=False, allow_null=True)
    lead_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), required=False, allow_null=True
    )
    cooperating_units = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), many=True, required=False
    )


class TaskTransitionSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why (required; kept in the history).")
    version = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class AssignmentCreateSerializer(serializers.Serializer):
    task = serializers.PrimaryKeyRelatedField(queryset=Task.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    role = serializers.ChoiceField(choices=AssignmentRole.choices, default=AssignmentRole.LEAD)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Why (kept in the history)."
    )


class AssignmentPostSerializer(serializers.ModelSerializer):
    """A message of an assignment's conversation, with its attached files."""

    author_name = serializers.CharField(source="author.__str__", read_only=True)
    author_unit_code = serializers.CharField(
        source="author_unit.code", default=None, allow_null=True, read_only=True
    )
    attachments = EvidenceSerializer(many=True, read_only=True)
    files = serializers.ListField(
        child=serializers.FileField(), write_only=True, required=False, default=list
    )

    class Meta:
        model = AssignmentPost
        fields = [
            "id",
            "assignment",
            "author",
            "author_name",
            "author_unit_code",
            "body",
            "created_at",
            "attachments",
            "files",
        ]
        read_only_fields = ["assignment", "author", "created_at"]
