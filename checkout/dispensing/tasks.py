"""The dispensing room's queued work (found by pharmacy/celery.py)."""

from celery import shared_task

from checkout.dispensing import upload_finishing


@shared_task
def prescription_file_finish(prescription_id: int) -> str | None:
    return upload_finishing.prescription_file_finish(prescription_id=prescription_id)


@shared_task
def stale_uploads_finish() -> int:
    return upload_finishing.stale_uploads_finish()
