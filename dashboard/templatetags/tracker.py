"""Template helpers: grades and changes as GOV.UK tags (always in words), chart table cells, query strings."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from dashboard.charts import GradeCell, LinkCell
from inspections.frameworks import EventType, Grade, framework_words, grade_label
from inspections.grades import GradeChange

register = template.Library()

GRADE_TAG_MODIFIERS = {
    Grade.OUTSTANDING: "govuk-tag--green",
    Grade.GOOD: "",  # the default tag colour, blue
    Grade.REQUIRES_IMPROVEMENT: "govuk-tag--yellow",
    Grade.ADEQUATE: "govuk-tag--purple",
    Grade.INADEQUATE: "govuk-tag--red",
}
CHANGE_TAG_MODIFIERS = {
    GradeChange.IMPROVED: "govuk-tag--green",
    GradeChange.DECLINED: "govuk-tag--red",
    GradeChange.UNCHANGED: "govuk-tag--grey",
    GradeChange.FIRST: "govuk-tag--grey",
}


@register.simple_tag
def grade_tag(grade, default="Not graded", short=False):
    """<strong class="govuk-tag ...">Good</strong>; the default words (untagged) when there is no grade.

    short: a smaller tag, with "requires improvement" for "requires improvement to be good" (for tables).
    """
    if not grade:
        return format_html('<span class="app-no-grade">{}</span>', default)
    label = grade_label(grade, short)
    return format_html(
        '<strong class="govuk-tag app-grade {}{}">{}</strong>',
        GRADE_TAG_MODIFIERS.get(grade, ""),
        " app-tag--small" if short else "",
        label,
    )


@register.simple_tag
def change_tag(change, default="", short=False):
    if not change:
        return default
    return format_html(
        '<strong class="govuk-tag app-change {}{}">{}</strong>',
        CHANGE_TAG_MODIFIERS[change],
        " app-tag--small" if short else "",
        GradeChange(change).label,
    )


# grade_label:"short" gives "Requires improvement" for the long ILACS wording.
register.filter("grade_label", grade_label)


@register.filter
def event_type_label(event_type):
    return EventType(event_type).label if event_type in EventType.values else ""


@register.simple_tag
def framework_in_words(framework, date=None):
    return framework_words(framework, date)


@register.simple_tag
def table_cell(cell):
    if isinstance(cell, GradeCell):
        if cell.note:
            return format_html('{}<br><span class="app-secondary">{}</span>', grade_tag(cell.grade, short=True), cell.note)
        return grade_tag(cell.grade, short=True)
    if isinstance(cell, LinkCell):
        link = format_html('<a class="govuk-link" href="{}">{}</a>', cell.url, cell.text)
        if cell.note:
            return format_html('{}<br><span class="app-secondary">{}</span>', link, cell.note)
        return link
    return "" if cell is None else cell


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None or "" removes one)."""
    params = context["request"].GET.copy()
    for name, value in changes.items():
        if value in (None, ""):
            params.pop(name, None)
        else:
            params[name] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_without(context, name):
    """The current query string without one parameter (and the page number, which it may have changed)."""
    return query_with(context, **{name: None, "page": None})


@register.filter
def at(items, index):
    """items[index], or "" past the end (a column's heading for a cell, by its place in the row)."""
    try:
        return items[index]
    except (IndexError, TypeError):
        return ""


@register.filter
def break_after_underscores(name):
    """A code name ("council_slug") that may break after each underscore on a narrow screen, and nowhere else."""
    return mark_safe("_<wbr>".join(conditional_escape(part) for part in str(name).split("_")))


@register.filter
def possessive(name):
    """ "Tower Hamlets" -> "Tower Hamlets'", "Camden" -> "Camden's" (house style: no 's after a final s)."""
    name = str(name)
    return f"{name}'" if name.endswith("s") else f"{name}'s"


@register.filter
def with_article(words):
    """ "unannounced inspection" -> "an unannounced inspection", "monitoring visit" -> "a monitoring visit"."""
    words = str(words)
    return f"{'an' if words[:1].lower() in 'aeiou' else 'a'} {words}" if words else words
