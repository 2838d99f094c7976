"""Keyset pagination (inspections/keyset.py): every row once and in order across pages, whatever the order's
empty values and ties; a cursor that is damaged, or made for another list or order, refused."""

import datetime

import pytest
from django.db.models import F

from inspections import keyset
from inspections.models import Inspection
from tests.factories import CouncilFactory, InspectionFactory

pytestmark = pytest.mark.django_db

EARLY, LATE = datetime.date(2019, 3, 4), datetime.date(2021, 5, 10)


@pytest.fixture
def inspections():
    """Dates and council names that tie: only the primary key tells some rows apart, and some dates are empty."""
    return [
        InspectionFactory(council=CouncilFactory(name=name), start_date=start_date, end_date=None, published_date=None)
        for start_date in (LATE, None, EARLY, LATE, None, EARLY, LATE)
        for name in ("Hackney", "Camden")
    ]


def expected(rows, date_descending):
    """The order in Python: dates (empty last either way), then council name, then primary key."""
    dated = sorted((r for r in rows if r.start_date), key=lambda r: (r.council.name, r.pk))
    dated.sort(key=lambda r: r.start_date, reverse=date_descending)  # stable: name and key stay in order
    undated = sorted((r for r in rows if not r.start_date), key=lambda r: (r.council.name, r.pk))
    return [r.pk for r in dated + undated]


def walk(rows, size):
    """Every page's rows, following each page's cursor to the next."""
    pages, cursor = [], ""
    while True:
        page, cursor = rows.page(cursor, size)
        pages.append([row.pk for row in page])
        if cursor is None:
            return pages


@pytest.mark.parametrize("date_descending", [False, True])
@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_every_row_once_in_order_across_pages_with_empty_values_and_ties(inspections, date_descending, size):
    date = F("start_date").desc(nulls_last=True) if date_descending else F("start_date").asc(nulls_last=True)
    rows = keyset.Keyset(Inspection.objects.order_by(date, "council__name"), list_name="inspections")
    pages = walk(rows, size)
    assert [pk for page in pages for pk in page] == expected(inspections, date_descending)
    assert all(len(page) == size for page in pages[:-1]) and 1 <= len(pages[-1]) <= size


def test_numbered_pages_and_pages_from_a_cursor_agree(inspections):
    paginator = keyset.KeysetPaginator(
        Inspection.objects.order_by(F("start_date").desc(nulls_last=True)), 3, len(inspections), list_name="inspections"
    )
    for number in paginator.page_range[:-1]:
        cursor = paginator.page(number).next_cursor
        assert cursor
        following = paginator.page_from(number + 1, cursor)
        assert following.number == number + 1
        assert list(following) == list(paginator.page(number + 1))
    assert paginator.page(paginator.num_pages).next_cursor is None


@pytest.fixture
def cursor(inspections):
    return keyset.Keyset(Inspection.objects.order_by("start_date"), list_name="inspections").page("", 2)[1]


def test_a_tampered_cursor_is_refused(cursor):
    rows = keyset.Keyset(Inspection.objects.order_by("start_date"), list_name="inspections")
    assert rows.page(cursor, 2)[0]  # the genuine one is good
    for tampered in (cursor[:-3] + "xyz", "abc", keyset.sign("not a cursor"), keyset.sign({"after": "2019-03-04"})):
        with pytest.raises(keyset.DamagedCursor):
            rows.page(tampered, 2)


def test_values_that_do_not_fit_the_order_are_refused(cursor):
    rows = keyset.Keyset(Inspection.objects.order_by("start_date"), list_name="inspections")
    content = keyset.unsign(cursor)
    for values in (["Camden", content["after"][1]], [content["after"][0], "3"]):
        with pytest.raises(keyset.DamagedCursor):
            rows.page(keyset.sign({**content, "after": values}), 2)


def test_a_cursor_of_another_list_or_order_is_refused(cursor):
    for other in (
        keyset.Keyset(Inspection.objects.order_by("start_date"), list_name="judgements"),
        keyset.Keyset(Inspection.objects.order_by("-start_date"), list_name="inspections"),
        keyset.Keyset(Inspection.objects.order_by("start_date", "council__name"), list_name="inspections"),
    ):
        with pytest.raises(keyset.ForeignCursor):
            other.page(cursor, 2)

