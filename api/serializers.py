"""What the API says about each record: the values the pages show, as JSON.

A field with choices comes as its stored value (stable, for scripts) and, beside it as <field>_label, in the
words the pages use (Ofsted's own for grades). Dates are ISO 8601 with a precision beside them where a
source may give only the month or year (then the date is the first day of it). Every fact carries the
source it comes from, cited as a reader would: publisher, title, date and a link.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from councils.models import Council
from inspections import grades
from inspections.frameworks import Grade, grade_label
from inspections.models import Finding, Inspection, Judgement, KeyFigure, MissingCode, Source



@extend_schema_field(OpenApiTypes.STR)
class LabelField(serializers.Field):
    """The words for a stored choice value: a <field>_label beside <field>."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return self.labels.get(value, value)


@extend_schema_field(serializers.CharField(allow_null=True, help_text="day, month or year; null where the date is."))
class DatePrecisionField(serializers.Field):
    """How precisely a date is known, beside it: null where the date is null, as a precision of no date says nothing."""

    def __init__(self, date, **kwargs):
        self.date = date
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record):
        return None if getattr(record, self.date) is None else record.date_precision


def label_of(model, field):
    # Read from the field's choices, not get_<field>_display(): REST framework inspects a method's signature
    # on every call, which was most of the time of a page of inspections.
    return LabelField(model._meta.get_field(field).flatchoices, source=field)


def absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


class SourceSerializer(serializers.ModelSerializer):
    kind_label = label_of(Source, "kind")
    date = serializers.DateField(source="published_date", allow_null=True)
    date_precision = DatePrecisionField("published_date")
    url = serializers.SerializerMethodField(help_text="The document: its address at the publisher, else the copy this site serves.")
    citation = serializers.CharField(read_only=True, help_text="Publisher, title and date, as a reader would cite it.")

    class Meta:
        model = Source
        fields = ["kind", "kind_label", "publisher", "title", "date", "date_precision", "url", "citation"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, source):
        if source.url:
            return source.url
        document = source.get_document_url()
        return absolute(self.context.get("request"), document) if document else None


class CouncilRefSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The council's page on this site.")
    api_url = serializers.SerializerMethodField(help_text="The council in this API.")

    class Meta:
        model = Council
        fields = ["slug", "name", "url", "api_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, council):
        return absolute(self.context.get("request"), council.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, council):
        return absolute(self.context.get("request"), reverse("api-council-detail", args=[council.slug]))


class LastGivenSerializer(serializers.Serializer):
    """History: the most recent grade given in a line, whichever inspection gave it."""

    grade = serializers.ChoiceField(choices=Grade.choices)
    grade_label = serializers.CharField()
    area = serializers.CharField(help_text="The judgement area as Ofsted named it then.")
    inspection_id = serializers.IntegerField(help_text="The inspection that gave it.")
    date = serializers.DateField(allow_null=True, help_text="That inspection's start date.")
    date_precision = serializers.CharField(allow_null=True)


class LatestGradeSerializer(serializers.Serializer):
    """One judgement line of a council's current grades (inspections/grades.py, rule 5)."""

    line = serializers.CharField(help_text="The judgement line: areas that continue one another across frameworks.")
    line_label = serializers.CharField()
    status = serializers.ChoiceField(
        choices=grades.LatestStatus.choices,
        allow_null=True,
        help_text=(
            "Whether the latest full inspection gave a grade in this line: given; not_given (its framework gives "
            "none, as overall effectiveness from April 2026); not_recorded (it does, but our sources lack the "
            "grade); null for a council never fully inspected."
        ),
    )
    status_label = serializers.CharField(help_text="Why there is no current grade, in words; empty where there is one.")
    grade = serializers.ChoiceField(
        choices=Grade.choices, allow_null=True, help_text="The current grade: the one the latest full inspection gave."
    )
    grade_label = serializers.CharField(allow_null=True)
    area = serializers.CharField(allow_null=True, help_text="The judgement area as Ofsted named it then.")
    inspection_id = serializers.IntegerField(allow_null=True, help_text="The inspection that gave it.")
    date = serializers.DateField(allow_null=True, help_text="That inspection's start date.")
    date_precision = serializers.CharField(allow_null=True)
    previous_grade = serializers.ChoiceField(
        choices=Grade.choices, allow_null=True, help_text="The council's grade in this line before the current one."
    )
    previous_grade_label = serializers.CharField(allow_null=True)
    previous_date = serializers.DateField(allow_null=True)
    change = serializers.ChoiceField(
        choices=grades.GradeChange.choices, allow_null=True, help_text="From the previous grade to the current one."
    )
    last_given = LastGivenSerializer(
        allow_null=True, help_text="History: the most recent grade given in the line; never a current grade by itself."
    )


def latest_grade(entry):
    """A line's current grade (grades.LatestGrade or LatestGradeFigures) as the API gives it."""
    return {
        "line": entry.line.key,
        "line_label": entry.line.label,
        "status": entry.status,
        "status_label": entry.status_words,
        "grade": entry.grade,
        "grade_label": grade_label(entry.grade) or None,
        "area": entry.area,
        "inspection_id": entry.inspection_id,
        "date": entry.date,
        "date_precision": entry.date_precision,
        "previous_grade": entry.previous_grade,
        "previous_grade_label": grade_label(entry.previous_grade) or None,
        "previous_date": entry.previous_date,
        "change": entry.change,
        "last_given": {
            "grade": entry.last_grade,
            "grade_label": grade_label(entry.last_grade),
            "area": entry.last_area,
            "inspection_id": entry.last_inspection_id,
            "date": entry.last_date,
            "date_precision": entry.last_date_precision,
        }
        if entry.last_grade
        else None,
    }


class CouncilSerializer(CouncilRefSerializer):
    """A council annotated by grades.with_latest_inspection(); its current grades come in the context
    ("latest_grades": grades.latest_grades_of() for the councils answered)."""

    region = serializers.CharField(source="region.name", allow_null=True, default=None)
    region_code = serializers.CharField(source="region.code", allow_null=True, default=None)
    la_type_label = label_of(Council, "la_type")
    latest_inspection_id = serializers.IntegerField(allow_null=True, read_only=True)
    latest_inspection_date = serializers.DateField(allow_null=True, read_only=True)
    latest_inspection_date_precision = serializers.CharField(allow_null=True, read_only=True)
    latest_inspection_type = serializers.CharField(allow_null=True, read_only=True)
    latest_inspection_framework = serializers.CharField(allow_null=True, read_only=True)
    latest_grades = serializers.SerializerMethodField(
        help_text="The current grade in each judgement line: what the latest full inspection gave."
    )

    class Meta:
        model = Council
        fields = CouncilRefSerializer.Meta.fields + [
            "ons_code",
            "la_code",
            "ofsted_urn",
            "region",
            "region_code",
            "la_type",
            "la_type_label",
            "is_current",
            "latest_inspection_id",
            "latest_inspection_date",
            "latest_inspection_date_precision",
            "latest_inspection_type",
            "latest_inspection_framework",
            "latest_grades",
        ]

    @extend_schema_field(LatestGradeSerializer(many=True))
    def get_latest_grades(self, council):
        latest = self.context["latest_grades"][council.pk]
        return LatestGradeSerializer([latest_grade(entry) for entry in latest], many=True).data


class InspectionJudgementSerializer(serializers.ModelSerializer):
    area_label = label_of(Judgement, "area")
    grade_label = label_of(Judgement, "grade")
    score = serializers.IntegerField(read_only=True, help_text="Ofsted's 1-4 score: 1 outstanding, 4 inadequate.")

    class Meta:
        model = Judgement
        fields = ["area", "area_label", "grade", "grade_label", "score"]


class InspectionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The inspection's page on this site.")
    council = CouncilRefSerializer(read_only=True)
    event_type_label = label_of(Inspection, "event_type")
    framework_label = label_of(Inspection, "framework")
    date_precision = DatePrecisionField("start_date")
    judgements = serializers.SerializerMethodField(help_text="The grades, in the report's order; empty for a visit.")
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "url",
            "council",
            "event_type",
            "event_type_label",
            "framework",
            "framework_label",
            "theme",
            "visit_number",
            "start_date",
            "end_date",
            "date_precision",
            "published_date",
            "lead_inspector",
            "report_url",
            "summary",
            "judgements",
            "sources",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, inspection):
        return absolute(self.context.get("request"), inspection.get_absolute_url())

    @extend_schema_field(InspectionJudgementSerializer(many=True))
    def get_judgements(self, inspection):
        return InspectionJudgementSerializer(inspection.judgements_in_report_order(), many=True).data


class JudgementSerializer(serializers.ModelSerializer):
    """A grade with the council's previous one in the same line (grades.with_previous())."""

    inspection_id = serializers.IntegerField(read_only=True)
    council = CouncilRefSerializer(source="inspection.council", read_only=True)
    event_type = serializers.CharField(source="inspection.event_type", read_only=True)
    framework_label = label_of(Judgement, "framework")
    start_date = serializers.DateField(source="inspection_start_date", read_only=True)
    start_date_precision = serializers.CharField(source="inspection.date_precision", read_only=True)
    area_label = label_of(Judgement, "area")
    grade_label = label_of(Judgement, "grade")
    score = serializers.IntegerField(source="grade_score", read_only=True)
    previous_grade = serializers.ChoiceField(choices=Grade.choices, allow_null=True, read_only=True)
    previous_area = serializers.CharField(allow_null=True, read_only=True)
    previous_inspection_id = serializers.IntegerField(allow_null=True, read_only=True)
    change = serializers.ChoiceField(choices=grades.GradeChange.choices, read_only=True)
    source = SourceSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Judgement
        fields = [
            "id",
            "inspection_id",
            "council",
            "event_type",
            "framework",
            "framework_label",
            "start_date",
            "start_date_precision",
            "area",
            "area_label",
            "grade",
            "grade_label",
            "score",
            "previous_grade",
            "previous_area",
            "previous_inspection_id",
            "change",
            "source",
        ]


class FindingSerializer(serializers.ModelSerializer):
    inspection_id = serializers.IntegerField(read_only=True)
    inspection_url = serializers.SerializerMethodField()
    council = CouncilRefSerializer(source="inspection.council", read_only=True)
    start_date = serializers.DateField(source="inspection.start_date", allow_null=True, read_only=True)
    kind_label = label_of(Finding, "kind")
    area_label = label_of(Finding, "area")
    said_by = serializers.SerializerMethodField(help_text="ofsted, or press for a statement a news article reported.")
    source = SourceSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "inspection_id",
            "inspection_url",
            "council",
            "start_date",
            "kind",
            "kind_label",
            "area",
            "area_label",
            "text",
            "order",
            "page",
            "said_by",
            "source",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_inspection_url(self, finding):
        return absolute(self.context.get("request"), reverse("inspection-detail", args=[finding.inspection_id]))

    @extend_schema_field(serializers.ChoiceField(choices=["ofsted", "press"]))
    def get_said_by(self, finding):
        return "press" if finding.kind == Finding.Kind.PRESS_REPORT else "ofsted"


class KeyFigureSerializer(serializers.ModelSerializer):
    council = CouncilRefSerializer(read_only=True)
    metric_label = label_of(KeyFigure, "metric")
    value = serializers.DecimalField(max_digits=14, decimal_places=4, coerce_to_string=False, allow_null=True, read_only=True)
    unit_label = label_of(KeyFigure, "unit")
    status = serializers.ChoiceField(
        source="missing_code",
        choices=MissingCode.choices,
        allow_blank=True,
        read_only=True,
        help_text="Empty where value is given; otherwise the source's code for why there is no number.",
    )
    status_label = label_of(KeyFigure, "missing_code")
    source = SourceSerializer(read_only=True)
    also_reported_by = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = KeyFigure
        fields = [
            "council",
            "metric",
            "metric_label",
            "value",
            "unit",
            "unit_label",
            "date",
            "date_precision",
            "status",
            "status_label",
            "source",
            "also_reported_by",
        ]
