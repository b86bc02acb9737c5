"""Personal data at rest: SM4-GCM (GB/T 32907, authenticated) with a key from
the environment, and a keyed hash (HMAC-SHA256) beside each encrypted value for
lookups and uniqueness. See docs/decisions/0006-personal-data-at-rest.md.

Keys come from settings (environment variables):
- ``YANXIU_DATA_KEY``: the current key, ``<id>:<key>`` with the key in base64 or
  hex (16 to 64 bytes); new values are written with it.
- ``YANXIU_DATA_OLD_KEYS``: earlier keys, comma-separated, read until
  ``manage.py rotate_data_key`` has re-encrypted every row with the current one.

Each key gives two derived keys (HKDF-SHA256): a 128-bit SM4 key and a 256-bit
HMAC key. A stored value reads ``sm4gcm$<key id>$<base64url(nonce | ciphertext | tag)>``;
the field's purpose is the associated data, so a value copied into another
column does not decrypt.
"""

import base64
import binascii
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.functions import Cast

from .validators import normalise_code

PREFIX = "sm4gcm"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
HEX_RE = re.compile(r"^(?:[0-9a-fA-F]{2}){16,64}$")

# Development and tests only: settings refuse to start in production without
# YANXIU_DATA_KEY, and `check_production_key` refuses this one there.
DEV_KEY = "dev:ZGV2ZWxvcG1lbnQtb25seS1rZXktbm90LWZvci1wcm9kIQ=="


class DecryptionFailed(Exception):
    """A stored value that no configured key opens (wrong key, altered or moved data)."""


@dataclass(frozen=True)
class DataKey:
    id: str
    cipher_key: bytes
    hash_key: bytes


def _derive(material, info, length):
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(material)


def parse_key(text):
    """``<id>:<base64 or hex>`` → DataKey; ImproperlyConfigured with a clear message otherwise."""
    key_id, sep, encoded = (text or "").strip().partition(":")
    if not sep or not KEY_ID_RE.match(key_id):
        raise ImproperlyConfigured(
            "YANXIU_DATA_KEY must read <id>:<key>, the id 1-16 letters, digits, '-' or '_' (for example k2026:…)."
        )
    encoded = encoded.strip()
    try:
        if HEX_RE.match(encoded):
            material = bytes.fromhex(encoded)
        else:
            material = base64.b64decode(encoded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"YANXIU_DATA_KEY {key_id}: the key is neither hex nor base64.") from None
    if not 16 <= len(material) <= 64:
        raise ImproperlyConfigured(
            f"YANXIU_DATA_KEY {key_id}: the key must be 16 to 64 random bytes (got {len(material)})."
        )
    return DataKey(
        id=key_id,
        cipher_key=_derive(material, b"yanxiu/sm4-gcm", 16),
        hash_key=_derive(material, b"yanxiu/hmac-sha256", 32),
    )


@dataclass(frozen=True)
class Keyring:
    current: DataKey
    all: tuple  # current first, then the old keys

    def get(self, key_id):
        for key in self.all:
            if key.id == key_id:
                return key
        raise DecryptionFailed(f"no configured key has the id {key_id!r} (YANXIU_DATA_OLD_KEYS?)")


@lru_cache(maxsize=8)
def _keyring(current, old):
    keys = [parse_key(current)] + [parse_key(text) for text in old]
    ids = [key.id for key in keys]
    if len(set(ids)) != len(ids):
        raise ImproperlyConfigured(f"YANXIU_DATA_KEY / YANXIU_DATA_OLD_KEYS: a key id is used twice ({ids}).")
    return Keyring(current=keys[0], all=tuple(keys))


def keyring():
    """The configured keys (read from settings each time, parsed once)."""
    return _keyring(
        getattr(settings, "YANXIU_DATA_KEY", "") or DEV_KEY, tuple(getattr(settings, "YANXIU_DATA_OLD_KEYS", ()))
    )


def check_production_key():
    """Start-up check: the keys parse, and production does not run on the development key."""
    ring = keyring()
    if getattr(settings, "PRODUCTION", False) and any(
        key.cipher_key == parse_key(DEV_KEY).cipher_key for key in ring.all
    ):
        raise ImproperlyConfigured("YANXIU_DATA_KEY: the development key cannot be used in production.")
    return ring


def _b64(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def is_ciphertext(value):
    return isinstance(value, str) and value.startswith(PREFIX + "$")


def key_id_of(stored):
    """The key id of a stored value ('' for an empty value)."""
    if not stored:
        return ""
    if not is_ciphertext(stored):
        raise DecryptionFailed("the stored value is not encrypted")
    return stored.split("$", 2)[1]


def encrypt(plain, purpose):
    key = keyring().current
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key.cipher_key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(purpose.encode())
    body = encryptor.update(plain.encode()) + encryptor.finalize()
    return f"{PREFIX}${key.id}${_b64(nonce + body + encryptor.tag)}"


def decrypt(stored, purpose):
    try:
        prefix, key_id, payload = stored.split("$", 2)
        raw = _unb64(payload)
    except (ValueError, binascii.Error):
        raise DecryptionFailed("the stored value is not a ciphertext of this system") from None
    if prefix != PREFIX or len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionFailed("the stored value is not a ciphertext of this system")
    key = keyring().get(key_id)
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key.cipher_key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(purpose.encode())
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except InvalidTag:
        raise DecryptionFailed(f"the value does not authenticate under key {key_id!r}") from None


def keyed_hash(purpose, value, key=None):
    """HMAC-SHA256 of a normalised value under the current key (or `key`), as 64 hex digits."""
    key = key or keyring().current
    return hmac.new(key.hash_key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


def lookup_hashes(purpose, value):
    """The hashes `value` may be stored under: one per configured key (old keys only until rotation is done)."""
    return [keyed_hash(purpose, value, key) for key in keyring().all]


class EncryptedField(models.CharField):
    """Text stored encrypted (SM4-GCM). `max_length` limits the plain text; the
    column is unbounded text. No lookups but isnull: search the hash beside it."""

    def __init__(self, *args, purpose, code=False, **kwargs):
        self.purpose = purpose
        # A phone or number: cleaned to half-width like `core.fields.CodeField` (Python only,
        # so not deconstructed: the column does not change).
        self.code = code
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_code(value) if self.code else value

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def get_internal_type(self):
        return "TextField"

    def get_lookup(self, lookup_name):
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def get_transform(self, lookup_name):
        return None

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value, self.purpose)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value, self.purpose)


class KeyedHashField(models.CharField):
    """The keyed hash of another field's (already normalised) value, set on every save."""

    def __init__(self, *args, source, purpose, **kwargs):
        self.source, self.purpose = source, purpose
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, purpose=self.purpose)
        for name_, default in (("max_length", 64), ("editable", False), ("default", ""), ("blank", True)):
            if kwargs.get(name_) == default:
                kwargs.pop(name_)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.source)
        digest = keyed_hash(self.purpose, value) if value else ""
        setattr(model_instance, self.attname, digest)
        return digest


def encrypted_models():
    """[(model, [EncryptedField…], [KeyedHashField…])] for every installed model with encrypted fields."""
    found = []
    for model in apps.get_models():
        encrypted = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
        if encrypted:
            hashed = [f for f in model._meta.concrete_fields if isinstance(f, KeyedHashField)]
            found.append((model, encrypted, hashed))
    return found


def encrypt_in_place(app_label, model_name, field_names):
    """(forwards, backwards) for a data migration that encrypts columns written in clear
    (and decrypts them again on the way back). Rows already encrypted are skipped."""

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        manager = model._default_manager.using(schema_editor.connection.alias)
        casts = [Cast(name, models.TextField()) for name in field_names]
        for pk, *values in list(manager.values_list("pk", *casts)):
            if all(not value or is_ciphertext(value) for value in values):
                continue
            manager.filter(pk=pk).update(**dict(zip(field_names, values, strict=True)))

    def backwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        connection = schema_editor.connection
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(f"{connection.ops.quote_name(model._meta.get_field(n).column)} = %s" for n in field_names)
        pk_column = connection.ops.quote_name(model._meta.pk.column)
        rows = list(model._default_manager.using(connection.alias).values_list("pk", *field_names))
        with connection.cursor() as cursor:
            for pk, *values in rows:
                cursor.execute(f"UPDATE {table} SET {columns} WHERE {pk_column} = %s", [*values, pk])  # noqa: S608

    return forwards, backwards
