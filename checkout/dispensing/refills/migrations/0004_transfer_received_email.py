from django.db import migrations

EVENT_TYPES = {"TRANSFER_RECEIVED": "Prescription transfer request received"}


def forwards(apps, schema_editor):
    EventType = apps.get_model("communication", "CommunicationEventType")
    for code, name in EVENT_TYPES.items():
        EventType.objects.get_or_create(
            code=code, defaults={"name": name, "category": "User related"}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("refills", "0003_transfer_patient_and_state"),
        ("communication", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
