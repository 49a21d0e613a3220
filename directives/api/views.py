from rest_framework import viewsets

from directives import selectors
from directives.api.serializers import DirectiveSerializer
from directives.filters import DirectiveFilter


class DirectiveViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DirectiveSerializer
    filterset_class = DirectiveFilter
    ordering_fields = ["issue_date", "number", "year"]

    def get_queryset(self):
        return selectors.directive_list(self.request.user).prefetch_related("implements")
