"""The API's lists and records: published data only, each list filtered by its FilterSet and paged by cursor.

The inspections, findings and key figures start from the same querysets as their CSV exports, so that a
query gives the same rows in the same order in both.
"""

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound

from councils.models import Council
from inspections import grades
from inspections.exports import DATASETS
from inspections.filtersets import (
    CouncilFilterSet,
    FindingFilterSet,
    InspectionFilterSet,
    JudgementFilterSet,
    KeyFigureFilterSet,
)
from inspections.models import Judgement, Source

from . import serializers
from .errors import ErrorAnsweringSchema
from .pagination import KeysetPagination

class ReadOnlyList(mixins.ListModelMixin, viewsets.GenericViewSet):
    pagination_class = KeysetPagination
    schema = ErrorAnsweringSchema()
    not_found = "There is no such record."

    def get_object(self):
        try:
            return super().get_object()
        except (Http404, NotFound):
            raise NotFound(self.not_found) from None

    def filter_queryset(self, queryset):
        # A record is no list: it takes no filters (as the schema says), and one council by its identifier is
        # answered whether it still exists or not, as its page is (the default of current councils is a list's).
        return queryset if self.action == "retrieve" else super().filter_queryset(queryset)


@extend_schema_view(
    list=extend_schema(summary="Councils", description="Councils with their latest grade in each judgement line; by name unless sorted."),
    retrieve=extend_schema(summary="A council", description="One council, by the identifier in its page's address."),
)
class CouncilViewSet(mixins.RetrieveModelMixin, ReadOnlyList):
    serializer_class = serializers.CouncilSerializer
    filterset_class = CouncilFilterSet
    lookup_field = "slug"
    not_found = "There is no council with that identifier."

    def get_queryset(self):
        # What the filters and sorts read; each answered council's grades come from grades.latest_grades_of().
        return grades.with_current_scores(grades.with_latest_inspection(Council.objects.select_related("region")))

    def get_serializer(self, *args, **kwargs):
        if args:
            councils = list(args[0]) if kwargs.get("many") else [args[0]]
            context = kwargs.setdefault("context", self.get_serializer_context())
            context["latest_grades"] = grades.latest_grades_of(councils)
        return super().get_serializer(*args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="Inspections and visits", description="Published inspections and visits with their grades, oldest first unless sorted."),
    retrieve=extend_schema(summary="An inspection or visit"),
)
class InspectionViewSet(mixins.RetrieveModelMixin, ReadOnlyList):
    serializer_class = serializers.InspectionSerializer
    filterset_class = InspectionFilterSet
    lookup_value_regex = "[0-9]+"
    not_found = "There is no published inspection with that id."

    def get_queryset(self):
        return DATASETS["inspections"].base_queryset().prefetch_related("judgements", "sources")


@extend_schema_view(list=extend_schema(summary="Judgements", description="Every grade given, with the council's previous grade in the same line and the change."))
class JudgementViewSet(ReadOnlyList):
    serializer_class = serializers.JudgementSerializer
    filterset_class = JudgementFilterSet

    def get_queryset(self):
        return (
            grades.with_previous(Judgement.objects.published())
            .select_related("inspection__council", "source")
            .order_by("inspection_start_date", "inspection_id", "pk")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Findings",
        description="Statements from published reports: Ofsted's findings, or with said_by=press what news articles reported.",
    )
)
class FindingViewSet(ReadOnlyList):
    serializer_class = serializers.FindingSerializer
    filterset_class = FindingFilterSet

    def get_queryset(self):
        return DATASETS["findings"].base_queryset().select_related("inspection__council", "source")


@extend_schema_view(list=extend_schema(summary="Key figures", description="Dated figures about councils: workforce, children in care and more."))
class KeyFigureViewSet(ReadOnlyList):
    serializer_class = serializers.KeyFigureSerializer
    filterset_class = KeyFigureFilterSet

    def get_queryset(self):
        return (
            DATASETS["key_figures"]
            .base_queryset()
            .select_related("council", "source")
            .prefetch_related(Prefetch("also_reported_by", queryset=Source.objects.order_by("title")))
        )
