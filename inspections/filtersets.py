"""Filters for councils, inspections, judgements, findings and key figures: shared by the pages and the CSV exports.

Every FilterSet uses the same parameter names for the same thing: council (slug), region (the region's
name, as people type it, or its ONS code), la_type, framework, event_type, area, grade, kind, start_date_after / start_date_before (the
inspection's start date, inclusive), q (text search) and sort.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse

from councils.lookup import CouncilIndex
from councils.models import Council, Region
from .filtering import DateRangeFilter, FilterSet, NullsLastOrderingFilter

from . import grades
from .frameworks import Area, EventType, Framework, Grade
from .metrics import metric_choices
from .models import Finding, Inspection, Judgement, KeyFigure, placed_on_expression


NEAREST_COUNCILS = 3


class CouncilField(forms.ModelChoiceField):
    """A council by its identifier (the slug that ends its page's address); an unknown one is answered with
    the nearest identifiers and where every council's is listed, rather than a bare "not one of the options"."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(unknown_council(str(value)), code="invalid_choice") from None


def unknown_council(value):
    # The nearest councils by the one rule for names (councils/lookup.py): "tower-hamlet" and "Tower Hamlet"
    # both find Tower Hamlets.
    found = CouncilIndex().search(value[:100])  # no identifier is longer; a longer value is compared no slower
    nearest = (found.councils or found.suggestions)[:NEAREST_COUNCILS]
    suggestion = (
        " The nearest: " + ", ".join(f"“{council.slug}” ({council.name})" for council in nearest) + "."
        if nearest
        else ""
    )
    return (
        f"“{value}” is not a council's identifier.{suggestion} Every council's identifier (its page's address "
        f"ends with it) is listed at {reverse('api-council-list')}."
    )


class CouncilFilter(django_filters.ModelChoiceFilter):
    field_class = CouncilField


def council_filter(field_name):
    return CouncilFilter(
        field_name=field_name,
        queryset=Council.objects.all(),
        to_field_name="slug",
        empty_label="All councils",
        label="Council",
    )


class RegionField(forms.ModelChoiceField):
    """A region by its name, in any case ("London", "london"), or its ONS code ("E12000007").

    The menu's values are the codes, so links made by the pages keep working.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if "\x00" in text:  # no region is called that, and PostgreSQL refuses the character in a query
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        matches = list(self.queryset.filter(Q(code__iexact=text) | Q(name__iexact=text))[:2])
        if len(matches) != 1:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return matches[0]


class RegionFilter(django_filters.ModelChoiceFilter):
    field_class = RegionField


def region_filter(field_name=None):
    return RegionFilter(
        field_name=field_name,
        queryset=Region.objects.all(),
        to_field_name="code",
        empty_label="All regions",
        label="Region",
    )


def la_type_filter(field_name):
    return django_filters.ChoiceFilter(
        field_name=field_name, choices=Council.LAType.choices, empty_label="All types", label="Type"
    )


def framework_filter(field_name):
    return django_filters.ChoiceFilter(
        field_name=field_name, choices=Framework.choices, empty_label="All frameworks", label="Framework"
    )


def event_type_filter(field_name):
    return django_filters.ChoiceFilter(
        field_name=field_name, choices=EventType.choices, empty_label="All kinds", label="Kind of inspection or visit"
    )


def line_sort_fields():
    """The council list's sorts by each line's current grade: ("<line>_score", "<line>")."""
    return tuple((f"{line.key}_score", line.key) for line in grades.COUNCIL_LINES)


def line_sort_labels():
    labels = {}
    for line in grades.COUNCIL_LINES:
        labels[line.key] = f"{line.label} (best first)"
        labels[f"-{line.key}"] = f"{line.label} (worst first)"
    return labels


class CouncilFilterSet(FilterSet):
    """Councils by name, region, type, current grades and their change, and when last inspected.

    "Current" follows grades.py (rule 5): the grades the council's latest full inspection gave, in each
    area it judged. `grade` and `change` match a council whose latest full inspection gave that grade
    (or that change) in any area; `area` narrows both to one area. Former councils are left out unless
    `status` asks for them. The queryset is annotated with its latest inspection and current scores if it is
    not already (grades.with_latest_inspection(), with_current_scores()).
    """

    q = django_filters.CharFilter(method="filter_name", label="Council name or code", max_length=100)
    region = region_filter()
    la_type = django_filters.ChoiceFilter(choices=Council.LAType.choices, empty_label="All types", label="Type")
    grade = django_filters.ChoiceFilter(
        method="filter_current", choices=Grade.choices, empty_label="Any grade", label="Grade at the latest full inspection"
    )
    change = django_filters.ChoiceFilter(
        method="filter_current",
        choices=grades.GradeChange.choices,
        empty_label="Any change",
        label="Change since the previous grade",
    )
    area = django_filters.ChoiceFilter(
        method="filter_area",
        choices=[(line.key, line.label) for line in grades.COUNCIL_LINES],
        empty_label="Any area",
        label="Area judged",
    )
    start_date = DateRangeFilter(field_name="latest_inspection_date", label="Last full inspection")
    status = django_filters.ChoiceFilter(
        method="filter_status",
        choices=[("current", "Current councils"), ("former", "Former councils"), ("all", "Current and former")],
        empty_label=None,
        label="Status",
    )
    sort = NullsLastOrderingFilter(
        fields=(("name", "name"), ("latest_inspection_date", "date"), *line_sort_fields()),
        field_labels={
            "name": "Name (A to Z)",
            "-name": "Name (Z to A)",
            "date": "Last full inspection (oldest first)",
            "-date": "Last full inspection (newest first)",
            **line_sort_labels(),
        },
        tiebreak=("name", "pk"),
        label="Sort by",
        empty_label=None,
    )

    name_search = None  # what `q` found (filter_name), when it was given

    class Meta:
        model = Council
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        # Current councils unless former ones are asked for: the form shows it, and every list reads it.
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("status"):
            data["status"] = "current"
        if queryset is None:
            queryset = Council.objects.all()
        if "latest_inspection_id" not in queryset.query.annotations:
            # What the filters and sorts read; lists that show every line's figures annotate those themselves.
            queryset = grades.with_current_scores(grades.with_latest_inspection(queryset))
        super().__init__(data, queryset, **kwargs)

    def filter_name(self, queryset, name, value):
        """Any name or code the council is known by, current or former (Ofsted URN, DfE LA code, ONS code),
        or part of a name, written as people write it (councils/lookup.py: CouncilIndex.search). The search
        is kept as `name_search`, for the page to suggest the nearest names when it finds none."""
        value = value.strip()
        if not value:
            return queryset
        self.name_search = CouncilIndex().search(value)
        return queryset.filter(pk__in=[council.pk for council in self.name_search.councils])

    def chosen_lines(self):
        key = self.form.cleaned_data.get("area")
        return [grades.LINES_BY_KEY[key]] if key else grades.COUNCIL_LINES

    def filter_current(self, queryset, name, value):
        """`grade` or `change` in any chosen line's current grade (never a grade from an earlier inspection)."""
        condition = grades.has_current_grade if name == "grade" else grades.has_current_change
        matches = Q(pk__in=[])
        for line in self.chosen_lines():
            matches |= Q(condition(line, value))
        return queryset.filter(matches)

    def filter_area(self, queryset, name, value):
        """Alone, the councils whose latest full inspection gave a grade in the area; with `grade` or
        `change`, it narrows them (filter_current reads it)."""
        return queryset.filter(grades.has_current_grade(grades.LINES_BY_KEY[value]))

    def filter_status(self, queryset, name, value):
        if value == "all":
            return queryset
        return queryset.filter(is_current=value == "current")

    @property
    def qs(self):
        queryset = super().qs
        if not self.is_bound or not self.form.is_valid() or not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by("name", "pk")
        return queryset


class InspectionFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Council, theme or lead inspector", max_length=200)
    council = council_filter("council")
    region = region_filter("council__region")
    la_type = la_type_filter("council__la_type")
    framework = framework_filter("framework")
    event_type = event_type_filter("event_type")
    start_date = DateRangeFilter(field_name="start_date", label="Start date")
    sort = NullsLastOrderingFilter(
        fields=(("start_date", "date"), ("council__name", "council"), ("published_date", "published")),
        tiebreak=("pk",),
        label="Sort by",
    )

    class Meta:
        model = Inspection
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(council__name__icontains=value)
            | Q(council__in=Council.objects.matching(value).values("pk"))
            | Q(theme__icontains=value)
            | Q(lead_inspector__icontains=value)
        )


class JudgementFilterSet(FilterSet):
    council = council_filter("inspection__council")
    region = region_filter("inspection__council__region")
    la_type = la_type_filter("inspection__council__la_type")
    framework = framework_filter("framework")
    event_type = event_type_filter("inspection__event_type")
    area = django_filters.ChoiceFilter(choices=Area.choices, empty_label="All areas", label="Judgement area")
    grade = django_filters.ChoiceFilter(choices=Grade.choices, empty_label="All grades", label="Grade")
    start_date = DateRangeFilter(field_name="inspection_start_date", label="Inspection start date")
    sort = NullsLastOrderingFilter(
        fields=(("inspection_start_date", "date"), ("inspection__council__name", "council")),
        tiebreak=("pk",),
        label="Sort by",
    )

    class Meta:
        model = Judgement
        fields = []


OFSTED_FINDING_KINDS = [(value, label) for value, label in Finding.Kind.choices if value != Finding.Kind.PRESS_REPORT]


class FindingFilterSet(FilterSet):
    """Ofsted's findings; or, asked for with said_by=press, the statements the press reported.

    The two are never mixed: a news article's summary is not counted as one of Ofsted's findings.
    """

    q = django_filters.CharFilter(method="search", label="Words in the finding", max_length=200)
    said_by = django_filters.ChoiceFilter(
        method="filter_said_by",
        choices=[("ofsted", "Ofsted's findings"), ("press", "Reported in the press")],
        empty_label=None,
        label="Whose words",
    )
    kind = django_filters.ChoiceFilter(choices=OFSTED_FINDING_KINDS, empty_label="All kinds", label="Kind of finding")
    area = django_filters.ChoiceFilter(choices=Area.choices, empty_label="All areas", label="Judgement area")
    council = council_filter("inspection__council")
    region = region_filter("inspection__council__region")
    la_type = la_type_filter("inspection__council__la_type")
    framework = framework_filter("inspection__framework")
    event_type = event_type_filter("inspection__event_type")
    start_date = DateRangeFilter(field_name="inspection__start_date", label="Inspection date")
    year = django_filters.NumberFilter(method="in_year", label="Year", min_value=2000, max_value=2100)
    sort = NullsLastOrderingFilter(
        fields=(("inspection__start_date", "date"), ("inspection__council__name", "council")),
        tiebreak=("inspection_id", "kind", "order"),
        label="Sort by",
    )

    class Meta:
        model = Finding
        fields = []

    def search(self, queryset, name, value):
        return queryset.search(value)

    def in_year(self, queryset, name, value):
        """The year an inspection started, or was published where its start is not known (as the chart counts)."""
        return queryset.alias(inspection_placed_on=placed_on_expression("inspection__")).filter(
            inspection_placed_on__year=value
        )

    def filter_said_by(self, queryset, name, value):
        return queryset.press_reports() if value == "press" else queryset.ofsted()

    @property
    def qs(self):
        queryset = super().qs
        if not (self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("said_by")):
            queryset = queryset.ofsted()  # Ofsted's findings, unless the press's statements are asked for
        return queryset


class KeyFigureFilterSet(FilterSet):
    council = council_filter("council")
    region = region_filter("council__region")
    la_type = la_type_filter("council__la_type")
    metric = django_filters.ChoiceFilter(choices=metric_choices, empty_label="All figures", label="Figure")
    start_date = DateRangeFilter(field_name="date", label="Date of the figure")

    class Meta:
        model = KeyFigure
        fields = []
