from oscar.apps.catalogue.reviews.admin import *
