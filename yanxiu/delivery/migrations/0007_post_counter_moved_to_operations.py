# The rate-limit counter now belongs to operations (its table is kept; decision 0023).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0006_docs24_half_day_order"),
        ("operations", "0002_post_counter_moved_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PostCounter")],
            database_operations=[],
        ),
    ]
