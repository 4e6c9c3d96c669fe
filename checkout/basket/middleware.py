"""Oscar's basket middleware, with SameSite on the basket cookie."""

from django.conf import settings
from django.core.signing import BadSignature, Signer
from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware

# What each checkout step asks of a basket comes with it: who the medicine is
# for and the prescription (with the record a refill is of).
CHECKOUT_RELATIONS = ("patient", "prescription__refill_of")


class BasketMiddleware(OscarBasketMiddleware):
    """Oscar's basket middleware, with SameSite on the basket cookie (Oscar
    has no setting for it): the cookie is not sent on cross-site posts. A
    guest's basket is read with its patient and prescription."""

    def get_cookie_basket(self, cookie_key, request, manager):
        """Oscar's look-up of the guest's open basket (`manager` is Oscar's
        open baskets), with the checkout's relations loaded with it."""
        basket_hash = request.COOKIES.get(cookie_key)
        if basket_hash is None:
            return None
        try:
            basket_id = Signer().unsign(basket_hash)
            return manager.select_related(*CHECKOUT_RELATIONS).get(
                pk=basket_id, owner=None
            )
        except (BadSignature, ValueError, manager.model.DoesNotExist):
            request.cookies_to_delete.append(cookie_key)
            return None

    def __call__(self, request):
        response = super().__call__(request)
        cookie = response.cookies.get(self.get_cookie_key(request))
        if cookie is not None and cookie.value:
            cookie["samesite"] = settings.OSCAR_BASKET_COOKIE_SAMESITE
        return response
