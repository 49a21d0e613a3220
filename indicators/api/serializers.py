from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from core.api import EVIDENCE_FIELDS
from indicators.models import (
    Assessment,
    Band,
    ComputedBand,
    Criterion,
    Evidence,
    Framework,
    KpiLevelTarget,
    KpiMeasurement,
    KpiTarget,
    ProvincialIndex,
    ScoreLine,
)


class BandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Band
        fields = ["label", "min_percent"]


class FrameworkSerializer(serializers.ModelSerializer):
    bands = BandSerializer(many=True, read_only=True)

    class Meta:
        model = Framework
        fields = [
            "id",
            "name",
            "year",
            "population",
            "legal_basis",
            "self_scoring_deadline",
            "locked",
            "copied_from",
            "bands",
        ]


class ComputedBandSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComputedBand
        fields = ["min_percent", "points"]


class CriterionSerializer(serializers.ModelSerializer):
    computed_bands = ComputedBandSerializer(many=True, read_only=True)

    class Meta:
        model = Criterion
        fields = [
            "id",
            "framework",
            "parent",
            "code",
            "name",
            "max_points",
            "method",
            "evidence_required",
            "source_key",
            "note",
            "computed_bands",
        ]


class AssessmentSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    self_total = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    total = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    percent = serializers.FloatField(read_only=True)
    band = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "framework",
            "unit",
            "unit_code",
            "unit_name",
            "stage",
            "submitted_at",
            "finalized_at",
            "self_total",
            "total",
            "percent",
            "band",
        ]


@extend_schema_serializer(component_name="IndicatorEvidence")  # tasks has an Evidence too
class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = [*EVIDENCE_FIELDS, "name", "uploaded_at"]

    # The names this list had before the two evidence models became one; kept for clients.
    name = serializers.CharField(source="original_name", read_only=True)
    uploaded_at = serializers.DateTimeField(source="created_at", read_only=True)


class ScoreLineSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="criterion.code", read_only=True)
    method = serializers.CharField(source="criterion.method", read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ScoreLine
        fields = [
            "id",
            "assessment",
            "criterion",
            "code",
            "method",
            "max_points",
            "self_score",
            "appraisal_1",
            "explanation",
            "appraisal_2",
            "survey_score",
            "computed_score",
            "computed_figures",
            "unit_note",
            "appraiser_note",
            "evidence",
        ]


class ScoreInputSerializer(serializers.Serializer):
    """A cell of the sheet written through the API, as the sheet page writes it: the unit's own
    score (draft) or explanation, Home Affairs' appraisal or survey score."""

    field = serializers.ChoiceField(choices=["self", "appraisal", "survey", "explanation"])
    score = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, required=False
    )
    note = serializers.CharField(required=False, allow_blank=True)
    explanation = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        # A score is named even to clear it (null), so a forgotten one clears nothing.
        if attrs["field"] != "explanation" and "score" not in attrs:
            required = self.fields["score"].error_messages["required"]
            raise serializers.ValidationError({"score": required})
        return attrs


class KpiLevelTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = KpiLevelTarget
        fields = ["level", "target"]


class KpiTargetSerializer(serializers.ModelSerializer):
    levels = KpiLevelTargetSerializer(many=True, read_only=True)

    class Meta:
        model = KpiTarget
        fields = [
            "id",
            "name",
            "measure",
            "direction",
            "year",
            "source_directive",
            "source_key",
            "levels",
        ]


class KpiMeasurementSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    target = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    achieved = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = KpiMeasurement
        fields = [
            "id",
            "kpi",
            "unit",
            "unit_code",
            "period",
            "value",
            "source",
            "note",
            "target",
            "achieved",
        ]


class ProvincialIndexSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProvincialIndex
        fields = [
            "id",
            "kind",
            "year",
            "subject",
            "value",
            "scale",
            "rank",
            "rank_out_of",
            "illustrative",
            "note",
        ]
