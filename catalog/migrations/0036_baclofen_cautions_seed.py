"""Seed the interaction and caution words of drugs already loaded (baclofen)."""

from django.db import migrations

from catalog.cautions import cautions_ensure


def forwards(apps, schema_editor):
    Drug = apps.get_model("catalogue", "Drug")
    DrugCaution = apps.get_model("catalogue", "DrugCaution")
    for drug in Drug.objects.all():
        cautions_ensure(drug=drug, caution_model=DrugCaution)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0035_drug_cautions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
