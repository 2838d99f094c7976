import csv
from pathlib import Path

import pytest
from django.conf import settings

from councils.importers.councils_csv import import_local_authorities

DATA = Path(settings.FIXTURES_DIR) / "data"
REFERENCE_CSV = DATA / "reference" / "local_authorities.csv"
OUTCOMES_ODS = DATA / "ofsted" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
HISTORY_CSV = DATA / "ofsted" / "ilacs_inspection_history.csv"
WORKFORCE_CSV = DATA / "indicators" / "social_work_workforce_2017_to_2025.csv"
LOOKED_AFTER_CSV = DATA / "indicators" / "children_looked_after_2021_to_2025.csv"
CHILD_PROTECTION_CSV = DATA / "indicators" / "child_protection_plans_2013_to_2025.csv"

HISTORY_COLUMNS = [
    "urn",
    "local_authority",
    "inspection_link",
    "pdf_filename",
    "publication_date",
    "inspection_framework",
    "inspector_name",
    "inspection_start_date",
    "inspection_end_date",
    "overall_effectiveness_grade",
    "impact_of_leaders_grade",
    "help_and_protection_grade",
    "in_care_grade",
    "care_leavers_grade",
    "parser_version",
]


@pytest.fixture
def councils(db):
    """Every council of the shipped reference file."""
    import_local_authorities(REFERENCE_CSV)


def write_csv(path, columns, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})
    return path


def history_csv_row(urn, name, published, framework, start, end, grades, link="", inspector="A Inspector"):
    overall, leaders, help_, in_care, care_leavers = grades
    return {
        "urn": urn,
        "local_authority": name,
        "inspection_link": link,
        "pdf_filename": f"children's services inspection - {published}.pdf",
        "publication_date": published,
        "inspection_framework": framework,
        "inspector_name": inspector,
        "inspection_start_date": start,
        "inspection_end_date": end,
        "overall_effectiveness_grade": overall,
        "impact_of_leaders_grade": leaders,
        "help_and_protection_grade": help_,
        "in_care_grade": in_care,
        "care_leavers_grade": care_leavers,
        "parser_version": "1",
    }
