from django.db import migrations


def forwards(apps, schema_editor):
    EventType = apps.get_model("communication", "CommunicationEventType")
    EventType.objects.get_or_create(
        code="ORDER_CANCELLED",
        defaults={"name": "Order cancelled", "category": "Order related"},
    )


class Migration(migrations.Migration):
    dependencies = [("checkout", "0002_us_shipping_and_order_emails")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
