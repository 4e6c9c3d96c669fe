from django.db import migrations

EVENT_TYPES = {
    "ERX_ARRIVED": "E-prescription arrived",
    "ERX_CANCELLED": "E-prescription cancelled by the prescriber",
}


def forwards(apps, schema_editor):
    EventType = apps.get_model("communication", "CommunicationEventType")
    for code, name in EVENT_TYPES.items():
        EventType.objects.get_or_create(
            code=code, defaults={"name": name, "category": "User related"}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("eprescribing", "0001_initial"),
        ("communication", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
