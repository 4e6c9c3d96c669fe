from django.db import migrations


def forwards(apps, schema_editor):
    EventType = apps.get_model("communication", "CommunicationEventType")
    EventType.objects.get_or_create(
        code="ORDER_ON_HOLD",
        defaults={"name": "Order on hold", "category": "Order related"},
    )


class Migration(migrations.Migration):
    dependencies = [("checkout", "0004_prescription_record_flags_counselling_on_hold")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
