"""Users' (experts') phone numbers, encrypted at rest (core.crypto, SM4-GCM); existing rows encrypted in place."""

import yanxiu.core.crypto
from django.db import migrations

from yanxiu.core.crypto import encrypt_in_place


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_password_policy_and_admin_roles"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="phone",
            field=yanxiu.core.crypto.EncryptedField(
                blank=True,
                max_length=30,
                purpose="accounts.user.phone",
                verbose_name="电话",
            ),
        ),
        migrations.RunPython(*encrypt_in_place("accounts", "user", ["phone"])),
    ]
