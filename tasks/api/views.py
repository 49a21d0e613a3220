"""/api/v1/ for tasks: the same FilterSets and scoping selectors as the pages; writes go
through the services, so the API enforces the same workflow rules."""

import datetime

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from core.api import writes_by
from tasks import policy, selectors, services
from tasks.api.serializers import (
    AssignmentSerializer,
    ProgressReportSerializer,
    ReviewSerializer,
    TaskSerializer,
)
from tasks.filters import AssignmentFilter, TaskFilter
from tasks.models import Review, ReviewDecision


def _as_of(request) -> datetime.date:
    raw = request.query_params.get("as_of")
    if not raw:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError({"as_of": "yyyy-mm-dd"}) from exc


def _writes_for(*actions: str):
    """The API's write permission for these actions: the roles tasks.policy gives them. DRF
    checks it before the body is read; the service checks unit and state again."""
    return writes_by(*sorted({role for action in actions for role in policy.ROLES[action]}))


def _service_call(func, **kwargs):
    try:
        return func(**kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except DjangoValidationError as exc:
        raise ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        ) from exc


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    ordering_fields = ["id", "deadline", "item_number"]

    def get_queryset(self):
        return (
            selectors.tasks_visible_to(self.request.user)
            .select_related("lead_unit", "area")
            .order_by("id")
        )


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["id", "deadline", "completed_on"]

    def get_queryset(self):
        return selectors.assignment_list(self.request.user, _as_of(self.request))


class ProgressReportViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Reports the user may see (drafts only their own unit's). POST drafts a report with its
    evidence files (multipart `files`); `submit=true` also submits it (unit head only)."""

    permission_classes = [_writes_for(policy.REPORT_DRAFT)]
    serializer_class = ProgressReportSerializer
    filterset_fields = ["assignment", "state"]
    ordering_fields = ["id", "submitted_at", "created_at"]

    def get_queryset(self):
        return (
            selectors.reports_visible_to(self.request.user)
            .prefetch_related("evidence")
            .order_by("-id")
        )

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if hasattr(serializer, "fields") and "assignment" in serializer.fields:
            serializer.fields["assignment"].queryset = selectors.assignments_visible_to(
                self.request.user
            )
        return serializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        files = data.get("files") or request.FILES.getlist("files")
        report = _service_call(
            services.report_draft,
            assignment=data["assignment"],
            author=request.user,
            percent=data["percent"],
            text=data["text"],
            reports_done=data.get("reports_done", False),
            period=data.get("period"),
            files=files,
        )
        if data.get("submit"):
            _service_call(services.report_submit, report=report, actor=request.user)
        report.refresh_from_db()
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)


class ReviewViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Home Affairs' decisions. POST {assignment, decision: confirmed|returned, reason}."""

    permission_classes = [_writes_for(policy.REVIEW)]
    serializer_class = ReviewSerializer
    filterset_fields = ["assignment", "decision"]
    ordering_fields = ["id", "created_at"]

    def get_queryset(self):
        return Review.objects.filter(
            assignment__in=selectors.assignments_visible_to(self.request.user)
        ).order_by("-id")

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if hasattr(serializer, "fields") and "assignment" in serializer.fields:
            serializer.fields["assignment"].queryset = selectors.assignments_visible_to(
                self.request.user
            )
        return serializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["decision"] == ReviewDecision.CONFIRMED:
            review = _service_call(
                services.assignment_confirm,
                assignment=data["assignment"],
                actor=request.user,
                period=data.get("period"),
            )
        else:
            review = _service_call(
                services.assignment_return,
                assignment=data["assignment"],
                actor=request.user,
                reason=data.get("reason", ""),
                period=data.get("period"),
            )
        return Response(self.get_serializer(review).data, status=status.HTTP_201_CREATED)
