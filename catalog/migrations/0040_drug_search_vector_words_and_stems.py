from django.db import migrations


def reindex(apps, schema_editor):
    """Store each drug's words as written beside their stems (see
    catalog/search.py), so every prefix of a word finds it while typing."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.search import SearchVector

    Drug = apps.get_model("catalogue", "Drug")
    vector = None
    for config in ("simple", "english"):
        part = (
            SearchVector("generic_name", weight="A", config=config)
            + SearchVector("brand_names", weight="A", config=config)
            + SearchVector("search_terms", weight="B", config=config)
        )
        vector = part if vector is None else vector + part
    Drug.objects.update(search_vector=vector)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0039_merge_approved_markets"),
    ]

    # Backwards needs nothing: stems-only queries still match the stems.
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
