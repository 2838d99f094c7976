"""The grade map on the overview and the council list: a linked shape per current council, coloured and
patterned by its latest grade in the chosen judgement area, the same data as a table, and a 400 for an
area that is not one of the options."""

import datetime
import re

import pytest
from django.urls import reverse

from dashboard import charts, views
from inspections.frameworks import Area, EventType, Framework, Grade
from tests.histories import inspection

pytestmark = pytest.mark.django_db


def square(x):
    return f"M{x} 0l10 0 0 10-10 0z"


@pytest.fixture
def boundaries(history, monkeypatch):
    """Made-up shapes for the test councils (their codes are the factories'), London's drawn in the inset too."""
    areas = {
        history.council.ons_code: {"name": "Tower Hamlets", "d": square(0), "inset_d": square(100)},
        history.hackney.ons_code: {"name": "Hackney", "d": square(20), "inset_d": square(120)},
        history.camden.ons_code: {"name": "Camden", "d": square(40), "inset_d": square(140)},
        history.former.ons_code: {"name": "Northamptonshire", "d": square(60)},
        # Manchester has none: it is listed, not drawn.
    }
    data = {
        "viewBox": "0 0 200 100",
        "inset": {"label": "London", "frame": [90, 0, 80, 40], "area": [0, 0, 50, 10]},
        "areas": areas,
        "source": {
            "boundaries": {
                "publisher": "Office for National Statistics",
                "year": "2023",
                "licence": "Open Government Licence v3.0",
                "notice": "Contains OS data © Crown copyright and database right 2023",
            },
            "lookup": {"year": "2023"},
        },
    }
    monkeypatch.setattr(views, "shipped_boundaries", lambda: data)
    return data


def shapes(html):
    """[(href, title, fill)] of the map's council links, in the order drawn."""
    return re.findall(r'<a href="([^"]+)" class="app-map__council"><title>([^<]+)</title><path d="[^"]+" fill="([^"]+)"/></a>', html)


def get(client, name, params=None, status=200):
    response = client.get(reverse(name), params or {})
    assert response.status_code == status
    return response.content.decode()


@pytest.mark.parametrize("page", ["overview", "council-list"])
def test_a_linked_shape_for_every_current_council_with_a_boundary(client, history, boundaries, page):
    html = get(client, page)
    drawn = {href: (title, fill) for href, title, fill in shapes(html)}
    assert set(drawn) == {c.get_absolute_url() for c in (history.council, history.hackney, history.camden)}
    assert drawn["/councils/tower-hamlets/"] == (
        "Tower Hamlets: Outstanding (given 11 November 2024)",
        "url(#map-fill-outstanding)",
    )
    assert drawn["/councils/hackney/"][1] == "url(#map-fill-requires_improvement)"
    # London's boroughs are links in the inset only; on the map of England they are drawn, not linked.
    assert 'class="app-map__context" aria-hidden="true"' in html
    assert html.count('href="/councils/hackney/" class="app-map__council"') == 1
    # The former council is neither drawn nor listed; Manchester, with no boundary, is listed and named.
    section = html[html.index('<section class="app-map-section"') :]
    assert "/councils/northamptonshire/" not in section[: section.index("</section>")]
    assert "Not on the map (no boundary is recorded for it): Manchester." in html


def test_the_table_holds_the_same_data(client, history, boundaries):
    html = get(client, "overview")
    table = html[html.index('id="map-caption"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<th scope="row" class="govuk-table__header"><a class="govuk-link" href="([^"]+)">', table)
    assert rows == ["/councils/camden/", "/councils/hackney/", "/councils/manchester/", "/councils/tower-hamlets/"]
    assert "11 November 2024" in table and "Outstanding" in table and "London" in table


def test_grades_have_the_charts_colours_and_patterns(client, history, boundaries):
    html = get(client, "overview")
    for grade in (Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT):
        pattern = re.search(rf'<pattern id="map-fill-{grade}".*?</pattern>', html, re.S).group(0)
        assert f'fill="{charts.GRADE_COLOURS[grade]}"' in pattern
    good = re.search(r'<pattern id="map-fill-good".*?</pattern>', html, re.S).group(0)
    assert '<path d="M-2 2L2-2M0 8L8 0M6 10L10 6"' in good  # "/" as in the charts
    requires_improvement = re.search(r'<pattern id="map-fill-requires_improvement".*?</pattern>', html, re.S).group(0)
    assert "<circle" in requires_improvement  # "." as in the charts
    outstanding = re.search(r'<pattern id="map-fill-outstanding".*?</pattern>', html, re.S).group(0)
    assert "<path" not in outstanding and "<circle" not in outstanding  # plain, as in the charts
    legend = html[html.index('class="govuk-list app-map__legend"') :]
    assert "Outstanding: 1 council<" in legend and "Good: 2 councils<" in legend


def test_the_judgement_area_is_chosen_in_the_query(client, history, boundaries):
    html = get(client, "overview", {"map": "leaders"})
    assert "Map of the current leaders grades" in html
    drawn = {href: (title, fill) for href, title, fill in shapes(html)}
    assert drawn["/councils/hackney/"] == ("Hackney: Good (given 3 June 2024)", "url(#map-fill-good)")
    # Camden's latest inspection judged leaders, but our sources give only its overall grade.
    assert drawn["/councils/camden/"] == ("Camden: Not recorded", "url(#map-fill-not_graded)")
    assert '<option value="leaders" selected>Leaders</option>' in html


def test_a_grade_from_before_the_latest_inspection_is_history_not_a_colour(client, history, boundaries):
    # From April 2026 Ofsted gives no overall grade: Hackney's 2024 overall grade is history, named in
    # words; Hackney has the not-given fill of its own, never the colour of that earlier grade.
    inspection(
        history.hackney,
        EventType.STANDARD_INSPECTION,
        Framework.ILACS,
        datetime.date(2026, 5, 11),
        datetime.date(2026, 5, 22),
        grades={Area.LEADERSHIP: Grade.GOOD},
    )
    html = get(client, "overview", {"map": "overall_effectiveness"})
    drawn = {href: (title, fill) for href, title, fill in shapes(html)}
    assert drawn["/councils/hackney/"] == (
        "Hackney: Not given under the 2026 framework (last given: requires improvement to be good, 3 June 2024)",
        "url(#map-fill-not_given)",
    )
    assert "Last given: requires improvement to be good, 3 June 2024" in html  # in the table too
    legend = html[html.index('class="govuk-list app-map__legend"') :]
    assert "Not given (2026 framework): 1 council<" in legend
    assert "Requires improvement to be good:" not in legend[: legend.index("</ul>")]
    not_given = re.search(r'<pattern id="map-fill-not_given".*?</pattern>', html, re.S).group(0)
    assert f'fill="{charts.NOT_GIVEN_COLOUR}"' in not_given and "<path" in not_given


def test_the_default_area_is_one_every_council_has_a_current_grade_in(client, history, boundaries):
    """Once councils are inspected under the 2026 framework, the map opens on an area they all have."""
    for council in (history.hackney, history.camden, history.council, history.manchester):
        inspection(
            council, EventType.STANDARD_INSPECTION, Framework.ILACS, datetime.date(2026, 5, 11),
            datetime.date(2026, 5, 22), grades={Area.LEADERSHIP: Grade.GOOD, Area.HELP_AND_PROTECTION: Grade.GOOD},
        )  # fmt: skip
    html = get(client, "overview")
    assert "Map of the current leaders grades" in html
    assert '<option value="leaders" selected>Leaders</option>' in html
    assert {fill for _href, _title, fill in shapes(html)} == {"url(#map-fill-good)"}


@pytest.mark.parametrize("page", ["overview", "council-list"])
def test_an_area_that_is_not_an_option_is_a_400_with_the_reason(client, history, boundaries, page):
    html = get(client, page, {"map": "bravery"}, status=400)
    assert "“bravery” is not one of the options: choose one from the list." in html
    assert '<a href="#id_map">' in html
    assert "<title>Error:" in html
    assert shapes(html) == []


def test_the_council_list_keeps_its_filters_when_the_area_changes(client, history, boundaries):
    html = get(client, "council-list", {"region": "E12000007", "sort": "-date", "map": "leaders"})
    form = html[html.index('class="app-map-form"') :]
    form = form[: form.index("</form>")]
    assert '<input type="hidden" name="region" value="E12000007">' in form
    assert '<input type="hidden" name="sort" value="-date">' in form
    assert 'name="map" value="leaders"' not in form  # the select gives it
    filters = html[html.index('class="app-filters"') :]
    assert '<input type="hidden" name="map" value="leaders">' in filters[: filters.index("</form>")]
    # The map is national: the London filter narrows the list, not the map.
    assert len(shapes(html)) == 3


def test_the_page_cites_the_boundaries(client, history, boundaries):
    html = get(client, "overview")
    assert (
        "Boundaries: Office for National Statistics, Local Authority Districts (2023) and Lower Tier to Upper "
        "Tier Local Authority lookup (2023), Open Government Licence v3.0. Contains OS data © Crown copyright "
        "and database right 2023." in html
    )


def test_the_smallest_shapes_have_a_target_big_enough_to_select(client, history, boundaries):
    # Camden drawn as small as the Isles of Scilly are on the map of England: a 1-unit square in a 200-unit map.
    boundaries["areas"][history.camden.ons_code] = {"name": "Camden", "d": "M40 50l1 0 0 1-1 0z"}
    html = get(client, "overview")
    targets = html[html.index('class="app-map__targets"') : html.index('class="app-map__council"')]
    # Beneath every shape (drawn first), out of the tab order and hidden from screen readers: the shape itself
    # stays the keyboard's and the screen reader's link.
    assert 'aria-hidden="true"' in targets[:60]
    found = {
        href: tuple(map(float, numbers))
        for href, *numbers in re.findall(
            r'<a href="([^"]+)" tabindex="-1"><circle cx="([^"]+)" cy="([^"]+)" r="([^"]+)"/>', targets
        )
    }
    cx, cy, radius = found[history.camden.get_absolute_url()]
    assert (cx, cy) == (40.5, 50.5)
    # 24 px across on the narrowest map (340 px for 200 units); the 10-unit squares are smaller than that too.
    assert radius == pytest.approx(12 * 200 / 340, abs=0.1)
    assert history.council.get_absolute_url() in found


def test_the_extent_of_a_boundary_follows_its_relative_lines():
    from dashboard.maps import path_extent, target_circle

    assert path_extent("M462 651l3 2-2 3-4-1z") == (459, 651, 465, 656)
    assert path_extent("M0 0l10 0 0 10z M50 50l1 1z") == (0, 0, 51, 51)
    assert target_circle("M0 0l100 0 0 100-100 0z", 876) is None  # big enough already
