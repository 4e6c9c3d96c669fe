"""The checkout app's admin pages, kept with their rooms: the pharmacist's
workstation and the access log in checkout/dispensing/admin/."""

from checkout.dispensing import admin as dispensing_admin  # noqa: F401  (registers)
