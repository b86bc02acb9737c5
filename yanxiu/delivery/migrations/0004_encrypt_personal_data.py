"""Trainees' ID numbers and mobiles encrypted at rest (SM4-GCM), with keyed
hashes for the duplicate check and lookups; the access log records the
client's address and the stated purpose."""

import yanxiu.core.crypto
import yanxiu.core.validators
from django.db import migrations, models
from django.db.models.functions import Cast

from yanxiu.core.crypto import is_ciphertext, keyed_hash


def encrypt_existing(apps, schema_editor):
    """Read the clear values as plain text (bypassing the field's decryption) and write them back encrypted."""
    Trainee = apps.get_model("delivery", "Trainee")
    rows = Trainee.objects.using(schema_editor.connection.alias).values_list(
        "pk", Cast("id_number", models.TextField()), Cast("mobile", models.TextField())
    )
    for pk, id_number, mobile in list(rows):
        if is_ciphertext(id_number) and (not mobile or is_ciphertext(mobile)):
            continue
        Trainee.objects.using(schema_editor.connection.alias).filter(pk=pk).update(
            id_number=id_number,
            mobile=mobile,
            id_number_hash=keyed_hash("id_number", id_number) if id_number else "",
            mobile_hash=keyed_hash("mobile", mobile) if mobile else "",
        )


def decrypt_existing(apps, schema_editor):
    """Back to clear text (for a downgrade): written with raw SQL so the field does not encrypt again."""
    Trainee = apps.get_model("delivery", "Trainee")
    table = schema_editor.connection.ops.quote_name(Trainee._meta.db_table)
    rows = list(Trainee.objects.using(schema_editor.connection.alias).values_list("pk", "id_number", "mobile"))
    with schema_editor.connection.cursor() as cursor:
        for pk, id_number, mobile in rows:
            cursor.execute(f"UPDATE {table} SET id_number = %s, mobile = %s WHERE id = %s", [id_number, mobile, pk])  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0003_post_counter"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="trainee",
            name="one_enrolment_per_id_and_programme",
        ),
        migrations.AddField(
            model_name="personaldataaccess",
            name="client_address",
            field=models.GenericIPAddressField(blank=True, null=True, verbose_name="客户端地址"),
        ),
        migrations.AddField(
            model_name="personaldataaccess",
            name="reason",
            field=models.CharField(blank=True, max_length=200, verbose_name="用途说明"),
        ),
        migrations.AddField(
            model_name="trainee",
            name="id_number_hash",
            field=yanxiu.core.crypto.KeyedHashField(db_index=True, purpose="id_number", source="id_number"),
        ),
        migrations.AddField(
            model_name="trainee",
            name="mobile_hash",
            field=yanxiu.core.crypto.KeyedHashField(db_index=True, purpose="mobile", source="mobile"),
        ),
        migrations.AlterField(
            model_name="trainee",
            name="id_number",
            field=yanxiu.core.crypto.EncryptedField(
                max_length=18, purpose="delivery.trainee.id_number", verbose_name="身份证号"
            ),
        ),
        migrations.AlterField(
            model_name="trainee",
            name="mobile",
            field=yanxiu.core.crypto.EncryptedField(
                max_length=11,
                purpose="delivery.trainee.mobile",
                validators=[yanxiu.core.validators.validate_mobile],
                verbose_name="手机",
            ),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
        migrations.AddConstraint(
            model_name="trainee",
            constraint=models.UniqueConstraint(
                fields=("programme", "id_number_hash"), name="one_enrolment_per_id_and_programme"
            ),
        ),
    ]
