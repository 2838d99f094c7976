"""Filters for lists of councils: the council list page and the councils CSV export use these."""

import django_filters

from dashboard.filtering import DateRangeFilter, FilterSet, NullsLastOrderingFilter
from inspections.frameworks import Grade
from inspections.schedule import GradeChange

from .models import Council, Region


class CouncilFilterSet(FilterSet):
    """Councils by name, region, type, latest overall grade, its change and when last inspected.

    "Latest" means the most recent published full (graded) inspection; the queryset is annotated with
    Council.objects.with_latest_grades() if it is not already.
    """

    q = django_filters.CharFilter(method="filter_name", label="Council name", max_length=100)
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), to_field_name="code", empty_label="All regions", label="Region"
    )
    la_type = django_filters.ChoiceFilter(choices=Council.LAType.choices, empty_label="All types", label="Type")
    grade = django_filters.ChoiceFilter(
        field_name="latest_overall_grade",
        choices=Grade.choices,
        empty_label="Any grade",
        label="Latest overall grade",
    )
    change = django_filters.ChoiceFilter(
        field_name="overall_change",
        choices=GradeChange.choices,
        empty_label="Any change",
        label="Change since the previous inspection",
    )
    start_date = DateRangeFilter(field_name="latest_inspection_date", label="Last full inspection")
    status = django_filters.ChoiceFilter(
        method="filter_status",
        choices=[("current", "Current councils"), ("former", "Former councils")],
        empty_label="Current and former",
        label="Status",
    )
    sort = NullsLastOrderingFilter(
        fields=(
            ("name", "name"),
            ("latest_overall_score", "grade"),
            ("latest_inspection_date", "date"),
        ),
        field_labels={
            "name": "Name (A to Z)",
            "-name": "Name (Z to A)",
            "grade": "Latest grade (best first)",
            "-grade": "Latest grade (worst first)",
            "date": "Last full inspection (oldest first)",
            "-date": "Last full inspection (newest first)",
        },
        tiebreak=("name", "pk"),
        label="Sort by",
        empty_label=None,
    )

    class Meta:
        model = Council
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Council.objects.all()
        if "latest_overall_grade" not in queryset.query.annotations:
            queryset = queryset.with_latest_grades()
        super().__init__(data, queryset, **kwargs)

    def filter_name(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(name__icontains=value)

    def filter_status(self, queryset, name, value):
        if value == "current":
            return queryset.filter(is_current=True)
        if value == "former":
            return queryset.filter(is_current=False)
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.is_bound or not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by("name", "pk")
        return queryset
