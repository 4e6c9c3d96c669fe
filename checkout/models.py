"""The checkout app's models, one module per room, registered here under the
app label "checkout" so that every table keeps its name:

- checkout/orders/models.py: statuses, the order's history, checkout attempts;
- checkout/dispensing/models.py: patients, prescriptions, the pharmacist's
  records, flags, counselling, the health data access log;
- checkout/dispensing/stock/models.py: lots, fills, recalls and returns;
- checkout/payments/models.py: each order's payment and Stripe's events.
"""

from oscar.apps.checkout.models import *  # noqa: F403

from checkout.dispensing import models as dispensing_models
from checkout.dispensing.stock import models as stock_models
from checkout.orders import models as orders_models
from checkout.payments import models as payments_models

# Named by migrations 0001 and 0007 (the prescription file's storage and name).
get_private_storage = dispensing_models.get_private_storage
prescription_upload_to = dispensing_models.prescription_upload_to

__all__ = ["dispensing_models", "orders_models", "payments_models", "stock_models"]
