"""Re-encrypt every encrypted value with the current YANXIU_DATA_KEY and recompute its keyed hash.

Rotation: put the new key in YANXIU_DATA_KEY (a new id), the old one in
YANXIU_DATA_OLD_KEYS, restart, run this command, then drop the old key.
Safe to rerun and to interrupt: rows already under the current key are skipped.
"""

from collections import Counter

from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.db.models.functions import Cast

from yanxiu.core import crypto

BATCH = 500


def key_ids(model, fields):
    """{pk: [key id of each stored value]} read from the raw columns (not decrypted)."""
    casts = {f"raw_{f.name}": Cast(f.name, models.TextField()) for f in fields}
    rows = model._default_manager.annotate(**casts).values_list("pk", *casts)
    return {pk: [crypto.key_id_of(value) for value in raw if value] for pk, *raw in rows}


def census():
    """Counter of (model label, key id) over every stored encrypted value (not rows)."""
    counts = Counter()
    for model, fields, _ in crypto.encrypted_models():
        for ids in key_ids(model, fields).values():
            for key_id in ids:
                counts[(model._meta.label, key_id)] += 1
    return counts


def rotate(stdout=None):
    current = crypto.keyring().current.id
    done = 0
    for model, fields, hashes in crypto.encrypted_models():
        stale = [pk for pk, ids in key_ids(model, fields).items() if set(ids) - {current}]
        names = [f.name for f in fields] + [h.name for h in hashes]
        for start in range(0, len(stale), BATCH):
            with transaction.atomic():
                rows = model._default_manager.select_for_update().filter(pk__in=stale[start : start + BATCH])
                for row in rows:
                    # Loading decrypts with whichever key wrote the value; saving encrypts
                    # with the current key and KeyedHashField.pre_save recomputes the hashes.
                    row.save(update_fields=names)
                    done += 1
        if stdout and stale:
            stdout.write(f"{model._meta.label}: {len(stale)} 行已用密钥 {current} 重新加密")
    return done


class Command(BaseCommand):
    help = "用当前密钥（YANXIU_DATA_KEY）重新加密全部个人信息并重算检索摘要；--check 只统计各密钥的数据量。"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只统计，不修改")

    def handle(self, *args, check=False, **options):
        current = crypto.keyring().current.id
        if not check:
            done = rotate(self.stdout)
            self.stdout.write(f"共重新加密 {done} 行；当前密钥 {current}。")
        counts = census()
        for (label, key_id), count in sorted(counts.items()):
            self.stdout.write(f"{label}\t{key_id}\t{count}")
        old = sorted({key_id for (_, key_id) in counts if key_id != current})
        if old:
            self.stdout.write(f"仍有数据使用旧密钥：{'、'.join(old)}（请运行 rotate_data_key）。")
        else:
            self.stdout.write("全部数据均使用当前密钥，可以从 YANXIU_DATA_OLD_KEYS 中删除旧密钥。")
