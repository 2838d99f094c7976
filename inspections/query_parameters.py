"""The one policy for the query parameters of every list, and the words of every problem with them.

The lists are the council list and the findings search (pages), the CSV exports and the page that lists them
(/export/), and the API's lists. Each asks this module what its query may hold and what is wrong with it, so
that the same bad parameter gets the same answer everywhere: a 400 with the same message.

The rule:

1. A list takes its FilterSet's filters (a date range is two parameters, <name>_after and <name>_before,
   inclusive) and its own parameters, declared below (a page's `page`, the map's area, an export's `bom`, the
   API's `cursor` and `page_size`). /export/ takes the filters of every dataset, and passes each its own.
2. Any other parameter is refused, named: a misspelt filter (?grdae=good) would otherwise answer every row as
   if it had been applied.
3. A value a list cannot use is refused too. Every problem of a query is reported at once, in the order the
   query gave the parameters.
4. Except the parameters links pick up on their way to the site, which say where a reader came from, not
   what to list: campaign tags (utm_*) and the click identifiers that advertising and mail services add
   (fbclid, gclid, ...). Every address ignores them; for the public pages the site drops them before the
   page cache or the view reads the query (inspection_tracker/middleware.py), so that they neither make a
   stored page of their own nor end up in the links a stored page holds.

Each problem is keyed by the parameter as the reader typed it (start_date_after, not the form's start_date),
and a bad value's message starts with the parameter's label in the words of the page's form ("Last full
inspection (from): Enter a real date ..."): one text for the page's error summary, the export's error page
and the API's errors.

Pages that list nothing (the overview, whose map names the area it draws; a council's or an inspection's page,
coverage, the feeds) and the API's records (/api/inspections/<id>/) filter no rows, so no parameter there can
look applied when it was not: they ignore what they do not read. The pages' `page` is lenient, as Django's
Paginator.get_page is: a page number out of range shows the nearest page.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from . import keyset

# -- The words -----------------------------------------------------------------------------------------------

UNKNOWN = "“{name}” is not a filter of this list: check its spelling, or leave it out."
INVALID_CHOICE = "“%(value)s” is not one of the options: choose one from the list."
INVALID_MODEL_CHOICE = "That is not one of the options: choose one from the list."
INVALID_DATE = "Enter a real date as year-month-day, like 2024-03-31."
# A date range's two ends, as the pages' forms label their inputs (templates/dashboard/_field.html).
RANGE_ENDS = {"after": "from", "before": "to"}

# -- Each list's own parameters, beside its FilterSet's filters ----------------------------------------------

PAGE = "page"
MAP = "map"  # the judgement area the council list's map shows (dashboard/maps.py: MapAreaForm)
BOM = "bom"  # a CSV export that starts with a byte-order mark, for Excel
CURSOR = keyset.PARAMETER  # the page after a given row: the findings search's "Next", the API's next page
PAGE_SIZE = "page_size"  # rows per page of the API

COUNCIL_LIST = (PAGE, MAP)
FINDING_SEARCH = (PAGE, CURSOR)
EXPORT = (BOM,)
EXPORT_INDEX = ()
API_LIST = (CURSOR, PAGE_SIZE)

# -- Ignored everywhere (rule 4) -----------------------------------------------------------------------------

IGNORED_PREFIXES = ("utm_",)
IGNORED_NAMES = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga", "_gl"})


def is_ignored(name):
    return name.startswith(IGNORED_PREFIXES) or name in IGNORED_NAMES


def without_ignored(query):
    """The query without the parameters every address ignores (the same QueryDict when it has none)."""
    if not any(is_ignored(name) for name in query):
        return query
    kept = query.copy()
    for name in [name for name in kept if is_ignored(name)]:
        del kept[name]
    return QueryDict(kept.urlencode(), encoding=query.encoding)  # immutable, as a request's query is


# -- The problems --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    parameter: str  # as the reader typed it
    message: str  # in the reader's words, labelled
    field: str | None = None  # the form field it is the input of, for a page's link to it; None: no field
    part: int | None = None  # which input of the field's (0 from, 1 to), for a date range


class BadQuery(ValueError):
    """A query a list cannot answer: `problems`, every one of them."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(f"{problem.parameter}: {problem.message}" for problem in problems))


def is_filter(filterset_class, name):
    """Whether a query parameter is one of the FilterSet's filters (a date range is two: _after, _before)."""
    filters = filterset_class.base_filters
    if name in filters:
        return True
    return any(name.endswith(f"_{end}") and name[: -len(end) - 1] in filters for end in RANGE_ENDS)


def unknown(query, filterset_classes, own):
    """A problem for each parameter of `query` that is neither one of the FilterSets' filters nor in `own`."""
    return [
        Problem(name, UNKNOWN.format(name=name))
        for name in query
        if not (is_ignored(name) or name in own or any(is_filter(cls, name) for cls in filterset_classes))
    ]


def form_problems(form):
    """A problem for each invalid value of a (filter) form, under the parameter the query sent: a date range's
    under <name>_after or <name>_before, whichever is wrong, not the range's own name."""
    problems = []
    for name, messages in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else name
        is_range = isinstance(field, forms.MultiValueField)
        parts = range_problems(form, name, field, label) if is_range else []
        # A range wrong as a whole (no part wrong by itself) is linked to its first input.
        whole = [Problem(name, f"{label}: {message}", field=name, part=0 if is_range else None) for message in messages]
        problems.extend(parts or whole)
    return problems


def range_problems(form, name, field, label):
    problems = []
    for index, (end, part) in enumerate(zip(field.widget.suffixes, field.fields)):
        parameter = f"{name}_{end}"
        try:
            part.clean(form.data.get(parameter))
        except ValidationError as error:
            words = f"{label} ({RANGE_ENDS[end]})"
            problems.extend(Problem(parameter, f"{words}: {message}", field=name, part=index) for message in error.messages)
    return problems


def in_query_order(problems, query):
    order = {name: index for index, name in enumerate(query)}
    return sorted(problems, key=lambda problem: order.get(problem.parameter, len(order)))


def problems(query, filterset, own):
    """Every problem of a list's query: parameters it does not take, and values its FilterSet cannot use."""
    found = unknown(query, [type(filterset)], own)
    if filterset.is_bound and not filterset.is_valid():
        found += form_problems(filterset.form)
    return in_query_order(found, query)


def filtered(query, filterset, own):
    """The FilterSet's rows for the query, or BadQuery with its problems."""
    found = problems(query, filterset, own)
    if found:
        raise BadQuery(found)
    return filterset.qs
