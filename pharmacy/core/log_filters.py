"""Logging filters named in settings.LOGGING."""

import logging


class ClientErrorWithoutTraceback(logging.Filter):
    """A 4xx answer (an expected 403 or 404) logs its one line, not a traceback.

    Django 5 attaches the Http404 or PermissionDenied exception to the
    "Not Found" / "Forbidden" record; a newcomer reads that as a crash. A 500
    keeps its traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
