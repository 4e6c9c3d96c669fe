"""The pharmacist's workstation in the Django admin, one module per concern:

- access.py: who may see health data (the review permission), read-only bases;
- queue.py: the queue of orders needing a pharmacist, oldest first;
- review.py: one review page per order, with its forms;
- actions.py: approve, hold, reject, cancel, dispatch, each confirmed first;
- records.py: patients, the audit trail, Oscar's orders, and the prescription
  file and PDF page URLs (views in prescription_files.py);
- fill.py: filling an approved order from lots; the label and paperwork PDFs;
- lots.py: receiving lots, who got a lot, recalling it;
- access_log_admin.py: the health data access log, for the superintendent;
- summaries.py, forms.py: what the pages show and ask.
"""

from checkout.dispensing.admin import (  # noqa: F401  (registers the admins)
    access_log_admin,
    lots,
    queue,
    records,
)
