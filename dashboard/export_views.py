"""The CSV exports: a page listing the datasets with their data dictionary, and the streamed files."""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render

from inspections.exports import DATASETS, InvalidFilters, accepts_parameter, csv_lines, filename, filtered_queryset


def export_index(request):
    filters = request.GET.copy()
    filters.pop("bom", None)
    datasets = []
    problems = []
    for dataset in DATASETS.values():
        own = filters.copy()
        for name in list(own):
            if not accepts_parameter(dataset, name):
                own.pop(name)
        try:
            count = filtered_queryset(dataset, own).order_by().count()
        except InvalidFilters as error:
            problems.extend(error.problems)
            count = None
        datasets.append({"dataset": dataset, "count": count, "query": own.urlencode()})
    return render(
        request,
        "dashboard/export_index.html",
        {"datasets": datasets, "problems": sorted(set(problems)), "filters": filters},
        status=400 if problems else 200,
    )


def export_csv(request, name):
    dataset = DATASETS.get(name)
    if dataset is None:
        raise Http404(f"There is no dataset called {name}.")
    try:
        queryset = filtered_queryset(dataset, request.GET)
    except InvalidFilters as error:
        return render(
            request,
            "dashboard/export_error.html",
            {"dataset": dataset, "problems": error.problems},
            status=400,
        )
    bom = request.GET.get("bom") in {"1", "true", "yes", "on"}
    response = StreamingHttpResponse(csv_lines(dataset, queryset, bom=bom), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(dataset)}"'
    return response
