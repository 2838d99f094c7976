"""An import shows on the next request to the pages, stored rendered and with cached national aggregates."""

import os

from django.core.management import call_command
from django.urls import reverse

from .conftest import OUTCOMES_ODS


def test_an_import_shows_on_the_next_overview(client, councils):
    before = client.get(reverse("overview"))
    assert before.context["inspection_count"] == 0
    assert client.get(reverse("overview")).context is None  # now stored, not rendered
    with open(os.devnull, "w") as quiet:
        call_command("import_ofsted_outcomes", str(OUTCOMES_ODS), stdout=quiet, stderr=quiet)
    assert client.get(reverse("overview")).context["inspection_count"] > 0
