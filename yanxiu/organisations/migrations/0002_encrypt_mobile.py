"""Institutions' contact mobiles, encrypted at rest (core.crypto, SM4-GCM); existing rows encrypted in place."""

import yanxiu.core.crypto
import yanxiu.core.validators
from django.db import migrations

from yanxiu.core.crypto import encrypt_in_place


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="institution",
            name="mobile",
            field=yanxiu.core.crypto.EncryptedField(
                blank=True,
                max_length=20,
                purpose="organisations.institution.mobile",
                validators=[yanxiu.core.validators.validate_mobile],
                verbose_name="手机",
            ),
        ),
        migrations.RunPython(*encrypt_in_place("organisations", "institution", ["mobile"])),
    ]
