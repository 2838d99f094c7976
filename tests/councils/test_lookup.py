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
