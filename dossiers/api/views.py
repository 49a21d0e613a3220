from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from core.filters import list_as_of
from core.tabular import ImportFailed
from dossiers import policy, selectors, services
from dossiers.api.serializers import (
    AggregateRowSerializer,
    AggregateRowWriteSerializer,
    DossierMetricsQuerySerializer,
    DossierSerializer,
    ProcedureSerializer,
    PushResultSerializer,
    PushRowSerializer,
    PushSerializer,
    push_row_values,
)
from dossiers.filters import DossierFilter, ProcedureFilter
from dossiers.metrics import calendar_period, cutoff_period, dossier_figures


class DossierCursorPagination(CursorPagination):
    """Keyset paging: no COUNT(*) over the dossier table."""

    ordering = ("-received_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProcedureSerializer
    filterset_class = ProcedureFilter
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return selectors.procedure_list()


class DossierViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DossierSerializer
    filterset_class = DossierFilter
    pagination_class = DossierCursorPagination
    filter_backends = [DjangoFilterBackend]  # ordering is fixed by the keyset

    def get_queryset(self):
        return selectors.dossier_list(
            self.request.user, as_of=list_as_of(self.request.query_params)
        )


class AggregateRowViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Report lines: every user reads those of the units in scope; Home Affairs posts them
    (a line for the same unit, period and field replaces the earlier one)."""

    serializer_class = AggregateRowSerializer
    permission_classes = [policy.api_permission(policy.AGGREGATE_ENTER)]
    filterset_fields = ["unit", "level", "period_start", "period_end"]
    ordering_fields = ["id", "period_start", "period_end"]

    def get_queryset(self):
        return selectors.aggregate_rows_visible_to(self.request.user).order_by(
            "-period_start", "id"
        )

    def get_serializer_class(self):
        return AggregateRowWriteSerializer if self.action == "create" else AggregateRowSerializer

    @extend_schema(request=AggregateRowWriteSerializer, responses={201: AggregateRowSerializer})
    def create(self, request, *args, **kwargs):
        payload = AggregateRowWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            row = services.aggregate_row_save(**payload.validated_data, actor=request.user)
        except DjangoValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            raise ValidationError(detail) from exc
        return Response(AggregateRowSerializer(row).data, status=201)


def _push_refused(bad: list[dict], total: int) -> ValidationError:
    """An atomic push with bad rows: a 400 in the API's error shape, fields.dossiers mapping
    each bad row's index to {column: [messages]}; nothing was written."""
    rows = {}
    for result in bad:
        by_column: dict[str, list[str]] = {}
        for error in result["errors"]:
            by_column.setdefault(error["column"] or "non_field_errors", []).append(error["message"])
        rows[str(result["index"])] = by_column
    refused = ValidationError({"dossiers": rows})
    refused.summary = _("%(bad)s of %(total)s dossiers have errors; nothing was written.") % {
        "bad": number_format(len(bad), force_grouping=True),
        "total": number_format(total, force_grouping=True),
    }
    return refused


@extend_schema(
    request=PushSerializer,
    parameters=[
        OpenApiParameter(
            "atomic",
            bool,
            description="All or nothing (the same as the body's atomic field).",
            required=False,
        )
    ],
    responses={
        200: PushResultSerializer,
        400: OpenApiResponse(
            description=(
                "The body is not valid, or (atomic) at least one row is bad: nothing was "
                'written; {"error": {"code": "invalid", "message": "...", "fields": '
                '{"dossiers": {"<index>": {"<column>": ["<message>"]}}}}}'
            )
        ),
    },
)
@api_view(["POST"])
@permission_classes([permissions.IsAuthenticated, policy.PushPermission])
def dossier_push(request):
    """The one-stop system pushes up to DOSSIER_PUSH_MAX dossiers; upsert by (source, code).

    Good rows are written, bad ones reported; every row gets a result in the order sent. The
    same batch sent twice leaves one copy of each dossier. With atomic=true (in the body or
    the query) one bad row refuses the whole push with a 400 naming every bad row, and
    nothing is written.
    """
    payload = PushSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    source = payload.validated_data["source"]
    atomic = payload.validated_data["atomic"] or request.query_params.get("atomic", "").lower() in (
        "true",
        "1",
    )
    lookups = services.Lookups.load()
    # One serializer checks every row's shape: building one per row (DRF copies its fields
    # each time) cost more than the rest of the push.
    shape = PushRowSerializer()
    results: list[dict] = []
    good = []
    for index, raw in enumerate(payload.validated_data["dossiers"]):
        try:
            values = push_row_values(shape, raw)
        except ValidationError as exc:
            errors = [
                {"column": column, "message": str(messages[0])}
                for column, messages in exc.detail.items()
            ]
            results.append(
                {"index": index, "code": raw.get("code"), "status": "error", "errors": errors}
            )
            continue
        row, row_errors = services.dossier_parse_row(values, row=index, lookups=lookups)
        if row_errors:
            errors = [{"column": e.column, "message": str(e.message)} for e in row_errors]
            results.append(
                {"index": index, "code": raw.get("code"), "status": "error", "errors": errors}
            )
            continue
        good.append(row)
        results.append({"index": index, "code": row.code, "status": None, "errors": []})
    bad = [result for result in results if result["status"] == "error"]
    if atomic and bad:
        raise _push_refused(bad, len(results))
    try:
        outcome = services.dossiers_upsert(dossiers=good, source=source) if good else {}
    except ImportFailed as exc:  # a unit or procedure deleted since the rows were checked
        raise ValidationError({"dossiers": [error.message for error in exc.errors]}) from exc
    for result in results:
        if result["status"] is None:
            result["status"] = outcome[result["code"]]
    return Response(
        {
            "accepted": len(results) - len(bad),
            "rejected": len(bad),
            "results": results,
        }
    )


@extend_schema(parameters=[DossierMetricsQuerySerializer], responses={200: dict})
@api_view(["GET"])
def dossier_metrics(request):
    """Service-quality figures for the user's units, by period and optional grouping."""
    query = DossierMetricsQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    params = query.validated_data
    year, month = params["year"], params.get("month")
    quarter, field_id, group_by = params.get("quarter"), params.get("field"), params.get("group_by")
    if params["convention"] == "cutoff":
        period = cutoff_period(year, month=month)
    else:
        period = calendar_period(year, month=month, quarter=quarter)
    unit_ids = selectors.visible_unit_ids(request.user)
    figures = dossier_figures(
        period,
        unit_ids=unit_ids,
        level=params.get("level") or None,
        field_id=field_id,
        group_by=group_by,
    )
    return Response(
        {
            "period": {"start": period.start, "end": period.end, "label": period.label},
            "groups": [
                {"key": key, **value.as_dict()}
                for key, value in sorted(figures.items(), key=lambda item: str(item[0]))
            ],
        }
    )
