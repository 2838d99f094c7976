from django.apps import AppConfig


class InspectionTrackerConfig(AppConfig):
    """The site itself, installed for its management commands: start, backup and restore."""

    name = "inspection_tracker"
    verbose_name = "Inspection Tracker"
