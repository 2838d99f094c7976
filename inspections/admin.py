from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from councils.models import Council

from . import grades
from .frameworks import Area, Grade, areas_offered, framework_words, grades_for, rules_for_browser
from .importers.report_import import (
    UploadedReport,
    apply_differences,
    create_draft,
    differences,
    matching_inspections,
    read_report,
    validation_message,
)
from .importers.report_pdf import ParsedReport, ReportError
from .models import Disagreement, Finding, Inspection, Judgement, KeyFigure, Source
from .undelete import deleted_inspections, restore_inspection


class TrackerAdmin(SimpleHistoryAdmin):
    """Every record is kept with its history (who changed what, when, from and to)."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("start_date", "year", order="DESC")
        return [(str(year.year), str(year.year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value() or ""
        if value.isdigit() and 1 <= int(value) <= 9999:
            return queryset.filter(start_date__year=int(value))
        return queryset


class GradeFilter(admin.SimpleListFilter):
    title = "grade (any judgement)"
    parameter_name = "grade"

    def lookups(self, request, model_admin):
        return Grade.choices

    def queryset(self, request, queryset):
        if self.value() in Grade.values:
            return queryset.filter(judgements__grade=self.value()).distinct()
        return queryset


class ReportUploadForm(forms.Form):
    report = forms.FileField(
        label="Ofsted report (PDF)",
        help_text="An inspection report on a council's children's services (ILACS 2018 on, or SIF 2014-17), "
        "as downloaded from Ofsted.",
    )

    def clean_report(self):
        report = self.cleaned_data["report"]
        limit = getattr(settings, "REPORT_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
        if report.size > limit:
            raise forms.ValidationError(
                # Megabytes of 2**20 bytes, as settings and docs/deploying.md count them (20 MB, not 21).
                f"This file is {report.size / 2**20:.1f} MB; reports are at most {limit / 2**20:g} MB.", code="too_big"
            )
        return report


class ReadingForm(forms.Form):
    """A report's reading carried from one step of the import to the next: signed, so it cannot be altered, and
    dated, so an old page cannot apply it. Holds the reading, its council, the file's name and SHA-256, and the
    inspection(s) it was matched to."""

    SALT = "inspections.report-import"
    MAX_AGE = 6 * 60 * 60  # seconds: a working day's import, not a page left open for a week

    reading = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, purpose, **kwargs):
        super().__init__(*args, **kwargs)
        self.purpose = purpose

    @classmethod
    def sign(cls, uploaded, inspections, purpose):
        """purpose: "choose" (among several inspections) or "apply" (differences to the one)."""
        data = {
            "purpose": purpose,
            "report": uploaded.report.as_data(),
            "council": uploaded.council.pk,
            "file_name": uploaded.file_name,
            "sha256": uploaded.sha256,
            "inspections": [inspection.pk for inspection in inspections],
        }
        return signing.dumps(data, salt=cls.SALT, compress=True)

    def clean_reading(self):
        try:
            data = signing.loads(self.cleaned_data["reading"], salt=self.SALT, max_age=self.MAX_AGE)
            report = ParsedReport.from_data(data["report"])
            council = Council.objects.get(pk=data["council"])
            inspections = [int(pk) for pk in data["inspections"]]
            if data["purpose"] != self.purpose or (self.purpose == "apply" and len(inspections) != 1):
                raise ValueError("a reading for another step")
            uploaded = UploadedReport(report, council, str(data["file_name"]), str(data["sha256"]))
        except signing.SignatureExpired:
            raise forms.ValidationError(
                "This reading of the report is more than six hours old: upload the report again."
            ) from None
        except (signing.BadSignature, ValueError, KeyError, TypeError, Council.DoesNotExist):
            raise forms.ValidationError(
                "This page's reading of the report was altered or is damaged: upload the report again."
            ) from None
        return uploaded, inspections


class AreaSelect(forms.Select):
    """The judgement area menu: an area the framework judges, but not in this inspection, is offered disabled,
    named with the reason (frameworks.area_problem), so the editor sees why it cannot be chosen."""

    def __init__(self, attrs=None, choices=(), problems=None):
        super().__init__(attrs, choices)
        self.problems = problems or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        problem = self.problems.get(value)
        if problem and not selected:  # a recorded judgement keeps its area; saving it says what is wrong
            option["label"] = problem
            option["attrs"]["disabled"] = True
        return option


class JudgementInline(admin.TabularInline):
    model = Judgement
    extra = 0
    autocomplete_fields = ["source"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and obj.framework:
            # Offer only what this inspection's framework grades; an area it grades on other dates or in other
            # kinds of event is shown disabled with the reason. Other values are still refused by
            # Judgement.clean() and the database: this only spares the editor a refused save.
            problems = areas_offered(obj.framework, obj.start_date, obj.event_type)
            grades = set(grades_for(obj.framework))
            form_fields = formset.form.base_fields
            area_choices = [("", "---------")] + [c for c in Area.choices if c[0] in problems]
            form_fields["area"].widget = AreaSelect(choices=area_choices, problems=problems)
            form_fields["area"].choices = area_choices
            form_fields["grade"].choices = [("", "---------")] + [c for c in Grade.choices if c[0] in grades]
        return formset

class FindingInline(admin.StackedInline):
    model = Finding
    extra = 0
    fields = [("kind", "area", "order", "page"), "text", "source"]
    autocomplete_fields = ["source"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 100})}}


class DisagreementInline(admin.TabularInline):
    """Where the sources differ on this inspection, as the importers found it; the record keeps the first value.

    Read only: the importers write these from the files, and a re-import would bring back a deleted one. An
    editor settles a disagreement by correcting the record above (with a note saying which source is right).
    """

    model = Disagreement
    fk_name = "inspection"
    extra = 0
    can_delete = False
    fields = readonly_fields = ["subject_label", "kept_value", "kept_source", "other_value", "other_source"]
    verbose_name = "disagreement between sources"
    verbose_name_plural = "sources disagree"

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="subject")
    def subject_label(self, obj):
        return obj.subject_label


@admin.register(Inspection)
class InspectionAdmin(TrackerAdmin):
    # Short names and one dates column, so that the list and its filters fit a laptop's 1280 px.
    list_display = ["council", "event_type", "framework_name", "dates", "lead_inspector", "status"]
    list_filter = ["status", "framework", "event_type", ("council__region", admin.RelatedOnlyFieldListFilter), YearFilter, GradeFilter]
    search_fields = ["council__name", "lead_inspector", "theme", "findings__text"]
    search_help_text = "Council, lead inspector, theme or the text of a finding."
    date_hierarchy = "start_date"
    autocomplete_fields = ["council", "sources"]
    readonly_fields = ["origin", "created", "updated"]
    list_select_related = ["council"]
    inlines = [JudgementInline, FindingInline, DisagreementInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["council", ("event_type", "framework"), "theme", "visit_number", "status"]}),
        ("Dates", {"fields": [("start_date", "end_date", "date_precision"), "published_date"]}),
        ("Report", {"fields": ["lead_inspector", "report_url", "summary", "public_note", "notes", "sources"]}),
        ("Record", {"fields": ["origin", "created", "updated"], "classes": ["collapse"]}),
    ]

    class Media:
        js = ["inspections/js/judgement_choices.js"]

    @admin.display(description="framework", ordering="framework")
    def framework_name(self, obj):
        return framework_words(obj.framework, obj.start_date)

    @admin.display(description="dates", ordering="start_date")
    def dates(self, obj):
        return obj.dates_display

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "judgement_rules": rules_for_browser()}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path("deleted/", self.admin_site.admin_view(self.deleted_view), name="inspections_inspection_deleted"),
            path(
                "import-report/",
                self.admin_site.admin_view(self.import_report_view),
                name="inspections_inspection_import_report",
            ),
        ] + super().get_urls()

    def import_report_view(self, request):
        """Upload an Ofsted report PDF: a new inspection becomes a draft to check; for one already recorded, the
        editor applies the differences they choose; where several may be the one, the editor says which."""
        step = request.POST.get("step", "read") if request.method == "POST" else "read"
        if step == "apply":
            return self._apply_report(request)
        if not self.has_add_permission(request):
            raise PermissionDenied
        if step == "choose":
            return self._choose_inspection(request)
        form = ReportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                uploaded = read_report(form.cleaned_data["report"])
                candidates = matching_inspections(uploaded)
                if not candidates:
                    return self._draft_made(request, create_draft(uploaded, request.user))
            except ReportError as error:
                form.add_error("report", str(error))
            else:
                if len(candidates) == 1:
                    return self._differences_page(request, uploaded, candidates[0])
                reading = ReadingForm.sign(uploaded, candidates, "choose")
                return self._import_page(request, uploaded=uploaded, candidates=candidates, reading=reading)
        return self._import_page(request, form=form)

    def _choose_inspection(self, request):
        reading = ReadingForm(request.POST, purpose="choose")
        if not reading.is_valid():
            return self._import_page(request, problems=reading.errors["reading"])
        uploaded, candidate_ids = reading.cleaned_data["reading"]
        chosen = request.POST.get("inspection", "")
        if chosen == "new":
            try:
                return self._draft_made(request, create_draft(uploaded, request.user))
            except ReportError as error:
                return self._import_page(request, problems=[str(error)])
        candidates = list(Inspection.objects.filter(pk__in=candidate_ids).select_related("council").order_by("pk"))
        inspection = next((candidate for candidate in candidates if str(candidate.pk) == chosen), None)
        if inspection is None:
            return self._import_page(
                request,
                uploaded=uploaded,
                candidates=candidates,
                reading=request.POST["reading"],
                problems=["Choose the inspection the report is about, or say it is a different inspection."],
            )
        return self._differences_page(request, uploaded, inspection)

    def _apply_report(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        reading = ReadingForm(request.POST, purpose="apply")
        if not reading.is_valid():
            return self._import_page(request, problems=reading.errors["reading"])
        uploaded, (inspection_id,) = reading.cleaned_data["reading"]
        inspection = Inspection.objects.filter(pk=inspection_id).select_related("council").first()
        if inspection is None:
            return self._import_page(request, problems=["The inspection has been deleted since the report was read."])
        if not self.has_change_permission(request, inspection):
            raise PermissionDenied
        chosen = request.POST.getlist("apply")
        if not chosen:
            return self._differences_page(request, uploaded, inspection, ["Tick the differences to apply."])
        try:
            applied = apply_differences(inspection, uploaded, chosen, request.user)
        except ValidationError as error:
            inspection.refresh_from_db()
            problem = f"Nothing was saved: {validation_message(error)}"
            return self._differences_page(request, uploaded, inspection, [problem])
        except IntegrityError as error:
            inspection.refresh_from_db()
            return self._differences_page(request, uploaded, inspection, [f"Nothing was saved: {error}."])
        if not applied:
            problem = "The ticked differences no longer hold (the inspection has changed since): nothing was saved."
            return self._differences_page(request, uploaded, inspection, [problem])
        self.message_user(
            request,
            f"{uploaded.change_reason}: " + ", ".join(difference.field for difference in applied) + ".",
            messages.SUCCESS,
        )
        return redirect(reverse("admin:inspections_inspection_change", args=[inspection.pk]))

    def _draft_made(self, request, inspection):
        self.message_user(
            request,
            f"Read the report into a draft: check every field against the PDF, then publish it. ({inspection})",
            messages.SUCCESS,
        )
        return redirect(reverse("admin:inspections_inspection_change", args=[inspection.pk]))

    def _differences_page(self, request, uploaded, inspection, problems=()):
        return self._import_page(
            request,
            uploaded=uploaded,
            inspection=inspection,
            differences=differences(inspection, uploaded),
            reading=ReadingForm.sign(uploaded, [inspection], "apply"),
            problems=problems,
            can_apply=self.has_change_permission(request, inspection),
        )

    def _import_page(self, request, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import an Ofsted report",
            "form": context.pop("form", None) or ReportUploadForm(),
            **context,
        }
        return TemplateResponse(request, "admin/inspections/inspection/import_report.html", context)

    def deleted_view(self, request):
        """Deleted inspections, each with a button that restores it with its judgements and findings."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            inspection_id = request.POST.get("inspection_id", "")
            try:
                inspection, judgements, findings = restore_inspection(int(inspection_id))
            except (ValueError, Inspection.DoesNotExist):
                self.message_user(request, f"There is no deleted inspection #{inspection_id} to restore.", messages.ERROR)
                return redirect("admin:inspections_inspection_deleted")
            self.message_user(
                request,
                f"Restored {inspection} with {judgements} judgement(s) and {findings} finding(s).",
                messages.SUCCESS,
            )
            return redirect(reverse("admin:inspections_inspection_change", args=[inspection.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Deleted inspections",
            "records": deleted_inspections()[:200],
        }
        return TemplateResponse(request, "admin/inspections/inspection/deleted.html", context)

    @admin.action(description="Publish the selected inspections", permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Inspection.Status.PUBLISHED, "published")

    @admin.action(description="Return the selected inspections to draft", permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Inspection.Status.DRAFT, "returned to draft")

    def _set_status(self, request, queryset, status, verb):
        # Saved one by one, not with update(), so that each change is recorded in the history.
        changed = 0
        for inspection in queryset.exclude(status=status):
            inspection.status = status
            inspection._change_reason = f"{verb.capitalize()} from the list"
            inspection.save()
            changed += 1
        self.message_user(
            request,
            ngettext("%d inspection %s.", "%d inspections %s.", changed) % (changed, verb),
            messages.SUCCESS,
        )


@admin.register(Judgement)
class JudgementAdmin(TrackerAdmin):
    list_display = ["inspection", "area", "grade", "previous_grade", "change"]
    list_filter = ["framework", "area", "grade"]
    search_fields = ["inspection__council__name"]
    autocomplete_fields = ["inspection", "source"]
    list_select_related = ["inspection__council"]

    def get_queryset(self, request):
        # Editors see what each grade does to the council's record, by the rules the public pages use.
        return grades.with_previous(super().get_queryset(request))

    @admin.display(description="previous grade (same area or the one it replaced)", ordering="previous_grade")
    def previous_grade(self, obj):
        return Grade(obj.previous_grade).label if obj.previous_grade else "–"

    @admin.display(description="change", ordering="change")
    def change(self, obj):
        return grades.GradeChange(obj.change).label


@admin.register(Disagreement)
class DisagreementAdmin(admin.ModelAdmin):
    """Every place the sources differ, across councils: the editors' list of facts to check against the reports."""

    list_display = ["inspection", "subject_label", "kept_value", "kept_source", "other_value", "other_source"]
    list_filter = ["subject", "other_source__kind"]
    search_fields = ["inspection__council__name", "kept_value", "other_value"]
    search_help_text = "Council, or either value."
    list_select_related = ["inspection__council", "kept_source", "other_source"]
    readonly_fields = ["inspection", "subject", "kept_value", "kept_source", "other_value", "other_source"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="subject", ordering="subject")
    def subject_label(self, obj):
        return obj.subject_label


@admin.register(Finding)
class FindingAdmin(TrackerAdmin):
    list_display = ["inspection", "kind", "area", "order", "text"]
    list_filter = ["kind", "area"]
    search_fields = ["text", "inspection__council__name"]
    autocomplete_fields = ["inspection", "source"]
    list_select_related = ["inspection__council"]


@admin.register(Source)
class SourceAdmin(TrackerAdmin):
    list_display = ["title", "kind", "publisher", "published_date"]
    list_filter = ["kind", "publisher"]
    search_fields = ["title", "publisher", "key", "url"]
    prepopulated_fields = {"key": ["title"]}


@admin.register(KeyFigure)
class KeyFigureAdmin(TrackerAdmin):
    list_display = ["council", "metric", "value", "missing_code", "unit", "date"]
    list_filter = ["metric", "unit"]
    search_fields = ["council__name", "metric"]
    autocomplete_fields = ["council", "source", "also_reported_by"]
    list_select_related = ["council", "source"]
    readonly_fields = ["origin"]
