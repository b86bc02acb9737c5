"""The data version striped over DATA_VERSION_SLOTS rows: the existing row is slot 1 (its value
kept, so the sum and every ETag stay as they were); the other slots start at 0."""

from django.db import migrations

SLOTS = 64


def create_slots(apps, schema_editor):
    DataVersion = apps.get_model("audit", "DataVersion")
    existing = set(DataVersion.objects.values_list("pk", flat=True))
    DataVersion.objects.bulk_create(
        [DataVersion(pk=slot, value=0) for slot in range(1, SLOTS + 1) if slot not in existing]
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_data_version")]

    operations = [migrations.RunPython(create_slots, migrations.RunPython.noop)]
