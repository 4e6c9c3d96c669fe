"""Oscar's basket middleware, with SameSite on the basket cookie."""

from django.conf import settings
from django.core.signing import BadSignature, Signer
from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware

from checkout.basket import reads as basket_reads


class BasketMiddleware(OscarBasketMiddleware):
    """Oscar's basket middleware, with SameSite on the basket cookie (Oscar
    has no setting for it): the cookie is not sent on cross-site posts. A
    guest's basket is read with its patient and prescription, by SQL compiled
    once (checkout/basket/reads.py)."""

    def get_cookie_basket(self, cookie_key, request, manager):
        basket_hash = request.COOKIES.get(cookie_key)
        if basket_hash is None:
            return None
        try:
            basket_id = int(Signer().unsign(basket_hash))
        except (BadSignature, ValueError):
            basket_id = None
        basket = (
            basket_reads.open_guest_basket(basket_id=basket_id)
            if basket_id is not None
            else None
        )
        if basket is None:
            request.cookies_to_delete.append(cookie_key)
        return basket

    def __call__(self, request):
        response = super().__call__(request)
        cookie = response.cookies.get(self.get_cookie_key(request))
        if cookie is not None and cookie.value:
            cookie["samesite"] = settings.OSCAR_BASKET_COOKIE_SAMESITE
        return response
