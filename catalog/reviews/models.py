from oscar.apps.catalogue.reviews.models import *
