from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from simple_history.models import HistoricalRecords

from councils.models import Council

from .dates import DatePrecision, format_date, iso
from .frameworks import (
    FULL_INSPECTION_TYPES,
    GRADE_SCORES,
    GRADED_EVENT_TYPES,
    Area,
    EventType,
    Framework,
    Grade,
    area_rule,
    event_judges,
    area_wording,
    judgement_problem,
    valid_judgement_condition,
)
from .metrics import metric_choices, unit_choices


class Origin(models.TextChoices):
    """Where a row came from. Importers update only rows an importer made and nobody has edited since;
    hand-entered rows are never overwritten. An inspection the history file gave and a report then filled
    becomes REPORT_PDF; one that Ofsted's official statistics give stays OFSTED_OUTCOMES."""

    MANUAL = "manual", "Entered by hand (fixtures or admin)"
    OFSTED_OUTCOMES = "ofsted_outcomes", "Imported from Ofsted's outcomes files"
    REPORT_PDF = "report_pdf", "Read from an Ofsted report PDF"


class SourceQuerySet(models.QuerySet):
    def get_by_natural_key(self, key):
        return self.get(key=key)

    def public(self):
        """Sources the public pages cite: of a published inspection, its judgements or findings, or of a key figure."""
        published = Inspection.Status.PUBLISHED
        return self.filter(
            Q(inspections__status=published)
            | Q(judgements__inspection__status=published)
            | Q(findings__inspection__status=published)
            | Q(key_figures__isnull=False)
        ).distinct()


class Source(models.Model):
    """A document that facts come from: an Ofsted report or letter, a news article, a statistics release."""

    class Kind(models.TextChoices):
        OFSTED_REPORT = "ofsted_report", "Ofsted report"
        OFSTED_LETTER = "ofsted_letter", "Ofsted letter"
        OFSTED_STATISTICS = "ofsted_statistics", "Ofsted official statistics"
        NEWS_ARTICLE = "news_article", "News article"
        DATASET = "dataset", "Dataset"
        OTHER = "other", "Other"

    key = models.SlugField(
        max_length=120, unique=True, help_text="A short stable name, e.g. ofsted-report-tower-hamlets-2019-07-22."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    published_date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    url = models.URLField("URL", max_length=500, blank=True)
    document = models.CharField(
        max_length=300,
        blank=True,
        help_text="The copy shipped with the project, as a path under fixtures/ (a seed file or a report PDF).",
    )
    file_name = models.CharField(
        max_length=300, blank=True, help_text="For a report read from a PDF: the file's name in the archive it came from."
    )
    sha256 = models.CharField(
        "SHA-256", max_length=64, blank=True, help_text="For a report read from a PDF: the file's SHA-256 checksum."
    )
    public_note = models.TextField(
        blank=True,
        help_text="Shown beside the source on the public pages, in words for readers (e.g. what dates an undated "
        "article). Cite documents by publisher, title and date; never by file name.",
    )
    notes = models.TextField("editor's note", blank=True, help_text="For editors only; never shown on the public pages.")

    history = HistoricalRecords()
    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["published_date", "title"]
        constraints = [
            models.UniqueConstraint(fields=["document"], condition=~Q(document=""), name="source_unique_document"),
        ]

    def natural_key(self):
        return (self.key,)

    def __str__(self):
        when = format_date(self.published_date, self.date_precision)
        return f"{self.title} ({self.publisher}, {when})" if when else self.title

    @property
    def is_press(self):
        return self.kind == self.Kind.NEWS_ARTICLE

    @property
    def date_display(self):
        return format_date(self.published_date, self.date_precision)

    def get_document_url(self):
        """Where the app serves its shipped copy (Source.document), or "" when it has none."""
        return reverse("source-document", args=[self.key]) if self.document else ""

    @property
    def citation(self):
        """As a reader would cite it: publisher, title, date ("date not given" where the copy has none)."""
        parts = [self.publisher, f"“{self.title}”", self.date_display or "date not given"]
        return ", ".join(part for part in parts if part)


def placed_on_expression(prefix=""):
    """The SQL of Inspection.placed_on, for the inspection at `prefix` ("inspection__" from a finding)."""
    return Coalesce(f"{prefix}start_date", f"{prefix}published_date")


def last_day_expression(prefix=""):
    """The SQL of Inspection.last_day, for the inspection at `prefix`."""
    return Coalesce(f"{prefix}end_date", placed_on_expression(prefix))


class InspectionQuerySet(models.QuerySet):
    def get_by_natural_key(self, council_slug, event_type, start_date, visit_number=None):
        return self.get(
            council__slug=council_slug, event_type=event_type, start_date=start_date, visit_number=visit_number
        )

    def published(self):
        return self.filter(status=Inspection.Status.PUBLISHED)

    def graded(self):
        return self.filter(event_type__in=GRADED_EVENT_TYPES)

    def full_inspections(self):
        """Inspections of all the council's children's services (not of one part, nor visits)."""
        return self.filter(event_type__in=FULL_INSPECTION_TYPES)

    def public(self):
        """What the public pages show: published events, with their council and region."""
        return self.published().select_related("council", "council__region")

    def with_details(self):
        """Prefetch what a timeline entry shows: judgements, findings (each with its source, in the report's
        order) and sources, one query each."""
        return self.prefetch_related(
            "judgements",
            models.Prefetch("findings", queryset=Finding.objects.select_related("source").order_by("kind", "order")),
            "sources",
        )

    def newest_first(self):
        """Latest first: by start date, or publication date where the start is not recorded."""
        return self.order_by(placed_on_expression().desc(nulls_last=True), "-pk")

    def count_by_year_and_type(self):
        """Rows of year, event_type and n, counted in the database.

        The year is the start date's, or the publication date's where no source gives the start;
        events with neither are left out.
        """
        return (
            self.annotate(year=ExtractYear(placed_on_expression()))
            .exclude(year=None)
            .values("year", "event_type")
            .annotate(n=Count("pk"))
            .order_by("year", "event_type")
        )


    def coverage(self, *fields):
        """What the record holds, grouped by `fields` (e.g. "year", "event_type" or "council"): rows of
        events, how many are dated, graded, with findings, and how many draw on each kind of source.

        The year is the start date's, or the publication date's where no source gives the start (None
        where neither is known). One query.
        """
        linked = Source.objects.filter(inspections=models.OuterRef("pk"))
        return (
            self.annotate(
                year=ExtractYear(placed_on_expression()),
                has_grades=models.Exists(Judgement.objects.filter(inspection=models.OuterRef("pk"))),
                has_findings=models.Exists(Finding.objects.filter(inspection=models.OuterRef("pk"))),
                from_statistics=models.Exists(linked.filter(kind=Source.Kind.OFSTED_STATISTICS)),
                from_reports=models.Exists(linked.filter(kind=Source.Kind.OFSTED_REPORT)),
                from_datasets=models.Exists(linked.filter(kind=Source.Kind.DATASET)),
            )
            .values(*fields)
            .annotate(
                events=Count("pk"),
                dated=Count("pk", filter=Q(start_date__isnull=False)),
                graded=Count("pk", filter=Q(has_grades=True)),
                with_findings=Count("pk", filter=Q(has_findings=True)),
                from_statistics=Count("pk", filter=Q(from_statistics=True)),
                from_reports=Count("pk", filter=Q(from_reports=True)),
                from_datasets=Count("pk", filter=Q(from_datasets=True)),
                by_hand=Count("pk", filter=Q(origin=Origin.MANUAL)),
            )
            .order_by(*fields)
        )


class Inspection(models.Model):
    """Any Ofsted event about a council's children's services: an inspection or a visit."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="inspections")
    event_type = models.CharField(max_length=30, choices=EventType.choices)
    framework = models.CharField(
        max_length=30, choices=Framework.choices, blank=True, help_text="Leave empty where the sources do not say."
    )
    theme = models.CharField(max_length=200, blank=True, help_text="The theme of a focused or monitoring visit.")
    start_date = models.DateField(
        null=True, blank=True, help_text="Leave empty only where no source dates the event (e.g. an early visit)."
    )
    end_date = models.DateField(null=True, blank=True)
    visit_number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For a monitoring visit: which one it was (the fifth = 5), where known."
    )
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How precisely the sources give the dates: a month is stored as its first day.",
    )
    published_date = models.DateField(null=True, blank=True)
    # Where no source dates an event, what they do say still places it: after the visit it follows, before
    # the article that reports it. Timelines use these bounds (schedule.timeline_order).
    not_before = models.DateField(
        "not before",
        null=True,
        blank=True,
        help_text="For an undated event: the latest date the sources say it came after (e.g. the visit it followed).",
    )
    not_after = models.DateField(
        "not after",
        null=True,
        blank=True,
        help_text="For an undated event: the earliest date the sources say it came before (e.g. a report of it).",
    )
    lead_inspector = models.CharField(max_length=200, blank=True)
    report_url = models.URLField("report URL", max_length=500, blank=True)
    summary = models.TextField(blank=True)
    public_note = models.TextField(
        blank=True,
        help_text="Shown on the inspection page under “Where sources disagree”: what the other sources say, "
        "in words for readers. Cite documents by publisher, title and date; never by file name.",
    )
    notes = models.TextField(
        "editor's note", blank=True, help_text="For editors only (how the record was made); never shown on the public pages."
    )
    sources = models.ManyToManyField(Source, related_name="inspections", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.MANUAL, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[sources])
    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["council", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="inspection_ends_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=False),
                name="inspection_end_needs_start",
                violation_error_message="Give the start date as well as the end date.",
            ),
            models.CheckConstraint(
                condition=Q(not_before__isnull=True) | Q(not_after__isnull=True) | Q(not_after__gte=F("not_before")),
                name="inspection_bounds_in_order",
                violation_error_message="“Not after” cannot be earlier than “not before”.",
            ),
            models.UniqueConstraint(
                fields=["council", "event_type", "start_date"],
                name="inspection_unique_event",
                violation_error_message="This council already has an inspection of this type starting on this date.",
            ),
            models.UniqueConstraint(
                fields=["council", "event_type", "visit_number"],
                name="inspection_unique_visit_number",
                violation_error_message="This council already has a visit of this type with this number.",
            ),
        ]
        indexes = [
            models.Index(fields=["start_date"]),
            models.Index(fields=["status", "council", "start_date"]),
            # A council's events by the date that places them, newest first: the latest full inspection
            # that grades.with_latest_inspection() looks for reads one entry of it.
            models.Index(F("council"), placed_on_expression(), F("id"), name="inspection_council_event"),
            # A council's published events before a date, newest first (the judgements export's previous grade).
            models.Index(fields=["council", "status", "start_date", "id"], name="inspection_council_start"),
        ]

    def __str__(self):
        return f"{self.council.name}: {self.get_event_type_display()} {self.dates_display}"

    def natural_key(self):
        return (
            self.council.slug,
            self.event_type,
            iso(self.start_date),
            self.visit_number,
        )

    natural_key.dependencies = ["councils.council"]

    def get_absolute_url(self):
        return reverse("inspection-detail", args=[self.pk])

    @property
    def placed_on(self):
        """The date that places the event in time: its start date, else the date its report was published."""
        return self.start_date or self.published_date

    @property
    def last_day(self):
        """The last day of fieldwork where known, else the date that places the event: until then a council
        is being inspected."""
        return self.end_date or self.placed_on

    @property
    def dates_display(self):
        if self.start_date is None:
            bounds = "; ".join(
                f"{word} {format_date(date)}"
                for word, date in (("after", self.not_before), ("before", self.not_after))
                if date
            )
            return f"date not known ({bounds})" if bounds else "date not known"
        start = format_date(self.start_date, self.date_precision)
        if not self.end_date or self.end_date == self.start_date:
            return start
        return f"{start} to {format_date(self.end_date, self.date_precision)}"

    @property
    def is_graded(self):
        return self.event_type in GRADED_EVENT_TYPES

    def judgements_in_report_order(self):
        """The judgements in Ofsted's report order (the areas' order); reads a prefetched `judgements`."""
        return sorted(self.judgements.all(), key=lambda j: (Area.values.index(j.area), j.pk))

    @property
    def report_link(self):
        """Ofsted's report of the event, where a source knows it: {"url", "text", "short_text"} or None.

        The recorded report URL first; else a source that is Ofsted's report or letter on this event
        (published the day the event's report was: a later report that mentions it is not its report), by
        its URL or else by the copy the app serves. Reads self.sources.all(), so prefetch sources for many.
        """
        ofsted = [
            s
            for s in self.sources.all()
            if s.kind in (Source.Kind.OFSTED_REPORT, Source.Kind.OFSTED_LETTER)
            and self.published_date is not None
            and s.published_date == self.published_date
        ]
        if self.report_url:
            return {"url": self.report_url, "text": "Read Ofsted's report", "short_text": "Ofsted report"}
        for source in ofsted:
            what = "letter" if source.kind == Source.Kind.OFSTED_LETTER else "report"
            if source.url:
                return {"url": source.url, "text": f"Read Ofsted's {what}", "short_text": f"Ofsted {what}"}
            if source.document:
                return {
                    "url": source.get_document_url(),
                    "text": f"Read Ofsted's {what} (a copy kept by this site)",
                    "short_text": f"Ofsted {what}",
                }
        return None

    def clean(self):
        super().clean()
        if self.pk and self.start_date and (self.framework or self.judgements.exists()):
            problems = [
                problem
                for judgement in self.judgements.all()
                if (
                    problem := judgement_problem(
                        self.framework, judgement.area, judgement.grade, self.start_date, self.event_type
                    )
                )
            ]
            if problems:
                raise ValidationError(
                    {"framework": f"Existing judgements would no longer be valid: {problems[0]}"}, code="invalid"
                )

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Judgements carry copies of these two fields so the database can check grades; keep them in step.
        self.judgements.exclude(framework=self.framework, inspection_start_date=self.start_date).update(
            framework=self.framework, inspection_start_date=self.start_date
        )


class JudgementQuerySet(models.QuerySet):
    def get_by_natural_key(self, council_slug, event_type, start_date, visit_number, area):
        return self.get(
            inspection=Inspection.objects.get_by_natural_key(council_slug, event_type, start_date, visit_number),
            area=area,
        )

    def published(self):
        return self.filter(inspection__status=Inspection.Status.PUBLISHED)

    def overall(self):
        return self.filter(area=Area.OVERALL_EFFECTIVENESS)


class Judgement(models.Model):
    """One grade for one judgement area of one inspection."""

    # Deleted with their inspection (the admin lists them before it deletes) and restored with it from the
    # history (inspections/undelete.py).
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="judgements")
    area = models.CharField(max_length=40, choices=Area.choices)
    grade = models.CharField(max_length=30, choices=Grade.choices)
    # Copies of the inspection's framework and start date, so that a CHECK constraint can refuse a grade
    # that is not valid for them (a constraint cannot look across tables). Inspection.save() keeps them.
    framework = models.CharField(max_length=30, choices=Framework.choices, editable=False)
    inspection_start_date = models.DateField(editable=False)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="judgements", null=True, blank=True)

    history = HistoricalRecords()
    objects = JudgementQuerySet.as_manager()

    class Meta:
        ordering = ["inspection", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "area"],
                name="judgement_one_per_area",
                violation_error_message="This inspection already has a judgement for this area.",
            ),
            models.CheckConstraint(
                condition=valid_judgement_condition(),
                name="judgement_valid_for_framework",
                violation_error_message="This grade is not valid for this area under the inspection's framework.",
            ),
        ]
        indexes = [
            models.Index(fields=["area", "grade"]),
            # The judgements export's order, so that its first rows come before the last is read.
            models.Index(fields=["inspection_start_date", "inspection", "id"], name="judgement_export_order"),
        ]

    def __str__(self):
        return f"{self.get_area_display()}: {self.get_grade_display()}"

    def natural_key(self):
        return (*self.inspection.natural_key(), self.area)

    natural_key.dependencies = ["inspections.inspection"]

    @property
    def score(self):
        return GRADE_SCORES.get(self.grade)

    @property
    def area_wording(self):
        return area_wording(self.framework, self.area)

    def _inspection(self):
        # In an admin inline the parent may be set but not saved yet, so go by the object, not the id.
        try:
            return self.inspection
        except Inspection.DoesNotExist:
            return None

    def copy_from_inspection(self):
        inspection = self._inspection()
        if inspection is not None:
            self.framework = inspection.framework
            self.inspection_start_date = inspection.start_date

    def clean(self):
        super().clean()
        inspection = self._inspection()
        if inspection is None or not self.area or not self.grade:
            return
        self.copy_from_inspection()
        if not inspection.is_graded:
            raise ValidationError(
                f"A {inspection.get_event_type_display().lower()} is not graded; record its findings instead.",
                code="not_graded",
            )
        if inspection.start_date is None:
            raise ValidationError("Give the inspection's start date before grading it.", code="undated")
        problem = judgement_problem(
            self.framework, self.area, self.grade, self.inspection_start_date, inspection.event_type
        )
        if problem:
            rule = area_rule(self.framework, self.area)
            judged = rule and rule.applies_on(self.inspection_start_date) and event_judges(inspection.event_type, self.area)
            field = "grade" if judged else "area"
            raise ValidationError({field: problem}, code="invalid_for_framework")

    def save(self, *args, **kwargs):
        self.copy_from_inspection()
        super().save(*args, **kwargs)


class FindingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(inspection__status=Inspection.Status.PUBLISHED)

    def ofsted(self):
        """Ofsted's own findings: statements from its reports and letters, not what the press reported."""
        return self.exclude(kind=Finding.Kind.PRESS_REPORT)

    def press_reports(self):
        return self.filter(kind=Finding.Kind.PRESS_REPORT)

    def search(self, text):
        """Findings matching the words of a search: PostgreSQL full-text search, else a plain match.

        On PostgreSQL the words are stemmed with the English configuration ("caseloads" finds
        "caseload") and web-search syntax works ("quoted phrases", -exclusions, or). Elsewhere each
        word must appear in the text, in any case.
        """
        text = (text or "").strip()
        if not text:
            return self
        if connections[self.db].vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            # The same expression as the GIN index of migration 0002, which makes the search use it.
            return self.annotate(search_document=SearchVector("text", config="english")).filter(
                search_document=SearchQuery(text, search_type="websearch", config="english")
            )
        words = [word.strip('"') for word in text.split()]
        query = Q()
        for word in words:
            if word and word.lower() != "or" and not word.startswith("-"):
                query &= Q(text__icontains=word)
        return self.filter(query)

    @staticmethod
    def inspection_date():
        """The date that places a finding: its inspection's start, else its publication (None for neither)."""
        return placed_on_expression("inspection__")

    def newest_first(self):
        """Newest inspection first (by start, else publication; undated last), then council, report order."""
        return self.order_by(
            self.inspection_date().desc(nulls_last=True),
            "inspection__council__name",
            "inspection_id",
            "kind",
            "order",
        )

    def matches_first(self, count):
        """The same findings, for a filter known to match `count` of them: worked out before they are ordered.

        Left to itself, PostgreSQL pages through findings by walking every finding in the page's order (the
        newest inspections first) and testing each, which is quickest when many findings match and takes
        seconds when few or none do (a rare word at national scale). A subquery with a LIMIT cannot be folded
        into the ordered query, so the matches are found first (the full-text index), then sorted.
        """
        return self.filter(pk__in=self.order_by().values("pk")[: max(count, 1)])

    def count_by_year(self):
        """Rows of year, findings and inspections, counted in the database.

        The year is the inspection's start date's, or its publication date's where the start is not
        recorded (None when neither is).
        """
        return (
            self.annotate(year=ExtractYear(self.inspection_date()))
            .values("year")
            .annotate(findings=Count("pk"), inspections=Count("inspection", distinct=True))
            .order_by(F("year").asc(nulls_last=True))
        )


class FindingManager(models.Manager.from_queryset(FindingQuerySet)):
    def get_by_natural_key(self, council_slug, event_type, start_date, visit_number, kind, order):
        return self.get(
            inspection=Inspection.objects.get_by_natural_key(council_slug, event_type, start_date, visit_number),
            kind=kind,
            order=order,
        )


class Finding(models.Model):
    """A statement from a report, under one of its headings; or, kept apart, a statement the press reported.

    A news article's summary of a report is not Ofsted's words: it is stored as a press report, citing
    the article, shown under its own heading and never counted among Ofsted's findings.
    """

    class Kind(models.TextChoices):
        DONE_SATISFACTORILY = "done_satisfactorily", "Done satisfactorily"
        STRENGTH = "strength", "Strength"
        AREA_FOR_DEVELOPMENT = "area_for_development", "Area for development"
        AREA_FOR_PRIORITY_ACTION = "area_for_priority_action", "Area for priority action"
        WHAT_NEEDS_TO_IMPROVE = "what_needs_to_improve", "What needs to improve (recommendation)"
        OTHER = "other", "Other"
        PRESS_REPORT = "press_report", "Reported in the press"

    # The headings as the reports print them, for a page listing findings under them.
    HEADINGS = {
        Kind.DONE_SATISFACTORILY: "Done satisfactorily",
        Kind.STRENGTH: "Strengths",
        Kind.AREA_FOR_DEVELOPMENT: "Areas for development",
        Kind.AREA_FOR_PRIORITY_ACTION: "Areas for priority action",
        Kind.WHAT_NEEDS_TO_IMPROVE: "Recommendations",
        Kind.OTHER: "Other findings",
        Kind.PRESS_REPORT: "Reported in the press",
    }
    # ILACS reports head their recommendations "What needs to improve".
    FRAMEWORK_HEADINGS = {(Framework.ILACS, Kind.WHAT_NEEDS_TO_IMPROVE): "What needs to improve"}

    @classmethod
    def heading(cls, kind, framework=""):
        return cls.FRAMEWORK_HEADINGS.get((framework, kind)) or cls.HEADINGS[kind]

    # Deleted and restored with their inspection, as its judgements are.
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    area = models.CharField(
        "judgement area", max_length=40, choices=Area.choices, blank=True, help_text="Where the report ties it to one."
    )
    text = models.TextField()
    order = models.PositiveIntegerField(default=1, help_text="Its place under its heading in the report, from 1.")
    page = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The page of the report it was read from, where known."
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="findings", null=True, blank=True)

    history = HistoricalRecords()
    objects = FindingManager()

    class Meta:
        ordering = ["inspection", "kind", "order"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "kind", "order"], name="finding_unique_place"),
            models.CheckConstraint(condition=~Q(text=""), name="finding_has_text"),
        ]
        indexes = [models.Index(fields=["kind", "area"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.order}: {self.text[:60]}"

    def natural_key(self):
        return (*self.inspection.natural_key(), self.kind, self.order)

    natural_key.dependencies = ["inspections.inspection"]

    @property
    def is_press_report(self):
        return self.kind == self.Kind.PRESS_REPORT

    @property
    def said_by(self):
        """Whose words: "Ofsted", or "Reported by <publisher> on <date>" for a press report."""
        if not self.is_press_report:
            return "Ofsted"
        source = self.source
        publisher = (source.publisher if source else "") or "the press"
        when = source.date_display if source else ""
        return f"Reported by {publisher} on {when}" if when else f"Reported by {publisher} (undated)"

    def clean(self):
        super().clean()
        source = self.source if self.source_id else None
        if self.kind == self.Kind.PRESS_REPORT and (source is None or not source.is_press):
            raise ValidationError(
                {"source": "A statement reported in the press cites the news article that reported it."},
                code="press_report_needs_article",
            )
        if source is not None and source.is_press and self.kind != self.Kind.PRESS_REPORT:
            raise ValidationError(
                {"kind": "A news article's words are not Ofsted's finding: record them as “Reported in the press”."},
                code="article_is_press_report",
            )


class Disagreement(models.Model):
    """Two sources give different values for one fact of an inspection: the one the record keeps and the other.

    Importers write these where files disagree (official statistics, the report itself, the history file);
    the inspection page shows both values with both sources. `subject` is a field name (start_date,
    lead_inspector...) or a judgement area.
    """

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="disagreements")
    subject = models.CharField(max_length=40)
    kept_value = models.CharField(max_length=300, blank=True)
    kept_source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="+", null=True, blank=True, help_text="Empty: entered by hand."
    )
    other_value = models.CharField(max_length=300)
    other_source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["inspection", "subject", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "subject", "other_source"], name="disagreement_unique"),
        ]

    def __str__(self):
        return f"{self.inspection}: {self.subject_label} {self.kept_value} / {self.other_value}"

    @property
    def subject_label(self):
        if self.subject in Area.values:
            return area_wording(self.inspection.framework, self.subject)
        return self.subject.replace("_", " ").capitalize()


class MissingCode(models.TextChoices):
    """The codes official statistics put where they give no number, with their published meanings.

    c, k, u, x and z in the words of the DfE's children's social care dashboard ("KPI codes"); low, which
    the DfE's workforce file uses, in the words of the Government Statistical Service's harmonised
    shorthand for tables.
    """

    CONFIDENTIAL = "c", "confidential data which has been suppressed"
    ROUNDS_TO_ZERO = "k", "rounds to 0 but is not 0"
    LOW = "low", "less than half the final digit shown and different from a real zero"
    LOW_RELIABILITY = "u", "observation is of low reliability"
    NOT_AVAILABLE = "x", "data is unavailable for other reason(s)"
    NOT_APPLICABLE = "z", "observation is not applicable"


# Sources whose figures are official statistics: where another source gives the same figure, theirs stands.
OFFICIAL_STATISTICS = (Source.Kind.DATASET, Source.Kind.OFSTED_STATISTICS)


class KeyFigureManager(models.Manager):
    def get_by_natural_key(self, council_slug, metric, date):
        return self.get(council__slug=council_slug, metric=metric, date=date)


class KeyFigure(models.Model):
    """A dated number about a council, e.g. 298 looked-after children in June 2012.

    One figure per council, metric and date, however many sources give it: `source` is the one its
    value comes from (official statistics where any source is), `also_reported_by` the others. A value
    the source suppresses or lacks is stored as absent with the source's code, never as zero.
    """

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="key_figures")
    metric = models.CharField(max_length=60, choices=metric_choices)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    missing_code = models.CharField(
        max_length=10,
        choices=MissingCode.choices,
        blank=True,
        help_text="The source's code where it gives no number.",
    )
    unit = models.CharField(max_length=20, choices=unit_choices)
    date = models.DateField()
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="key_figures", help_text="The source the value comes from."
    )
    also_reported_by = models.ManyToManyField(
        Source,
        related_name="key_figures_also_reported",
        blank=True,
        help_text="Other sources that give the same figure (same council, measure and date).",
    )
    notes = models.TextField(blank=True)
    source_disagreement = models.TextField(
        blank=True,
        help_text="For editors, never shown on public pages: what the other sources give where it differs.",
    )
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.MANUAL, editable=False)

    history = HistoricalRecords(m2m_fields=[also_reported_by])
    objects = KeyFigureManager()

    class Meta:
        ordering = ["council", "metric", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "metric", "date"],
                name="key_figure_unique",
                violation_error_message="This council already has this figure for this date; add the source to it instead.",
            ),
            models.CheckConstraint(
                condition=(Q(value__isnull=False) & Q(missing_code="")) | (Q(value__isnull=True) & ~Q(missing_code="")),
                name="key_figure_value_or_missing_code",
                violation_error_message="Give either a value or the source's code for a missing value, not both.",
            ),
            models.CheckConstraint(
                condition=Q(missing_code__in=["", *MissingCode.values]),
                name="key_figure_official_missing_code",
                violation_error_message="The code for a missing value must be one of the official codes.",
            ),
        ]
        indexes = [models.Index(fields=["metric", "date"])]

    def natural_key(self):
        return (self.council.slug, self.metric, self.date.isoformat())

    natural_key.dependencies = ["councils.council", "inspections.source"]

    def __str__(self):
        return f"{self.council.name}: {self.get_metric_display()} {self.shown_value} ({format_date(self.date, self.date_precision)})"

    @property
    def shown_value(self):
        return self.missing_code if self.value is None else f"{Decimal(self.value).normalize():f}"

    def same_value(self, other):
        return self.missing_code == other.missing_code and (
            (self.value is None and other.value is None)
            or (self.value is not None and other.value is not None and Decimal(self.value) == Decimal(other.value))
        )

    def merge(self, other):
        """Take in `other`, the same figure (council, metric and date) as another source gives it.

        Both sources are kept. The value of official statistics stands over any other source's (between
        two sources of a kind, the figure already recorded stands); where the values differ, the one set
        aside is written in source_disagreement for editors; other's notes are added to these. Saves this
        figure, never `other`. Returns False when other's source was already recorded for it, else True.
        """
        if other.source_id == self.source_id or self.also_reported_by.filter(pk=other.source_id).exists():
            return False
        kept, set_aside = self, other
        if other.source.kind in OFFICIAL_STATISTICS and self.source.kind not in OFFICIAL_STATISTICS:
            kept, set_aside = other, self
        if not kept.same_value(set_aside):
            line = f"{set_aside.source} gives {set_aside.shown_value}; the figure keeps {kept.shown_value} from {kept.source}."
            self.source_disagreement = "\n".join(filter(None, [self.source_disagreement, line]))
        if other.notes and other.notes not in self.notes:
            self.notes = "\n".join(filter(None, [self.notes, other.notes]))
        with transaction.atomic():
            if kept is other:
                self.also_reported_by.add(self.source)
                for field in ("source", "value", "missing_code", "unit", "date_precision", "origin"):
                    setattr(self, field, getattr(other, field))
            else:
                self.also_reported_by.add(other.source)
            self.save()
        return True


class DataVersion(models.Model):
    """Tokens that change whenever the councils' or inspections' data change (see national_cache.py).

    One row. Cached national aggregates and stored pages are kept under keys that include the versions
    they show, so every process and server sees a change at once, whatever cache it uses, and a restored
    or rebuilt database never meets pages cached from other data. It is cache state, not data: backups
    leave it out.
    """

    # The national version: changes at every change.
    value = models.BigIntegerField(default=0)
    # When the data last changed: the public pages' Last-Modified (inspection_tracker/page_cache.py).
    changed_at = models.DateTimeField(null=True, blank=True)
    # The version every council's pages are kept under too, besides their councils' own (CouncilVersion):
    # changes when a writer cannot say which councils it changed (a restore, an import of every council).
    councils_value = models.BigIntegerField(default=0)
    councils_changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"data version {self.value}"


class CouncilVersion(models.Model):
    """A token that changes whenever what a council's pages show of that council changes (national_cache.py).

    Cache state, as DataVersion is: backups leave it out. A council's row is made at its first change.
    """

    # No constraint and nothing done on delete: a version outlives its council, so that a council made
    # again under the same id (restore resets the ids) never meets the pages of the one before, and
    # emptying the councils' table (restore) leaves the versions in place.
    council = models.OneToOneField(
        Council, on_delete=models.DO_NOTHING, db_constraint=False, primary_key=True, related_name="+"
    )
    value = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

    def __str__(self):
        return f"data version {self.value} of council {self.council_id}"
