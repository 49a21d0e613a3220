from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from indicators import filters, policy, selectors
from indicators.api import serializers
from indicators.models import ComputedBand, Criterion, Evidence, ScoreLine
from indicators.services import assessments as services


class FrameworkViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.FrameworkSerializer
    filterset_fields = ["year", "population", "locked"]
    ordering_fields = ["year", "name"]

    def get_queryset(self):
        return selectors.frameworks_visible_to(self.request.user).prefetch_related("bands")


class CriterionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.CriterionSerializer
    filterset_class = filters.CriterionFilter
    ordering_fields = ["id", "path", "code"]

    def get_queryset(self):
        return (
            Criterion.objects.filter(
                framework__in=selectors.frameworks_visible_to(self.request.user)
            )
            .prefetch_related(Prefetch("computed_bands", queryset=ComputedBand.objects.all()))
            .order_by("framework", "path")
        )


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Assessments the user may see, with totals, percent and band computed in SQL."""

    serializer_class = serializers.AssessmentSerializer
    filterset_class = filters.AssessmentFilter
    ordering_fields = ["id", "stage", "submitted_at"]

    def get_queryset(self):
        return selectors.assessment_list(self.request.user).order_by("framework", "unit__code")


class ScoreLineViewSet(viewsets.ReadOnlyModelViewSet):
    # the field in the body picks self score, appraisal or survey: any of their roles may post,
    # the service then asks indicators.policy for this person, this line and its stage
    permission_classes = [policy.api_permission(policy.SELF_SCORE, policy.APPRAISE, policy.SURVEY)]
    serializer_class = serializers.ScoreLineSerializer
    filterset_class = filters.ScoreLineFilter
    ordering_fields = ["id"]

    def get_queryset(self):
        return (
            selectors.lines_visible_to(self.request.user)
            .select_related("criterion", "assessment")
            .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.all()))
            .order_by("assessment", "criterion__path")
        )

    @extend_schema(
        request=serializers.ScoreInputSerializer, responses=serializers.ScoreLineSerializer
    )
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """Write a score through the same services as the sheet (same actor and stage rules)."""
        line: ScoreLine = self.get_object()
        data = serializers.ScoreInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        service = {
            "self": services.scoreline_self_score,
            "appraisal": services.scoreline_appraise,
        }.get(values["field"])
        try:
            if service is None:
                services.scoreline_survey(actor=request.user, line=line, score=values["score"])
            else:
                service(
                    actor=request.user, line=line, score=values["score"], note=values.get("note")
                )
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            raise ApiValidationError(exc.messages) from exc
        return Response(serializers.ScoreLineSerializer(self.get_queryset().get(pk=pk)).data)


class KpiTargetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.KpiTargetSerializer
    filterset_class = filters.KpiTargetFilter
    ordering_fields = ["id", "year", "name"]

    def get_queryset(self):
        return selectors.kpi_targets().order_by("-year", "name")


class KpiMeasurementViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.KpiMeasurementSerializer
    filterset_class = filters.MeasurementFilter
    ordering_fields = ["id", "period", "value"]

    def get_queryset(self):
        return selectors.kpi_board(self.request.user)


class ProvincialIndexViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ProvincialIndexSerializer
    filterset_class = filters.IndexFilter
    ordering_fields = ["id", "year", "kind"]

    def get_queryset(self):
        return selectors.provincial_indices()
