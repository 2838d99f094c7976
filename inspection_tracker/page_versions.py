"""What each public page shows, for the page cache: the data versions (inspections/national_cache.py) it is
stored and answered conditionally under, read in one query a request.

A council's pages are kept under the versions of the councils they show, so a change to one council
renders afresh its pages and the pages that show it, and leaves every other council's pages stored. Every
other page shows national figures or lists that may hold any council, and is kept under the national
version, which every change changes: a page added to the site is national unless its view says otherwise.
"""

from inspections import national_cache


def state(request):
    """The versions of what the page at this request's address shows, and when it last changed.

    A page that shows some councils only says which, as a function of its address's arguments set on its view
    as `councils_shown` (dashboard/views.py); any other page is national.
    """
    match = request.resolver_match
    shown = getattr(match.func, "councils_shown", None)
    return national_cache.state(None if shown is None else shown(**match.kwargs))
