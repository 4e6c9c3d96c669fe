from django.db import migrations

EVENT_TYPES = {
    "REFILL_REMINDER": "Refill reminder",
    "TRANSFER_COMPLETED": "Prescription transfer completed",
    "TRANSFER_DECLINED": "Prescription transfer declined",
}


def forwards(apps, schema_editor):
    EventType = apps.get_model("communication", "CommunicationEventType")
    for code, name in EVENT_TYPES.items():
        EventType.objects.get_or_create(
            code=code, defaults={"name": name, "category": "User related"}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("refills", "0001_refill_reminders_and_transfers"),
        ("communication", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
