"""POST data for the inspection admin form, as the browser sends it."""

from inspections.frameworks import EventType, Framework
from inspections.models import Inspection


def inspection_form(council, **overrides):
    data = {
        "council": council.pk,
        "event_type": EventType.STANDARD_INSPECTION,
        "framework": Framework.ILACS,
        "theme": "",
        "visit_number": "",
        "status": Inspection.Status.DRAFT,
        "start_date": "2019-06-10",
        "end_date": "2019-06-21",
        "date_precision": "day",
        "published_date": "2019-07-22",
        "lead_inspector": "Marcie Taylor",
        "report_url": "",
        "summary": "",
        "notes": "",
        "judgements-TOTAL_FORMS": "0",
        "judgements-INITIAL_FORMS": "0",
        "findings-TOTAL_FORMS": "0",
        "findings-INITIAL_FORMS": "0",
        "disagreements-TOTAL_FORMS": "0",
        "disagreements-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def with_judgements(data, *judgements):
    data["judgements-TOTAL_FORMS"] = str(len(judgements))
    for index, (area, grade) in enumerate(judgements):
        data[f"judgements-{index}-area"] = area
        data[f"judgements-{index}-grade"] = grade
    return data
