"""The public pages. Views fetch with a fixed number of queries, apply the rules the models carry, and
hand plain data and Chart objects to templates. See tests/dashboard/test_query_counts.py."""

import hashlib
from collections import Counter, OrderedDict
from pathlib import Path

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, Min, OuterRef, Prefetch, Value
from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils import timezone

from councils.boundaries import shipped_boundaries, with_boundary_code
from councils.lookup import CouncilIndex
from councils.models import Council
from inspections import grades, keyset, national_cache, query_parameters, schedule
from inspections.query_parameters import Problem
from inspections.filtersets import CouncilFilterSet, FindingFilterSet
from inspections.frameworks import (
    FULL_INSPECTION_TYPES,
    GRADED_EVENT_TYPES,
    ILACS_NO_OVERALL_FROM,
    PARTIAL_EVENT_AREAS,
    Area,
    EventType,
    Framework,
    area_wording,
    framework_explained,
    no_longer_judged,
)
from inspections.models import Disagreement, Finding, Inspection, Judgement, KeyFigure, Origin, Source, placed_on_expression

from . import charts, maps
from .council_summary import council_summary
from .forms_ui import CouncilSearchForm, govuk_filter_form

# Columns of the comparison tables: what ILACS judges today, each with the areas that came before it.
COMPARISON_LINES = grades.COUNCIL_LINES[:5]

FINDINGS_PER_PAGE = 50
# Up to this many matches, a search finds its findings first and then sorts them (FindingQuerySet.matches_first);
# beyond, matches are common enough that walking the findings in the page's order finds a page of them soon.
# Measured on PostgreSQL at scale 10 (bench/scale.py): a word matching nothing took 12 s walking, 0.1 s first.
FEW_FINDINGS = 20_000
# The parameters that choose a page of a search, not what it searches for.
PAGING = (query_parameters.PAGE, "sort", query_parameters.CURSOR)
DAMAGED_PAGE_LINK = "This link to a page of findings is damaged: go back to the first page of your search."
COUNCILS_PER_PAGE = 100  # England's 153 councils on two pages


def findings_by_kind(findings, framework=""):
    """Ofsted's findings as [(heading, [findings])] in the order of Finding.Kind, each in report order.

    Statements reported in the press are left out: press_reports_by_source() lists them apart.
    """
    grouped = OrderedDict((kind, []) for kind in Finding.Kind.values if kind != Finding.Kind.PRESS_REPORT)
    for finding in sorted(findings, key=lambda f: (f.order, f.pk)):
        if not finding.is_press_report:
            grouped[finding.kind].append(finding)
    return [(Finding.heading(kind, framework), items) for kind, items in grouped.items() if items]


def press_reports_by_source(findings):
    """Statements reported in the press as [(source, [findings])], by article, each in the article's order."""
    grouped = OrderedDict()
    for finding in sorted(findings, key=lambda f: (f.order, f.pk)):
        if finding.is_press_report:
            grouped.setdefault(finding.source, []).append(finding)
    return list(grouped.items())


# -- Overview ----------------------------------------------------------------------------------------


def overview(request):
    # National aggregates over every council and inspection: computed once per change of the data
    # (national_cache), whatever query string a reader adds; the page itself is stored rendered
    # (inspection_tracker/page_cache.py).
    search_errors = []
    if "q" in request.GET:
        search = CouncilSearchForm(request.GET)
        if search.is_valid():
            return find_council(search.cleaned_data["q"])
        search_errors = [Problem("q", message, field="council_search") for message in search.errors["q"]]
    context = national_cache.cached("overview", overview_data)
    map_part, errors = grade_map_context(request, keep_query=False)
    status = 400 if errors or search_errors else 200
    return render(
        request,
        "dashboard/overview.html",
        {**context, **map_part, "errors": errors, "council_search_errors": search_errors},
        status=status,
    )


def find_council(query):
    """The page of the council a query names exactly (a code, or a whole name however it is written); else
    the council list searched for it, which lists what it finds or suggests the nearest names."""
    council = CouncilIndex().search(query).the_one
    if council is not None:
        return redirect(council)
    return redirect(f"{reverse('council-list')}?{urlencode({'q': query})}")


def current_grades_data():
    """Each current council's region and current grade in each line: [(region name, [LatestGradeFigures])]."""
    councils = list(Council.objects.current().select_related("region"))
    latest = grades.latest_grades_of(councils, grades.COUNCIL_LINES)
    return [
        (council.region.name if council.region else None, [grades.LatestGradeFigures.of(entry) for entry in latest[council.pk]])
        for council in councils
    ]


def current_grades():
    # National, like the overview's aggregates: once per data version, for the overview and the map.
    return national_cache.cached("current-grades", current_grades_data)


def fullest_line():
    """The line every current council has a current grade in (today the impact of leaders): the map's
    and the region chart's default, since the 2026 framework gives no overall grade."""
    return grades.fullest_line([latest for _region, latest in current_grades()], COMPARISON_LINES)


def overview_data():
    current = current_grades()
    region_line = fullest_line()
    pairs = list(
        grades.with_previous(grades.counted_judgements().filter(area=Area.OVERALL_EFFECTIVENESS))
        .exclude(previous_grade=None)
        .values_list("previous_grade", "grade")
    )
    activity = list(Inspection.objects.published().count_by_year_and_type())
    recent = list(Inspection.objects.public().newest_first().prefetch_related("judgements")[:10])
    for inspection in recent:
        inspection.grades_given = [(grades.home_line(j.area).label, j.grade) for j in inspection.judgements_in_report_order()]
    # Said once above the table, not on every row: which framework stopped giving an overall grade, and when.
    recent_overall_ended_by = next(
        (
            ended_by
            for inspection in recent
            if inspection.is_graded
            and (ended_by := no_longer_judged(inspection.framework, grades.OVERALL.areas, inspection.placed_on))
        ),
        "",
    )
    latest_by_council = [latest for _region, latest in current]
    index, overall = grades.COUNCIL_LINES.index(region_line), grades.COUNCIL_LINES.index(grades.OVERALL)
    context = {
        "recent_overall_ended_by": recent_overall_ended_by,
        "no_overall_from": ILACS_NO_OVERALL_FROM,
        "council_count": len(current),
        "not_given_count": sum(
            1 for latest in latest_by_council if latest[overall].status == grades.LatestStatus.NOT_GIVEN
        ),
        "inspection_count": Inspection.objects.published().count(),
        "charts": [
            charts.current_grades_chart(latest_by_council, COMPARISON_LINES),
            charts.region_grades_chart([(region, latest[index]) for region, latest in current], region_line),
            charts.grade_transitions_chart(pairs),
            charts.activity_by_year_chart(activity),
        ],
        "recent": recent,
    }
    return context


# -- The grade map (overview and council list) -------------------------------------------------------


def grade_map_data(line):
    """The map of every current council's current grade in `line`: the same for every page that shows it."""
    boundaries = shipped_boundaries()
    councils = with_boundary_code(
        grades.with_latest_grades(Council.objects.current().select_related("region"), (line,)), boundaries["areas"]
    )
    return maps.grade_map(councils, line, boundaries)


def grade_map_context(request, keep_query, draw=True):
    """The map's part of a page's context, and its problems (query_parameters.Problem) when the chosen area is
    not one of the options.

    keep_query: the map's form carries the page's other query parameters (the council list's filters), so
    that choosing an area keeps them. draw: False when the page shows nothing (its other values are wrong).
    """
    data = request.GET.copy()
    if not data.get("map"):
        data["map"] = fullest_line().key  # shown chosen in the form, as drawn
    form = govuk_filter_form(maps.MapAreaForm(data))
    context = {
        "map_form": form,
        "map_action": request.path,
        "map_keep": [
            (name, value) for name, values in request.GET.lists() if keep_query and name != "map" for value in values
        ],
        "map": None,
    }
    if not form.is_valid():
        return context, query_parameters.form_problems(form)
    if not draw:
        return context, []
    line = form.line()
    # National, like the overview's aggregates: computed once per data version and area, for both pages.
    context["map"] = national_cache.cached(f"map:{line.key}", lambda: grade_map_data(line))
    return context, []


# -- Council list ------------------------------------------------------------------------------------


def list_columns(rows):
    """The lines the council list shows: what ILACS judges, and any other line in which a council on the
    page has a current grade (a council last inspected under an earlier framework)."""
    shown = {entry.line.key for _council, latest in rows for entry in latest if entry.grade}
    return [line for line in grades.COUNCIL_LINES if line in COMPARISON_LINES or line.key in shown]


def council_list(request):
    filterset = CouncilFilterSet(request.GET or None, queryset=Council.objects.select_related("region"))
    errors = query_parameters.problems(request.GET, filterset, query_parameters.COUNCIL_LIST)
    map_part, map_errors = grade_map_context(request, keep_query=True, draw=not errors)
    errors = query_parameters.in_query_order(errors + map_errors, request.GET)
    status = 400 if errors else 200
    page = None
    rows = []
    if status == 200:
        # A page at a time, so that the page costs the same however many councils there are. In the
        # default order (by name) the database reads one stretch of the council_name_order index and
        # works out current grades for those councils only (grades.latest_grades_of: two queries).
        page = Paginator(filterset.qs, COUNCILS_PER_PAGE).get_page(request.GET.get("page"))
        councils = list(page.object_list)
        latest = grades.latest_grades_of(councils, grades.COUNCIL_LINES)
        rows = [(council, latest[council.pk]) for council in councils]
    columns = list_columns(rows)
    context = {
        "filterset": filterset,
        "form": govuk_filter_form(filterset.form),
        "errors": errors,
        "councils": [council for council, _latest in rows],
        "rows": [(council, [latest[grades.COUNCIL_LINES.index(line)] for line in columns]) for council, latest in rows],
        "columns": columns,
        "page": page,
        "total": page.paginator.count if page else 0,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1) if page else [],
        "filtered": any(value for key, value in request.GET.items() if key not in ("sort", *query_parameters.COUNCIL_LIST)),
        **map_part,
    }
    return render(request, "dashboard/council_list.html", context, status=status)


# -- Council page ------------------------------------------------------------------------------------


def comparison_rows(council):
    """Statistical neighbours (in DfE's order) and the region's current councils, each with current grades.

    Three queries: the councils, their full inspections and those inspections' judgements; grades.py's
    rules then run over them as on the council's own page.
    """
    group = list(Council.objects.comparison_group(council).select_related("region").order_by("name"))
    latest_by_council = grades.latest_grades_of(group, COMPARISON_LINES)
    rows = []
    for other in group:
        latest = latest_by_council[other.pk]
        other.latest_full_inspection = latest[0].latest_inspection
        rows.append({"council": other, "grades": latest, "is_self": other.pk == council.pk})
    neighbours = sorted((r for r in rows if r["council"].neighbour_rank), key=lambda r: r["council"].neighbour_rank)
    region = [r for r in rows if r["council"].in_region and (r["council"].is_current or r["is_self"])]
    self_row = next((r for r in rows if r["is_self"]), None)
    if neighbours and self_row:
        neighbours = [self_row, *neighbours]
    return neighbours, region


def councils_on_council_page(slug):
    """What the council page shows (for the page cache's versions): the council and those beside it."""
    return Council.objects.shown_with(slug).values("pk")


def council_detail(request, slug):
    council = get_object_or_404(
        Council.objects.select_related("region").prefetch_related("successors", "predecessors"), slug=slug
    )
    inspections = schedule.timeline_order(
        council.inspections.published().with_details()
    )
    key_figures = list(
        KeyFigure.objects.filter(council=council, metric__in=charts.CONTEXT_METRICS)
        .select_related("source")
        .order_by("metric", "date", "pk")
    )
    today = timezone.localdate()
    x_range = charts.time_axis_range(inspections, key_figures)
    neighbours, region = comparison_rows(council)
    last_full = grades.latest_full_inspection(inspections)
    all_latest = grades.latest_grades(inspections, grades.COUNCIL_LINES)
    summary = council_summary(last_full, all_latest)
    # Each framework is explained where the page first names it: the latest one in the summary at the top.
    explained = {summary.framework} if summary else set()
    timeline = []
    for inspection in inspections:
        words = framework_explained(inspection.framework, inspection.placed_on)
        timeline.append(
            {
                "inspection": inspection,
                "judgements": inspection.judgements_in_report_order(),
                "findings": findings_by_kind(inspection.findings.all(), inspection.framework),
                "press_reports": press_reports_by_source(inspection.findings.all()),
                "framework_explained": "" if words in explained else words,
            }
        )
        explained.add(words)
    latest = [entry for entry in all_latest if entry.last_given]
    context = {
        "council": council,
        "timeline": timeline,
        "last_full": last_full,
        "summary": summary,
        "latest_grades": latest,
        "change_words": grades.CHANGE_WORDS,
        "months_since_last_full": schedule.months_since_last_full_inspection(inspections, today, council),
        "next_due": schedule.next_inspection_due(inspections, today, council),
        "grade_chart": charts.grade_history_chart(inspections, x_range),
        "context_chart": charts.context_indicators_chart(key_figures, inspections, x_range),
        "comparison_columns": [line.label for line in COMPARISON_LINES],
        "neighbours": neighbours,
        "region_rows": region,
        "with_findings": [entry for entry in timeline if entry["findings"] or entry["press_reports"]],
    }
    return render(request, "dashboard/council_detail.html", context)


council_detail.councils_shown = councils_on_council_page


# -- Inspection page ---------------------------------------------------------------------------------


def judgement_rows(inspection, steps):
    """The inspection's judgements in report order, each with its previous grade and change (grades.py)."""
    rows = []
    for judgement in inspection.judgements_in_report_order():
        step = steps[judgement.pk]
        previous = step.previous
        rows.append(
            {
                "area": area_wording(judgement.framework, judgement.area),
                "grade": judgement.grade,
                "previous": previous,
                "previous_area": area_wording(previous.framework, previous.area) if previous else "",
                "previous_inspection": previous.inspection if previous else None,
                "compared_with_other_area": step.compared_with_other_area,
                "change": step.change,
                "different_scale": step.different_scale,
            }
        )
    return rows


MAX_ID = 2**63 - 1  # larger ids cannot exist, and would overflow the database's integer


def inspection_detail(request, pk):
    if pk > MAX_ID:
        raise Http404("No such inspection.")
    inspection = get_object_or_404(
        Inspection.objects.public()
        .with_details()
        .prefetch_related(
            Prefetch("disagreements", queryset=Disagreement.objects.select_related("kept_source", "other_source"))
        ),
        pk=pk,
    )
    siblings = list(
        Inspection.objects.published().filter(council_id=inspection.council_id).prefetch_related("judgements")
    )
    ordered = schedule.timeline_order(siblings)
    position = next((index for index, other in enumerate(ordered) if other.pk == inspection.pk), None)
    if position is None:  # pragma: no cover - the inspection is one of its council's published ones
        raise Http404
    # Prefetching sets each judgement's inspection, so previous grades link to their inspections freely.
    steps = grades.grade_steps(siblings)
    judgements = judgement_rows(ordered[position], steps) if inspection.is_graded else []
    here = (inspection.placed_on, inspection.pk)
    earlier = [i for i in grades.full_inspections(siblings) if here[0] and (i.placed_on, i.pk) < here]
    context = {
        "inspection": inspection,
        "council": inspection.council,
        "judgements": judgements,
        "previous_full": earlier[-1] if earlier else None,
        "change_words": grades.CHANGE_WORDS,
        "findings": findings_by_kind(inspection.findings.all(), inspection.framework),
        "press_reports": press_reports_by_source(inspection.findings.all()),
        "sources": sorted(
            inspection.sources.all(), key=lambda s: (s.published_date is None, s.published_date, s.title)
        ),
        "disagreements": list(inspection.disagreements.all()),
        "previous": ordered[position - 1] if position > 0 else None,
        "next": ordered[position + 1] if position + 1 < len(ordered) else None,
        "position": position + 1,
        "event_count": len(ordered),
    }
    return render(request, "dashboard/inspection_detail.html", context)


def councils_on_inspection_page(pk):
    """The inspection's council (the page shows its other inspections too, but no other council)."""
    inspections = Inspection.objects.filter(pk=pk) if pk <= MAX_ID else Inspection.objects.none()
    return inspections.values("council")


inspection_detail.councils_shown = councils_on_inspection_page


# -- Coverage ----------------------------------------------------------------------------------------

# What the record holds of each group of events (short labels, so the tables fit a phone's width), and which
# kinds of source they draw on (one small table of totals).
COVERAGE_COUNTS = (("events", "Events"), ("dated", "Dated"), ("graded", "Graded"), ("with_findings", "Findings"))
COUNCIL_COUNTS = tuple(column for column in COVERAGE_COUNTS if column[0] != "dated")  # a council's name is wider
COVERAGE_SOURCES = (
    ("from_statistics", "Ofsted's official statistics"),
    ("from_reports", "Ofsted's reports"),
    ("from_datasets", "The history of published reports"),
    ("by_hand", "Our editors"),
)


VISITS = (EventType.FOCUSED_VISIT, EventType.MONITORING_VISIT)


def record_limits():
    """What the record holds and what it lacks, read from the record itself in three queries.

    Full inspections: the first a national source grades (Ofsted's statistics or a report read from the national
    archive), and the councils whose graded record starts earlier (entered by hand). Inspections of one part of
    the services (looked after children's services alone, a safeguarding board alone): how many the reports give.
    Visits: the span the official statistics give, and the councils with visits outside it. Former councils:
    those the record holds no inspection of under the single inspection framework (2013-18), whose reports the
    archive lacks.
    """
    published = Inspection.objects.published()
    graded_from = (
        Judgement.objects.filter(
            inspection__status=Inspection.Status.PUBLISHED,
            inspection__event_type__in=FULL_INSPECTION_TYPES,
            source__kind__in=(Source.Kind.OFSTED_STATISTICS, Source.Kind.OFSTED_REPORT),
        )
        .exclude(inspection__origin=Origin.MANUAL)
        .aggregate(first=Min("inspection__start_date"))["first"]
    )
    events = (
        published.filter(event_type__in=(*VISITS, *GRADED_EVENT_TYPES))
        .annotate(
            placed_date=placed_on_expression(),
            official=Exists(Source.objects.filter(inspections=OuterRef("pk"), kind=Source.Kind.OFSTED_STATISTICS)),
            graded=Exists(Judgement.objects.filter(inspection=OuterRef("pk"))),
        )
        .values_list("council__name", "event_type", "placed_date", "official", "graded")
    )
    visits, earlier, partial = [], set(), Counter()
    for council, event_type, placed_on, official, graded in events:
        if event_type in VISITS:
            visits.append((council, placed_on, official))
        elif event_type not in FULL_INSPECTION_TYPES:
            partial[event_type] += 1
        elif graded and placed_on and graded_from and placed_on < graded_from:
            earlier.add(council)
    official_dates = [placed_on for _, placed_on, official in visits if official and placed_on]
    first, last = (min(official_dates), max(official_dates)) if official_dates else (None, None)
    visits_elsewhere = {
        council
        for council, placed_on, official in visits
        if not official and (first is None or placed_on is None or not first <= placed_on <= last)
    }
    graded_since = (
        Exists(published.full_inspections().filter(council=OuterRef("pk"), start_date__gte=graded_from))
        if graded_from
        else Value(False)
    )
    councils = list(
        Council.objects.annotate(
            graded_since=graded_since,
            sif=Exists(published.full_inspections().filter(council=OuterRef("pk"), framework=Framework.SIF)),
        ).values_list("name", "is_current", "graded_since", "sif")
    )
    return {
        "graded_from": graded_from,
        "graded_councils": sum(1 for _, current, graded, _ in councils if current and graded),
        "current_councils": sum(1 for _, current, _, _ in councils if current),
        "graded_earlier": sorted(earlier),
        "partial_events": [
            (EventType(event_type).label, partial[event_type]) for event_type in PARTIAL_EVENT_AREAS if partial[event_type]
        ],
        "visits_from": first,
        "visits_to": last,
        "official_visits": len(official_dates),
        "visits_elsewhere": sorted(visits_elsewhere),
        "former_without_sif": sorted(name for name, current, _, sif in councils if not current and not sif),
    }


def coverage_data():
    published = Inspection.objects.published()
    by_year = list(published.coverage("year", "event_type"))
    for row in by_year:
        row["event_label"] = EventType(row["event_type"]).label if row["event_type"] in EventType.values else row["event_type"]
    by_year.sort(key=lambda row: (row["year"] is None, row["year"] or 0, row["event_type"]))
    by_council = list(published.coverage("council__slug", "council__name"))
    by_council.sort(key=lambda row: row["council__name"])
    for row in by_year:
        row["counts"] = [(label, row[key]) for key, label in COVERAGE_COUNTS]
    for row in by_council:
        row["counts"] = [(label, row[key]) for key, label in COUNCIL_COUNTS]
    by_source = [(label, sum(row[key] for row in by_year)) for key, label in COVERAGE_SOURCES]
    return {"by_year": by_year, "by_council": by_council, "by_source": by_source, "limits": record_limits()}


def coverage(request):
    # National counts: computed once per data version, like the overview's.
    context = national_cache.cached("coverage", coverage_data)
    return render(request, "dashboard/coverage.html", {**context, "counts": COVERAGE_COUNTS, "council_counts": COUNCIL_COUNTS})


# -- Findings search ---------------------------------------------------------------------------------


def finding_search(request):
    filterset = FindingFilterSet(
        request.GET or None,
        queryset=Finding.objects.published().select_related("inspection", "inspection__council", "source"),
    )
    errors = query_parameters.problems(request.GET, filterset, query_parameters.FINDING_SEARCH)
    status = 400 if errors else 200
    press = status == 200 and filterset.is_bound and filterset.form.cleaned_data.get("said_by") == "press"
    context = {
        "filterset": filterset,
        "form": govuk_filter_form(filterset.form),
        "errors": errors,
        "filtered": any(value for key, value in request.GET.items() if key not in (*PAGING, "said_by")),
        "full_text": connection.vendor == "postgresql",
        "press": press,
    }
    if status == 200:
        findings = filterset.qs
        if not (filterset.form.is_bound and filterset.form.cleaned_data.get("sort")):
            findings = findings.newest_first()
        # The counts per year (the chart) add up to the total, so no separate COUNT(*) over every finding;
        # they are worked out once per search and data version, whichever page is asked for.
        per_year = national_cache.cached(
            f"findings-per-year:{search_key(request)}",
            lambda: list(findings.order_by().count_by_year()),
            using="pages",  # one entry per search: kept with the pages, apart from the national aggregates
        )
        total = sum(row["findings"] for row in per_year)
        if total <= FEW_FINDINGS:
            findings = findings.matches_first(total)
        paginator = keyset.KeysetPaginator(findings, FINDINGS_PER_PAGE, total, list_name="finding-search")
        try:
            page = paginator.page_from(request.GET.get("page"), request.GET.get(query_parameters.CURSOR))
        except keyset.CursorError:
            context["errors"] = [Problem(query_parameters.CURSOR, DAMAGED_PAGE_LINK)]
            return render(request, "dashboard/finding_search.html", context, status=400)
        noun = "statements reported in the press" if press else "findings"
        description = f"{noun} matching your search" if context["filtered"] else f"published {noun}"
        context.update(
            page=page,
            total=total,
            chart=charts.findings_per_year_chart(per_year, description=description),
            page_range=paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        )
    return render(request, "dashboard/finding_search.html", context, status=status)


def search_key(request):
    """The search a request asks for, whatever page and order: its parameters, sorted, as a digest."""
    search = sorted((key, value) for key, values in request.GET.lists() if key not in PAGING for value in values)
    return hashlib.sha256(repr(search).encode()).hexdigest()


# -- Shipped source documents ------------------------------------------------------------------------

DOCUMENT_TYPES = {
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
    ".csv": "text/csv; charset=utf-8",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def source_document(request, key):
    """The copy of a source that ships with the app (Source.document, a path under fixtures/).

    Only a document registered on a source the public pages cite is served, and only from inside
    fixtures/: a path leading elsewhere (.., a link) or to a kind of file not listed is a 404. The file
    is named after the source's key, not our folders.
    """
    source = get_object_or_404(Source.objects.public().exclude(document=""), key=key)
    root = (Path(settings.BASE_DIR) / "fixtures").resolve()
    path = (root / source.document).resolve()
    content_type = DOCUMENT_TYPES.get(path.suffix.lower())
    if content_type is None or not path.is_relative_to(root) or not path.is_file():
        raise Http404("This document is not available.")
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{source.key}{path.suffix.lower()}"'
    return response
