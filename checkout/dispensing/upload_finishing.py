"""The slow half of checking an uploaded prescription (uploads.upload_finish),
run by the task queue so that decoding a large image never holds a web worker
that shoppers are waiting on.

An upload is stored at once, held unseen (``FileState.CHECKING``); finishing
replaces its bytes with the re-encoded ones and marks it ready, or marks it
unreadable so that the pharmacist asks the customer for another. Running it
twice, or after the customer replaced the upload, changes nothing.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from checkout.dispensing import uploads
from checkout.dispensing.models import FileState, Prescription
from checkout.dispensing.storage import prescription_storage

logger = logging.getLogger(__name__)

# An upload still unchecked after this long lost its task (a worker that
# died, a broker that was down); the sweep finishes it.
STALE_AFTER = datetime.timedelta(minutes=10)


def prescription_file_finish(*, prescription_id: int) -> str | None:
    """Finish one held upload; returns its new state, or None when there was
    nothing to do (finished already, replaced, or deleted)."""
    prescription = Prescription.objects.filter(
        pk=prescription_id, file_state=FileState.CHECKING
    ).first()
    if prescription is None or not prescription.file:
        return None
    held_name = prescription.file.name
    storage = prescription_storage()
    try:
        with storage.open(held_name, "rb") as handle:
            data = handle.read()
    except OSError:
        logger.error(
            "Prescription %s: held upload missing from storage", prescription_id
        )
        return _state_set(prescription_id, held_name, FileState.UNREADABLE)
    try:
        content = uploads.upload_finish(
            content_type=prescription.file_content_type, data=data
        )
    except ValidationError:
        # Why, in the log, would describe the customer's file: the state says it.
        logger.info("Prescription %s: upload could not be read", prescription_id)
        return _state_set(prescription_id, held_name, FileState.UNREADABLE)
    if content == data:
        return _state_set(prescription_id, held_name, FileState.READY)
    new_name = storage.save(held_name, ContentFile(content))
    if _state_set(prescription_id, held_name, FileState.READY, name=new_name) is None:
        storage.delete(new_name)
        return None
    storage.delete(held_name)
    return FileState.READY


def _state_set(prescription_id, held_name, state, *, name=None):
    """Move the upload on, if it is still the one held (the customer may have
    replaced it meanwhile)."""
    fields = {"file_state": state}
    if name is not None:
        fields["file"] = name
    moved = Prescription.objects.filter(
        pk=prescription_id, file_state=FileState.CHECKING, file=held_name
    ).update(**fields)
    return state if moved else None


def stale_uploads_finish(*, now: datetime.datetime | None = None) -> int:
    """Finish uploads whose task was lost; returns how many were finished."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    ids = Prescription.objects.filter(
        file_state=FileState.CHECKING, created_at__lt=cutoff
    ).values_list("pk", flat=True)
    return sum(
        prescription_file_finish(prescription_id=pk) is not None for pk in list(ids)
    )
