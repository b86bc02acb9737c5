# The reminders already sent move to notifications.ReminderSent, so none is sent twice.

from django.db import migrations


def copy_reminders(apps, schema_editor):
    old = apps.get_model("selection", "ReminderSent")
    new = apps.get_model("notifications", "ReminderSent")
    new.objects.bulk_create(
        (new(key=r.key, sent_at=r.sent_at) for r in old.objects.iterator()), ignore_conflicts=True, batch_size=1000
    )


def copy_back(apps, schema_editor):
    old = apps.get_model("selection", "ReminderSent")
    new = apps.get_model("notifications", "ReminderSent")
    old.objects.bulk_create(
        (old(key=r.key, sent_at=r.sent_at) for r in new.objects.iterator()), ignore_conflicts=True, batch_size=1000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("selection", "0001_initial"),
        ("notifications", "0002_remindersent"),
    ]

    operations = [
        migrations.RunPython(copy_reminders, copy_back),
        migrations.DeleteModel(name="ReminderSent"),
    ]
