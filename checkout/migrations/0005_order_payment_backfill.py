"""Give every order placed before payment states existed its OrderPayment,
read from Oscar's payment source and the order's status."""

from decimal import Decimal

from django.db import migrations

CARD = "Card (Stripe)"


def backfill(apps, schema_editor):
    Order = apps.get_model("order", "Order")
    OrderPayment = apps.get_model("checkout", "OrderPayment")
    for order in Order.objects.filter(payment__isnull=True).iterator():
        source = order.sources.select_related("source_type").first()
        card = source is not None and source.source_type.name == CARD
        ended = order.status in ("Rejected", "Cancelled")
        if card:
            if source.amount_refunded:
                state = "refunded"
            elif source.amount_debited:
                state = "captured"
            else:
                state = "released" if ended else "authorised"
        else:
            approved = order.status in ("Approved", "Dispatched")
            state = "void" if ended else ("invoiced" if approved else "invoice_due")
        OrderPayment.objects.create(
            order=order,
            method="card" if card else "invoice",
            state=state,
            amount=order.total_incl_tax or Decimal("0.00"),
            currency=order.currency,
            payment_intent_id=source.reference if card else "",
            authorised_at=order.date_placed if card else None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("checkout", "0004_order_payment_state"),
        ("order", "0021_billingaddress_code_shippingaddress_code"),
        ("payment", "0005_auto_20200801_0817"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
