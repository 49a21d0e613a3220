from rest_framework import serializers

from core.api import EVIDENCE_FIELDS
from tasks.models import Assignment, Evidence, ProgressReport, Review, ReviewDecision, Task
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
