"""The key figures the tracker knows: a name, a label and the unit it is measured in.

Kept as a registry rather than database choices so that adding a metric needs no migration; the
model fields take their choices from these callables.
"""

from django.db import models


class Unit(models.TextChoices):
    COUNT = "count", "number"
    PERCENT = "percent", "%"
    RATE_PER_10000 = "rate_per_10000", "per 10,000 children"
    CASES_PER_WORKER = "cases_per_worker", "cases per social worker"
    GBP = "gbp", "£"


METRICS = {
    "children_population": ("Children and young people aged under 18", Unit.COUNT),
    "children_in_need": ("Children in need of a specialist children's service", Unit.COUNT),
    "child_protection_plans": ("Children on child protection plans", Unit.COUNT),
    "child_protection_plan_rate": ("Children on child protection plans per 10,000", Unit.RATE_PER_10000),
    "children_looked_after": ("Children looked after", Unit.COUNT),
    "children_looked_after_rate": ("Children looked after per 10,000", Unit.RATE_PER_10000),
    "social_worker_headcount": ("Children's social workers (headcount)", Unit.COUNT),
    "social_worker_turnover_rate": ("Social worker turnover rate", Unit.PERCENT),
    "agency_worker_rate": ("Agency social worker rate", Unit.PERCENT),
    "vacancy_rate": ("Social worker vacancy rate", Unit.PERCENT),
    "average_caseload": ("Average caseload per social worker", Unit.CASES_PER_WORKER),
    # Figures quoted in news articles, kept apart from the official measures they resemble.
    "children_population_0_to_18": ("Children and young people aged from birth to 18", Unit.COUNT),
    "council_reported_turnover_rate": ("Social work workforce turnover (council's own figure)", Unit.PERCENT),
    "children_in_care_without_current_assessment": (
        "Children in care without a current assessment of their needs",
        Unit.COUNT,
    ),
}


def metric_choices():
    return [(name, label) for name, (label, _unit) in METRICS.items()]


def unit_choices():
    return Unit.choices


def metric_unit(name):
    return METRICS[name][1]
