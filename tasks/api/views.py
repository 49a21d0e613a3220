"""/api/v1/ for tasks: the same FilterSets and scoping selectors as the pages; writes go
through the services, so the API enforces the same workflow rules."""

import datetime

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from core.api import PageSizePagination
from integrations.idempotency import idempotent
from integrations.schema import IDEMPOTENCY_KEY
from tasks import policy, selectors, services
from tasks.api.serializers import (
    AssignmentCreateSerializer,
    AssignmentPostSerializer,
    AssignmentSerializer,
    ProgressReportSerializer,
    ReasonSerializer,
    ReviewSerializer,
    TaskEditSerializer,
    TaskSerializer,
    TaskTransitionSerializer,
    TaskWriteSerializer,
)
from tasks.filters import AssignmentFilter, TaskFilter
from tasks.models import Review


def _as_of(request) -> datetime.date:
    raw = request.query_params.get("as_of")
    if not raw:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError({"as_of": "yyyy-mm-dd"}) from exc


def _service_call(func, **kwargs):
    try:
        return func(**kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except DjangoValidationError as exc:
        raise ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        ) from exc


def _valid(serializer_class, data, partial: bool = False) -> dict:
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


TASK_EXAMPLE = OpenApiExample(
    "A task with a lead and a cooperating unit",
    value={
        "directive": 12,
        "item_number": "3",
        "title": "Rà soát, đơn giản hóa thủ tục hành chính",
        "content": "Rà soát các thủ tục thuộc thẩm quyền, đề xuất đơn giản hóa.",
        "lead_unit": 7,
        "cooperating_units": [9],
        "deadline": "2026-09-15",
        "output_kind": "report",
        "expected_output": "Báo cáo kết quả rà soát",
        "area": 3,
        "is_key": True,
    },
    request_only=True,
)
REASON_EXAMPLE = OpenApiExample(
    "With the reason", value={"reason": "Văn bản đã được thay thế"}, request_only=True
)


def _task_action(summary: str):
    return extend_schema(
        request=TaskTransitionSerializer,
        responses={200: TaskSerializer},
        parameters=[IDEMPOTENCY_KEY],
        examples=[
            OpenApiExample(
                "With the reason and the version read",
                value={"reason": "Văn bản đã được thay thế", "version": 3},
                request_only=True,
            )
        ],
        description=summary,
    )


@extend_schema_view(
    create=extend_schema(
        request=TaskWriteSerializer,
        responses={201: TaskSerializer},
        parameters=[IDEMPOTENCY_KEY],
        examples=[TASK_EXAMPLE],
        description=(
            "Add a task to a directive: one assignment for the lead unit, each addressee and "
            "each cooperating unit, as the plan page does (Home Affairs)."
        ),
    ),
    partial_update=extend_schema(
        request=TaskEditSerializer,
        responses={200: TaskSerializer},
        parameters=[IDEMPOTENCY_KEY],
        examples=[
            OpenApiExample(
                "Move the deadline",
                value={"deadline": "2026-10-15", "reason": "Chờ số liệu quý III", "version": 2},
                request_only=True,
            )
        ],
        description=(
            "Change a task after entry (title, content, expected output, deadline, lead or "
            "cooperating units) with a reason, as the task page does: every share follows a "
            "new deadline, a unit taken off is cancelled, everyone on the task is told."
        ),
    ),
    cancel=_task_action("Cancel the task: its open shares are cancelled, reports kept."),
    suspend=_task_action("Suspend the task: its open shares leave the rates until resumed."),
    resume=_task_action("Resume a suspended task."),
)
class TaskViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    ordering_fields = ["id", "deadline", "item_number"]
    permission_classes = [
        policy.api_permission(
            policy.TASK_ENTER,
            policy.TASK_EDIT,
            policy.TASK_CANCEL,
            policy.TASK_SUSPEND,
            policy.TASK_RESUME,
        )
    ]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            selectors.tasks_visible_to(self.request.user)
            .select_related("lead_unit", "area")
            .order_by("id")
        )

    def _written(self, task, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data, status=code)

    @idempotent
    def create(self, request, *args, **kwargs):
        data = _valid(TaskWriteSerializer, request.data)
        task = _service_call(services.task_create, **data, actor=request.user)
        return self._written(task, status.HTTP_201_CREATED)

    @idempotent
    def partial_update(self, request, *args, **kwargs):
        task = self.get_object()
        data = _valid(TaskEditSerializer, request.data, partial=True)
        reason = data.pop("reason", "")
        version = data.pop("version", None)
        _service_call(
            services.task_edit,
            task=task,
            actor=request.user,
            data=data,
            reason=reason,
            expected_version=version,
        )
        return self._written(task)

    def _transition(self, request, service):
        task = self.get_object()
        data = _valid(TaskTransitionSerializer, request.data)
        _service_call(
            service,
            task=task,
            actor=request.user,
            reason=data["reason"],
            expected_version=data.get("version"),
        )
        return self._written(task)

    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, pk=None):
        return self._transition(request, services.task_cancel)

    @action(detail=True, methods=["post"])
    @idempotent
    def suspend(self, request, pk=None):
        return self._transition(request, services.task_suspend)

    @action(detail=True, methods=["post"])
    @idempotent
    def resume(self, request, pk=None):
        return self._transition(request, services.task_resume)


def _assignment_action(summary: str):
    return extend_schema(
        request=ReasonSerializer,
        responses={200: AssignmentSerializer},
        parameters=[IDEMPOTENCY_KEY],
        examples=[REASON_EXAMPLE],
        description=summary,
    )


@extend_schema_view(
    create=extend_schema(
        request=AssignmentCreateSerializer,
        responses={201: AssignmentSerializer},
        parameters=[IDEMPOTENCY_KEY],
        examples=[
            OpenApiExample(
                "Add a cooperating unit",
                value={"task": 40, "unit": 9, "role": "cooperating"},
                request_only=True,
            )
        ],
        description="Give a task to one more unit (Home Affairs).",
    ),
    cancel=_assignment_action("Cancel an assignment, with the reason (Home Affairs)."),
    suspend=_assignment_action("Suspend an assignment (Home Affairs)."),
    resume=_assignment_action("Resume a suspended assignment (Home Affairs)."),
)
class AssignmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["id", "deadline", "completed_on"]
    permission_classes = [
        policy.api_permission(
            policy.TASK_EDIT,
            policy.ASSIGNMENT_CANCEL,
            policy.ASSIGNMENT_SUSPEND,
            policy.ASSIGNMENT_RESUME,
        )
    ]

    def get_queryset(self):
        return selectors.assignment_list(self.request.user, _as_of(self.request))

    def _written(self, assignment, code: int = status.HTTP_200_OK) -> Response:
        row = self.get_queryset().get(pk=assignment.pk)
        return Response(AssignmentSerializer(row).data, status=code)

    @idempotent
    def create(self, request, *args, **kwargs):
        assignment = _service_call(
            services.assignment_create,
            **_valid(AssignmentCreateSerializer, request.data),
            actor=request.user,
        )
        return self._written(assignment, status.HTTP_201_CREATED)

    def _transition(self, request, service) -> Response:
        """cancel, suspend, resume: the assignment, the reason, the one service of the action."""
        assignment = self.get_object()
        reason = _valid(ReasonSerializer, request.data)["reason"]
        _service_call(service, assignment=assignment, actor=request.user, reason=reason)
        return self._written(assignment)

    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, pk=None):
        return self._transition(request, services.assignment_cancel)

    @action(detail=True, methods=["post"])
    @idempotent
    def suspend(self, request, pk=None):
        return self._transition(request, services.assignment_suspend)

    @action(detail=True, methods=["post"])
    @idempotent
    def resume(self, request, pk=None):
        return self._transition(request, services.assignment_resume)


class ProgressReportViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Reports the user may see (drafts only their own unit's). POST drafts a report with its
    evidence files (multipart `files`); `submit=true` also submits it (unit head only)."""

    permission_classes = [policy.api_permission(policy.REPORT_DRAFT)]
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

    @extend_schema(parameters=[IDEMPOTENCY_KEY])
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        files = data.get("files") or request.FILES.getlist("files")
        report = _service_call(
            services.report_file,
            assignment=data["assignment"],
            author=request.user,
            percent=data["percent"],
            text=data["text"],
            reports_done=data.get("reports_done", False),
            period=data.get("period"),
            files=files,
            submit=data.get("submit", False),
        )
        report.refresh_from_db()
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: ProgressReportSerializer},
        parameters=[IDEMPOTENCY_KEY],
        description="The unit head submits a draft report of their unit.",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def submit(self, request, pk=None):
        report = self.get_object()
        _service_call(services.report_submit, report=report, actor=request.user)
        report.refresh_from_db()
        return Response(self.get_serializer(report).data)


class ReviewViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Home Affairs' decisions. POST {assignment, decision: confirmed|returned, reason}."""

    permission_classes = [policy.api_permission(policy.REVIEW)]
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

    @extend_schema(parameters=[IDEMPOTENCY_KEY])
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        review = _service_call(
            services.review_decide,
            assignment=data["assignment"],
            actor=request.user,
            decision=data["decision"],
            reason=data.get("reason", ""),
            period=data.get("period"),
        )
        return Response(self.get_serializer(review).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        description="The conversation of a lead unit's assignment, oldest first, in pages."
    ),
    create=extend_schema(
        request=AssignmentPostSerializer,
        responses={201: AssignmentPostSerializer},
        parameters=[IDEMPOTENCY_KEY],
        examples=[
            OpenApiExample(
                "A message",
                value={"body": "Đề nghị Sở Tư pháp gửi số liệu trước ngày 10/9."},
                request_only=True,
            )
        ],
        description=(
            "Write in the conversation (Home Affairs, the lead unit's and the cooperating "
            "units' people); files as multipart `files`. The others on the thread are told."
        ),
    ),
)
class AssignmentPostViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """/api/v1/assignments/{pk}/posts/: the thread of a lead assignment the user may
    read (tasks.selectors.threads_visible_to); any other assignment is a 404."""

    serializer_class = AssignmentPostSerializer
    permission_classes = [policy.api_permission(policy.THREAD_POST)]
    filter_backends = []
    # A long-running task's thread grows for years: pages like every other list, oldest first
    pagination_class = PageSizePagination

    def _thread(self):
        return get_object_or_404(
            selectors.threads_visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def get_queryset(self):
        return (
            selectors.posts_visible_to(self.request.user)
            .filter(assignment=self._thread())
            .select_related("author", "author_unit")
            .prefetch_related("attachments")
            .order_by("created_at", "id")
        )

    @idempotent
    def create(self, request, *args, **kwargs):
        thread = self._thread()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        files = serializer.validated_data.get("files") or request.FILES.getlist("files")
        post = _service_call(
            services.assignment_post_create,
            assignment=thread,
            actor=request.user,
            body=serializer.validated_data["body"],
            files=files,
        )
        post = self.get_queryset().get(pk=post.pk)
        return Response(self.get_serializer(post).data, status=status.HTTP_201_CREATED)
