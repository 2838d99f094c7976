from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Finding, Inspection, Judgement, KeyFigure, Source


class JudgementInline(admin.TabularInline):
    model = Judgement
    extra = 0
    autocomplete_fields = ["source"]


class FindingInline(admin.StackedInline):
    model = Finding
    extra = 0
    fields = [("kind", "area", "order"), "text", "source"]
    autocomplete_fields = ["source"]


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["council", "event_type", "framework", "start_date", "end_date", "lead_inspector", "status"]
    list_filter = ["status", "framework", "event_type", "council__region"]
    search_fields = ["council__name", "lead_inspector", "theme", "findings__text"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["council", "sources"]
    readonly_fields = ["origin", "created", "updated"]
    inlines = [JudgementInline, FindingInline]
    fieldsets = [
        (None, {"fields": ["council", ("event_type", "framework"), "theme", "visit_number", "status"]}),
        ("Dates", {"fields": [("start_date", "end_date", "date_precision"), "published_date"]}),
        ("Report", {"fields": ["lead_inspector", "report_url", "summary", "notes", "sources"]}),
        ("Record", {"fields": ["origin", "created", "updated"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("council")


@admin.register(Judgement)
class JudgementAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "area", "grade"]
    list_filter = ["framework", "area", "grade"]
    search_fields = ["inspection__council__name"]
    autocomplete_fields = ["inspection", "source"]
    list_select_related = ["inspection__council"]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "kind", "area", "order", "text"]
    list_filter = ["kind", "area"]
    search_fields = ["text", "inspection__council__name"]
    autocomplete_fields = ["inspection", "source"]
    list_select_related = ["inspection__council"]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "publisher", "published_date"]
    list_filter = ["kind", "publisher"]
    search_fields = ["title", "publisher", "key", "url"]
    prepopulated_fields = {"key": ["title"]}


@admin.register(KeyFigure)
class KeyFigureAdmin(SimpleHistoryAdmin):
    list_display = ["council", "metric", "value", "missing_code", "unit", "date"]
    list_filter = ["metric", "unit"]
    search_fields = ["council__name", "metric"]
    autocomplete_fields = ["council", "source"]
    list_select_related = ["council", "source"]
    readonly_fields = ["origin"]
