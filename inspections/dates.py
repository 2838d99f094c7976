"""Dates as the app writes them: in words, as precisely as the sources give them, for readers; as ISO
8601 text for machines (charts, report readings)."""

from django.db import models


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def format_date(date, precision=DatePrecision.DAY):
    """A date as precisely as the source gave it: '26 January 2010', 'July 2012' or '2012'; "" for none."""
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{date:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{date:%B %Y}"
    return f"{date.day} {date:%B %Y}"


def iso(date):
    """A date as YYYY-MM-DD; None for none."""
    return None if date is None else date.isoformat()
