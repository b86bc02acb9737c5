"""The host contact's mobile on applications, encrypted at rest (core.crypto, SM4-GCM); existing rows encrypted in place."""

import yanxiu.core.crypto
import yanxiu.core.validators
from django.db import migrations

from yanxiu.core.crypto import encrypt_in_place


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_title_key"),
    ]

    operations = [
        migrations.AlterField(
            model_name="application",
            name="host_mobile",
            field=yanxiu.core.crypto.EncryptedField(
                blank=True,
                max_length=20,
                purpose="applications.application.host_mobile",
                validators=[yanxiu.core.validators.validate_mobile],
                verbose_name="手机",
            ),
        ),
        migrations.RunPython(*encrypt_in_place("applications", "application", ["host_mobile"])),
    ]
