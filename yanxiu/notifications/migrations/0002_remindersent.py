# The ledger of reminders sent moves here from selection: every app sends its own reminders.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReminderSent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=200, unique=True)),
                ("sent_at", models.DateTimeField()),
            ],
            options={
                "verbose_name": "已发送的提醒",
                "verbose_name_plural": "已发送的提醒",
            },
        ),
    ]
