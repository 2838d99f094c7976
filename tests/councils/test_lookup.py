"""Finding a council by the names official files and reports print for it."""

import pytest

from councils.lookup import CouncilIndex, normalise_name
from tests.factories import CouncilFactory


@pytest.mark.parametrize(
    "printed, name",
    [
        ("Kent County Council", "Kent"),  # the 2013 inspections' title pages
        ("Sandwell Metropolitan Borough Council", "Sandwell"),
        ("Medway Council", "Medway"),
        ("Bristol, City of", "Bristol"),
        ("County Durham", "Durham"),
        ("Telford & Wrekin", "Telford and Wrekin"),
        ("London Borough of Tower Hamlets", "Tower Hamlets"),
        ("Saint Helens", "St. Helens"),
        ("The Royal Borough of Greenwich", "Greenwich"),
    ],
)
def test_a_printed_name_is_reduced_to_the_councils(printed, name):
    assert normalise_name(printed) == normalise_name(name)


@pytest.mark.django_db
def test_a_council_is_found_by_the_name_its_report_prints():
    kent = CouncilFactory(name="Kent")
    CouncilFactory(name="Kensington and Chelsea")
    council, problem = CouncilIndex().find(name="Kent County Council")
    assert (council, problem) == (kent, None)


@pytest.fixture
def england(db):
    return {
        council.slug: council
        for council in (
            CouncilFactory(name="Tower Hamlets", slug="tower-hamlets", ofsted_urn="80516", la_code="211", ons_code="E09000030"),
            # The others without DfE codes, so that none is given 211 by the factory.
            CouncilFactory(name="St. Helens", slug="st-helens", la_code=None),
            CouncilFactory(name="Sheffield", slug="sheffield", la_code=None),
            CouncilFactory(name="York", slug="york", la_code=None),
            CouncilFactory(name="North Yorkshire", slug="north-yorkshire", la_code=None),
            CouncilFactory(name="Kent", slug="kent", la_code=None),
            CouncilFactory(name="Kensington and Chelsea", slug="kensington-and-chelsea", la_code=None),
            CouncilFactory(name="Brighton and Hove", slug="brighton-and-hove", la_code=None),
        )
    }


@pytest.mark.parametrize(
    "query, slug",
    [
        ("St Helens", "st-helens"),
        ("saint helens", "st-helens"),
        ("St Helens Metropolitan Borough Council", "st-helens"),
        ("London Borough of Tower Hamlets", "tower-hamlets"),
        ("TOWER-HAMLETS COUNCIL!", "tower-hamlets"),
        ("Royal Borough of Kensington & Chelsea", "kensington-and-chelsea"),
        ("Kent County Council", "kent"),
        ("Brighton & Hove City Council", "brighton-and-hove"),
        ("80516", "tower-hamlets"),
        ("211", "tower-hamlets"),
        ("e09000030", "tower-hamlets"),
    ],
)
def test_a_council_is_named_however_a_person_writes_it(england, query, slug):
    found = CouncilIndex().search(query)
    assert found.the_one == england[slug]
    assert found.councils[0] == england[slug]


@pytest.mark.parametrize(
    "query, slug",
    [("Tower Hamlet", "tower-hamlets"), ("Towr Hamlets", "tower-hamlets"), ("towr", "tower-hamlets"), ("Sheffeld", "sheffield")],
)
def test_part_of_a_name_or_a_one_letter_typo_finds_the_council_without_naming_it(england, query, slug):
    found = CouncilIndex().search(query)
    assert found.councils == [england[slug]]
    assert found.the_one is None  # listed, not gone to


def test_a_whole_name_comes_first_and_names_its_council_among_others_that_hold_it(england):
    found = CouncilIndex().search("York")
    assert found.councils == [england["york"], england["north-yorkshire"]]
    assert found.the_one == england["york"]


def test_a_typo_is_forgiven_only_when_nothing_matches_as_written(england):
    bent = CouncilFactory(name="Bent", la_code=None)  # one letter from "Kent"
    assert CouncilIndex().search("Kent").councils == [england["kent"]]
    assert CouncilIndex().search("Kentt").councils == [england["kent"]]
    assert CouncilIndex().search("Bentt").councils == [bent]


def test_a_query_that_finds_nothing_suggests_the_nearest_names(england):
    found = CouncilIndex().search("Tower Hamletz Borough Cuncil")
    assert found.councils == []
    assert found.suggestions == [england["tower-hamlets"]]


@pytest.mark.parametrize("query", ["", "   ", "Council", "%%", "<script>", "x" * 500, "\x00", "Zzyzx"])
def test_odd_queries_find_and_suggest_nothing(england, query):
    found = CouncilIndex().search(query)
    assert (found.councils, found.the_one, found.suggestions) == ([], None, [])
