"""Signals the councils app sends, for apps above it to hear without the councils app knowing them."""

from django.dispatch import Signal

# Sent (with `using`, the database alias) before councils are written in bulk, which sends no model
# signals: whoever keeps something derived from councils (the pages' data version) must drop it.
councils_bulk_changed = Signal()
