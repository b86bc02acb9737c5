# The public forms' rate-limit counter moves from delivery to operations (decision 0023): the
# table stays as it is (delivery_postcounter), only Django's idea of its app changes.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0001_ops_scheduler_and_heartbeats"),
        ("delivery", "0003_post_counter"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PostCounter",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("key", models.CharField(max_length=200, unique=True)),
                        ("count", models.PositiveIntegerField(default=0)),
                        ("hour", models.DateTimeField(db_index=True)),
                    ],
                    options={
                        "db_table": "delivery_postcounter",
                        "verbose_name": "公开页面提交计数",
                        "verbose_name_plural": "公开页面提交计数",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
