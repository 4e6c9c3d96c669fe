"""A guest's whole order, product page to confirmation, paid by invoice.

Each POST follows its redirect to the next page, as a browser does. The
client is locust's FastHttpUser (geventhttpclient): the load generator shares
the machine's two cores with the shop, and the requests-based HttpUser spent
several times more of them per request."""

import io
import re

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(buf, format="PNG")
    return buf.getvalue()


PNG = _png()
ADDRESS = {
    "first_name": "Bench",
    "last_name": "Shopper",
    "line1": "1 Main Street",
    "line4": "Springfield",
    "state": "IL",
    "postcode": "62701",
}


class GuestBuyer(FastHttpUser):
    wait_time = constant(0)

    def _token(self, path: str) -> str:
        page = self.client.get(
            path, name=path if "checkout" in path else "product page"
        )
        return TOKEN.search(page.text).group(1)

    @task
    def guest_order(self):
        self.client.cookiejar.clear()
        product = self.environment.parsed_options.product_path
        token = self._token(product)
        post = self.client.post
        post(
            f"{product}add/",
            {
                "csrfmiddlewaretoken": token,
                "strength": "10",
                "pack": "30",
                "quantity": "1",
            },
            name="add to basket",
        )
        token = self._token("/checkout/")
        post(
            "/checkout/",
            {
                "csrfmiddlewaretoken": token,
                "username": "bench@example.com",
                "options": "anonymous",
            },
            name="checkout: gateway",
        )
        post(
            "/checkout/shipping-address/",
            {"csrfmiddlewaretoken": token, **ADDRESS},
            name="checkout: address",
        )
        post(
            "/checkout/shipping-method/",
            {"csrfmiddlewaretoken": token, "method_code": "standard"},
            name="checkout: delivery",
        )
        post(
            "/checkout/patient/",
            {
                "csrfmiddlewaretoken": token,
                "full_name": "Bench Shopper",
                "date_of_birth": "1980-05-17",
                "counselling": "no",
            },
            name="checkout: patient",
        )
        post(
            "/checkout/prescription/",
            {"csrfmiddlewaretoken": token, "source": "upload"},
            files={"file": ("rx.png", PNG, "image/png")},
            name="checkout: prescription",
        )
        post(
            "/checkout/payment-method/",
            {"csrfmiddlewaretoken": token, "method": "invoice"},
            name="checkout: payment",
        )
        with post(
            "/checkout/preview/",
            {"csrfmiddlewaretoken": token, "action": "place_order"},
            name="checkout: place order",
            catch_response=True,
        ) as response:
            # The thank-you page, reached by the redirect, names the order.
            if "is received" not in response.text:
                response.failure("no order placed")


from locust import events  # noqa: E402


@events.init_command_line_parser.add_listener
def _(parser):
    parser.add_argument("--product-path", default="/catalogue/baclofen_1/")
