from django.db import migrations

EMAILS = {
    "ORDER_APPROVED": "Order approved by our pharmacist",
    "ORDER_DISPATCHED": "Order dispatched",
    "ORDER_REJECTED": "Order could not be approved",
}


def forwards(apps, schema_editor):
    Country = apps.get_model("address", "Country")
    Country.objects.update_or_create(
        iso_3166_1_a2="US",
        defaults={
            "iso_3166_1_a3": "USA",
            "iso_3166_1_numeric": "840",
            "printable_name": "United States",
            "name": "United States of America",
            "is_shipping_country": True,
        },
    )
    EventType = apps.get_model("communication", "CommunicationEventType")
    for code, name in EMAILS.items():
        EventType.objects.get_or_create(
            code=code, defaults={"name": name, "category": "Order related"}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("checkout", "0001_initial"),
        ("address", "0007_useraddress_code"),
        ("communication", "0004_auto_20200801_0817"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
