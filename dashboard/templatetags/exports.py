"""Links from the pages to the CSV of what they show, carrying the filters the dataset understands."""

from django import template
from django.http import QueryDict
from django.urls import reverse

from inspections.exports import DATASETS
from inspections.query_parameters import is_filter

register = template.Library()


@register.simple_tag
def export_url(name, params=None, **fixed):
    """/export/<name>.csv with those of `params` (a page's query string) that are the dataset's filters."""
    dataset = DATASETS[name]
    query = QueryDict(mutable=True)
    for key, values in (params or QueryDict()).lists():
        if is_filter(dataset.filterset_class, key):
            query.setlist(key, [value for value in values if value])
    for key, value in fixed.items():
        query[key] = value
    query = QueryDict(query.urlencode(), mutable=True)
    for key in [key for key, values in query.lists() if not any(values)]:
        del query[key]
    url = reverse("export-csv", args=[name])
    return f"{url}?{query.urlencode()}" if query else url
