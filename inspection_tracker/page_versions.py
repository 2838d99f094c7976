"""What each public page shows, for the page cache: the data versions (inspections/national_cache.py) it is
stored and answered conditionally under, read in one query a request.

A council's pages are kept under the versions of the councils they show, so a change to one council
renders afresh its pages and the pages that show it, and leaves every other council's pages stored. Every
other page shows national figures or lists that may hold any council, and is kept under the national
version, which every change changes: a page added to the site is national until it is listed here.
"""

from django.db.models import Q

from councils.models import Council, StatisticalNeighbour
from dashboard.views import MAX_ID
from inspections import national_cache
from inspections.models import Inspection


def shown_on_council_page(slug):
    """The council, the councils of its comparison tables (its statistical neighbours, its region's councils)
    and the councils it names as its successors or predecessors."""
    successions = Council.successors.through.objects
    return Council.objects.filter(
        Q(slug=slug)
        | Q(region__in=Council.objects.filter(slug=slug).values("region"))
        | Q(pk__in=StatisticalNeighbour.objects.filter(council__slug=slug).values("neighbour"))
        | Q(pk__in=successions.filter(from_council__slug=slug).values("to_council"))
        | Q(pk__in=successions.filter(to_council__slug=slug).values("from_council"))
    ).values("pk")


def shown_on_inspection_page(pk):
    """The inspection's council (the page shows its other inspections too, but no other council)."""
    return Inspection.objects.filter(pk=pk).values("council") if pk <= MAX_ID else Inspection.objects.none()


# By the name of the page's address: the councils it shows, from the address's arguments.
COUNCILS_SHOWN = {
    "council-detail": shown_on_council_page,
    "inspection-detail": shown_on_inspection_page,
}


def state(request):
    """The versions of what the page at this request's address shows, and when it last changed."""
    match = request.resolver_match
    shown = COUNCILS_SHOWN.get(match.url_name)
    return national_cache.state(None if shown is None else shown(**match.kwargs))
