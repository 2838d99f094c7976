"""Dress a filter form in GOV.UK Frontend classes, so templates can render fields with {{ field }}."""

from django import forms
from django_filters.widgets import RangeWidget

from inspections.filtersets import CouncilFilterSet


def govuk_filter_form(form):
    """Add GOV.UK classes, error states and date inputs to the widgets of a (filter) form; returns it."""
    errors = form.errors if form.is_bound else {}
    for name, field in form.fields.items():
        widget = field.widget
        has_error = name in errors
        described_by = f"{name}-error" if has_error else None
        if isinstance(widget, RangeWidget):
            continue  # rendered input by input in templates/dashboard/_field.html
        if isinstance(widget, forms.Select):
            css = "govuk-select" + (" govuk-select--error" if has_error else "")
        else:
            css = "govuk-input" + (" govuk-input--error" if has_error else "")
            if isinstance(widget, forms.TextInput):
                widget.input_type = "search"
                widget.attrs.setdefault("spellcheck", "false")
        widget.attrs["class"] = css
        if described_by:
            widget.attrs["aria-describedby"] = described_by
    return form


class CouncilSearchForm(forms.Form):
    """The "Find a council" box (templates/dashboard/_council_search.html): as long a query as the council
    list's own search takes, and never empty."""

    q = forms.CharField(
        max_length=CouncilFilterSet.base_filters["q"].extra["max_length"],
        error_messages={
            "required": "Enter a council's name or code, like Tower Hamlets or 211",
            "max_length": "Enter a council's name or code in %(limit_value)s characters or fewer (this has %(show_value)s)",
        },
    )
