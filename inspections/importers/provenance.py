"""Which rows an importer may change, and the Source that a file's facts are traced to."""

from ..models import Source
from importing.files import fixtures_document

IMPORT_CHANGE_REASON = "import_ofsted_outcomes"


def edited_by_hand(model, reason, ids=None):
    """Primary keys of rows whose latest recorded change was not made by an importer (`reason`).

    Importers record their changes with a change reason; a later edit in the admin records none, so an
    imported row edited by hand is told apart by its history. A row with no history is not counted.
    """
    history = model.history.all() if ids is None else model.history.filter(id__in=ids)
    latest = {}
    for row_id, change_reason in history.order_by("id", "-history_date", "-history_id").values_list(
        "id", "history_change_reason"
    ):
        latest.setdefault(row_id, change_reason)
    return {row_id for row_id, change_reason in latest.items() if change_reason != reason}


def source_for_file(path, summary, *, key, kind, title, publisher, published_date=None, url="", notes=""):
    """The Source for a file: an existing one for the same shipped document or key, or a new one."""
    document = fixtures_document(path)
    source = Source.objects.filter(document=document).first() if document else None
    if source is None:
        source = Source.objects.filter(key=key).first()
    if source is not None:
        summary.count_unchanged("sources")
        return source
    source = Source(
        key=key,
        kind=kind,
        title=title[:300],
        publisher=publisher,
        published_date=published_date,
        url=url,
        document=document,
        notes=notes,
    )
    source._change_reason = IMPORT_CHANGE_REASON
    source.save()
    summary.count_created("sources")
    return source
