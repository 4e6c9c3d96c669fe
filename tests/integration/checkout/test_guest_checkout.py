from django.urls import reverse

from checkout.orders.workflow import OrderStatus
from tests.checkout_helpers import guest_checkout_to_preview


def add_url(product):
    return reverse(
        "catalogue:add-variant", kwargs={"product_slug": product.slug, "pk": product.pk}
    )


def test_guest_places_an_invoice_order_that_awaits_prescription_review(client, drug):
    response = guest_checkout_to_preview(
        client, product_page_add_url=add_url(drug.product)
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "checkout:preview"
    )

    preview = client.get(reverse("checkout:preview"))
    assert preview.status_code == 200
    assert "Place order" in preview.content.decode()

    placed = client.post(
        reverse("checkout:preview"), {"action": "place_order"}, follow=True
    )

    order = placed.context["order"]
    assert order.status == OrderStatus.AWAITING_REVIEW
    assert order.total_incl_tax == order.basket_total_incl_tax + order.shipping_incl_tax
    assert str(order.shipping_incl_tax) == "4.95"
    assert order.prescription.file_content_type == "image/png"
    assert order.patient.full_name == "Alex Rivera"


def test_a_returning_customer_without_the_right_password_is_not_let_in(client, drug):
    from tests.factories import UserFactory

    UserFactory(email="known@example.com")
    client.post(add_url(drug.product), {"strength": "10", "pack": "30", "quantity": 1})

    for password in ("", "wrong-password"):
        response = client.post(
            reverse("checkout:index"),
            {
                "username": "known@example.com",
                "options": "existing",
                "password": password,
            },
        )
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
        assert response.context["form"].errors


def test_the_gateway_asks_plainly_whether_the_shopper_has_an_account(client, drug):
    client.post(add_url(drug.product), {"strength": "10", "pack": "30", "quantity": 1})

    page = client.get(reverse("checkout:index")).content.decode()

    assert "Do you have an account with us?" in page
