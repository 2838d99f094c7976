"""Former councils: the day each was replaced, and what a successor took over and when."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import CouncilFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_a_current_council_has_no_day_it_was_replaced():
    council = CouncilFactory.build(region=None, is_current=True, replaced_on=D(2021, 4, 1))
    with pytest.raises(ValidationError, match="Only a council that no longer exists has a date it was replaced"):
        council.full_clean()
    council.is_current = False
    council.full_clean()


def test_takeovers_group_predecessors_by_day_with_their_legislation():
    order = ("The Bournemouth, Dorset and Poole (Structural Changes) Order 2018", "https://example.org/order")
    successor = CouncilFactory(name="Bournemouth, Christchurch and Poole")
    poole, bournemouth = (
        CouncilFactory(
            name=name, is_current=False, replaced_on=D(2019, 4, 1), replaced_under=order[0], replaced_under_url=order[1]
        )
        for name in ("Poole", "Bournemouth")
    )
    undated = CouncilFactory(name="Christchurch", is_current=False)
    for former in (poole, bournemouth, undated):
        former.successors.add(successor)
    assert successor.takeovers() == [
        {"date": D(2019, 4, 1), "councils": [bournemouth, poole], "legislation": [order]},
        {"date": None, "councils": [undated], "legislation": []},
    ]
