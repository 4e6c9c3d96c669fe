from django.db import migrations


def forwards(apps, schema_editor):
    EventType = apps.get_model("communication", "CommunicationEventType")
    EventType.objects.get_or_create(
        code="ORDER_PAY_AGAIN",
        defaults={"name": "Order payment failed: pay again", "category": "Order related"},
    )


class Migration(migrations.Migration):
    dependencies = [("checkout", "0005_order_payment_backfill")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
