"""The CSV exports: a page listing the datasets with their data dictionary, and the streamed files."""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render

from inspections import query_parameters
from inspections.exports import DATASETS, csv_lines, filename, filtered_queryset


def export_index(request):
    filters = request.GET
    problems = query_parameters.unknown(
        filters, [dataset.filterset_class for dataset in DATASETS.values()], query_parameters.EXPORT_INDEX
    )
    datasets = []
    for dataset in DATASETS.values():
        own = filters.copy()
        for name in list(own):
            if not query_parameters.is_filter(dataset.filterset_class, name):
                own.pop(name)
        try:
            count = filtered_queryset(dataset, own).order_by().count()
        except query_parameters.BadQuery as error:
            problems.extend(error.problems)
            count = None
        datasets.append({"dataset": dataset, "count": count, "query": own.urlencode()})
    # A filter of several datasets may be wrong for each of them alike: said once.
    problems = query_parameters.in_query_order(list(dict.fromkeys(problems)), filters)
    return render(
        request,
        "dashboard/export_index.html",
        {"datasets": datasets, "problems": problems, "filters": filters},
        status=400 if problems else 200,
    )


def export_csv(request, name):
    dataset = DATASETS.get(name)
    if dataset is None:
        raise Http404(f"There is no dataset called {name}.")
    try:
        queryset = filtered_queryset(dataset, request.GET)
    except query_parameters.BadQuery as error:
        return render(
            request,
            "dashboard/export_error.html",
            {"dataset": dataset, "problems": error.problems},
            status=400,
        )
    bom = request.GET.get(query_parameters.BOM) in {"1", "true", "yes", "on"}
    response = StreamingHttpResponse(csv_lines(dataset, queryset, bom=bom), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(dataset)}"'
    return response
