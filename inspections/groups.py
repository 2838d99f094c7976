"""The admin roles: which models each group may touch, and how."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

EDITORS = "Editors"
VIEWERS = "Viewers"

RECORD_MODELS = ["inspections.inspection", "inspections.source", "inspections.keyfigure"]
INLINE_MODELS = ["inspections.judgement", "inspections.finding"]
# Written by the importers (where sources disagree) and read-only in the admin for everyone.
IMPORTED_MODELS = ["inspections.disagreement"]
REFERENCE_MODELS = [
    "councils.council",
    "councils.region",
    "councils.councilalias",
    "councils.statisticalneighbour",
]

# Editors keep the record current; councils' codes and the user accounts stay with superusers.
# Judgements and findings are edited as inlines of their inspection, where removing a row is a delete.
GROUP_PERMISSIONS = {
    EDITORS: {
        **{model: ["view", "add", "change"] for model in RECORD_MODELS},
        **{model: ["view", "add", "change", "delete"] for model in INLINE_MODELS},
        **{model: ["view"] for model in IMPORTED_MODELS + REFERENCE_MODELS},
    },
    VIEWERS: {model: ["view"] for model in RECORD_MODELS + INLINE_MODELS + IMPORTED_MODELS + REFERENCE_MODELS},
}


def permissions_for(spec):
    permissions = []
    for label, actions in spec.items():
        app_label, model = label.split(".")
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
        for action in actions:
            permissions.append(Permission.objects.get(content_type=content_type, codename=f"{action}_{model}"))
    return permissions


@transaction.atomic
def setup_groups():
    """Create or update the groups so they hold exactly the permissions above. Returns {name: created}."""
    result = {}
    for name, spec in GROUP_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions_for(spec))
        result[name] = created
    return result
