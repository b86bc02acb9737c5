"""Formerly stored every review's exact total and built the standings here; that now happens in
0005_expert_pool_avoidance_normalised (the domain functions work on the current models, which only
match the tables after 0005's columns exist). Kept as a no-op so the migration graph is unchanged."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_standings")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
