"""Bringing back a deleted inspection, with the judgements and findings that were deleted with it."""

from django.db import transaction

from . import national_cache
from .models import Finding, Inspection, Judgement


def deleted_inspections():
    """The last history record of each inspection that no longer exists, newest deletion first."""
    return (
        Inspection.history.filter(history_type="-")
        .exclude(id__in=Inspection.objects.values("pk"))
        .select_related("council", "history_user")
        .order_by("-history_date")
    )


def _restore_deleted_children(model, inspection_id):
    live = model.objects.filter(inspection_id=inspection_id).values("pk")
    records = model.history.filter(inspection_id=inspection_id).exclude(id__in=live).order_by("id", "-history_date")
    restored = 0
    seen = set()
    for record in records:
        if record.id in seen:
            continue
        seen.add(record.id)
        if record.history_type == "-":
            instance = record.instance
            instance._change_reason = "Restored with its inspection"
            instance.save()
            restored += 1
    return restored


@transaction.atomic
def restore_inspection(inspection_id):
    """Restore a deleted inspection as it was when deleted. Returns (inspection, judgements, findings) restored."""
    record = deleted_inspections().filter(id=inspection_id).first()
    if record is None:
        raise Inspection.DoesNotExist(f"No deleted inspection #{inspection_id} to restore.")
    # Before any row is written (national_cache.py): saving the inspection also updates its judgements in bulk.
    national_cache.invalidate(councils=[record.council_id])
    # Django removes the links to sources before the deletion is recorded, so they are read from the
    # last record made while the inspection still existed.
    last_kept = (
        Inspection.history.filter(id=inspection_id, history_date__lte=record.history_date)
        .exclude(history_type="-")
        .order_by("-history_date")
        .first()
    )
    source_ids = [row.source_id for row in last_kept.sources.all()] if last_kept else []
    inspection = record.instance
    inspection._change_reason = "Restored after deletion"
    inspection.save()
    inspection.sources.set(source_ids)
    judgements = _restore_deleted_children(Judgement, inspection.pk)
    findings = _restore_deleted_children(Finding, inspection.pk)
    return inspection, judgements, findings
