"""Backup and restore of the database and the uploaded files together, as one
archive (see docs/operations.md).

The archive is a .tar.gz holding:
- ``manifest.json``: format, time, database engine, the last applied migration
  per app, row counts per model, and the size and SHA-256 of every other member;
- ``database.dump`` (PostgreSQL: ``pg_dump --format=custom``) or
  ``database.sqlite3`` (SQLite: the online backup API, consistent while the
  system runs);
- ``media/…``: every file under MEDIA_ROOT.

The encryption keys (YANXIU_DATA_KEY…) are deliberately not in the archive:
keep them apart from the backups, or the ID numbers in them are readable by
anyone holding the archive — and without them they are unreadable by everyone.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder

from . import clock

FORMAT = "yanxiu-backup/1"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on, with the reason."""


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _engine():
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"不支持的数据库：{vendor}")
    return vendor


def _pg_env_and_args():
    db = connection.settings_dict
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    return env, ["--dbname", db["NAME"]]


def _run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 (fixed argv)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{result.stderr.strip()[-2000:]}")


def row_counts():
    """{model label: rows} for every concrete model."""
    return {
        model._meta.label: model._default_manager.using(connection.alias).count()
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
    }


def media_files(root=None):
    """{relative posix path: sha256} of every file under MEDIA_ROOT."""
    root = Path(root or settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {path.relative_to(root).as_posix(): sha256_of(path) for path in sorted(root.rglob("*")) if path.is_file()}


def _dump_database(target):
    if _engine() == "postgresql":
        env, args = _pg_env_and_args()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args], env)
        return "database.dump"
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    return "database.sqlite3"


def backup(path):
    """Write the archive to `path`; return its manifest."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / "database"
        name = _dump_database(dump)
        counts = row_counts()
        recorder = MigrationRecorder(connection)
        migrations = dict(recorder.migration_qs.order_by("id").values_list("app", "name"))  # the last per app
        media_root = Path(settings.MEDIA_ROOT)
        files = media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": clock.now().isoformat(),
            "engine": _engine(),
            "migrations": migrations,
            "counts": counts,
            "database": {"name": name, "size": dump.stat().st_size, "sha256": sha256_of(dump)},
            "media": [
                {"path": rel, "size": (media_root / rel).stat().st_size, "sha256": digest}
                for rel, digest in files.items()
            ],
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=name, recursive=False)
            for rel in files:
                archive.add(media_root / rel, arcname=f"media/{rel}", recursive=False)
        partial.replace(path)  # a complete archive or none
    return manifest


def _safe_member(name):
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise BackupError(f"备份文件中有不安全的路径：{name}")
    return pure


def read_and_verify(path, work):
    """Unpack into `work` and check every checksum against the manifest; return the manifest."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive.getmembers():
                _safe_member(member.name)
            archive.extractall(work, filter="data")
    except (OSError, tarfile.TarError) as problem:
        raise BackupError(f"无法读取备份文件：{problem}") from problem
    manifest_path = Path(work) / MANIFEST
    if not manifest_path.exists():
        raise BackupError("备份文件中没有 manifest.json。")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的备份格式：{manifest.get('format')}")
    expected = [(manifest["database"]["name"], manifest["database"]["sha256"])]
    expected += [(f"media/{item['path']}", item["sha256"]) for item in manifest["media"]]
    for name, digest in expected:
        member = Path(work) / _safe_member(name)
        if not member.is_file() or sha256_of(member) != digest:
            raise BackupError(f"校验失败：{name} 缺失或已损坏，未做任何恢复。")
    return manifest


def _restore_database(manifest, work):
    dump = Path(work) / manifest["database"]["name"]
    if manifest["engine"] != _engine():
        raise BackupError(f"备份来自 {manifest['engine']} 数据库，当前是 {_engine()}。")
    if _engine() == "postgresql":
        env, args = _pg_env_and_args()
        connections.close_all()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                *args,
                str(dump),
            ],
            env,
        )
        return
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_media(work):
    """Put the archive's files in place of MEDIA_ROOT; the files it replaced are kept beside it."""
    root = Path(settings.MEDIA_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    unpacked = Path(work) / "media"
    staged = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=root.parent))
    if unpacked.exists():
        shutil.copytree(unpacked, staged, dirs_exist_ok=True)
    replaced = None
    if root.exists():
        replaced = root.with_name(f"{root.name}.replaced-{clock.now():%Y%m%d%H%M%S}")
        root.rename(replaced)
    staged.rename(root)
    return replaced


def restore(path):
    """Verify the archive, then replace the database and MEDIA_ROOT with its contents.
    Returns (manifest, differences, replaced media folder or None)."""
    with tempfile.TemporaryDirectory() as work:
        manifest = read_and_verify(path, work)
        _restore_database(manifest, work)
        replaced = _restore_media(work)
    differences = verify_restored(manifest)
    return manifest, differences, replaced


def verify_restored(manifest):
    """What differs between the restored system and the manifest ([] when all is back)."""
    problems = []
    counts = row_counts()
    for label, count in manifest["counts"].items():
        if counts.get(label) != count:
            problems.append(f"{label}: 备份 {count} 行，恢复后 {counts.get(label)} 行")
    on_disk = media_files()
    problems.extend(
        f"文件 {item['path']} 与备份不一致" for item in manifest["media"] if on_disk.get(item["path"]) != item["sha256"]
    )
    return problems


def table_counts(wrapper):
    """{table: rows} of every table in the database behind `wrapper` (a connection)."""
    with wrapper.cursor() as cursor:
        tables = sorted(wrapper.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {wrapper.ops.quote_name(table)}")  # noqa: S608 (introspected names)
            counts[table] = cursor.fetchone()[0]
    return counts


def _scratch_connection(name):
    """A second connection like the live one, to the database (PostgreSQL) or file (SQLite) `name`."""
    live = connections[connection.alias]  # `connection` is a proxy: its class is not the backend's
    return live.__class__({**live.settings_dict, "NAME": name}, alias=live.alias)  # never registered


def restore_into_scratch(path, name=None, keep=False):
    """Restore the archive's database into a scratch database beside the live one and count every
    table's rows in both; the live data is not touched. Returns (manifest, {table: (live, restored)},
    the scratch database's name, or None once dropped). The files are checked against their
    checksums while unpacking (read_and_verify), not restored."""
    engine = _engine()
    with tempfile.TemporaryDirectory() as work:
        manifest = read_and_verify(path, work)
        if manifest["engine"] != engine:
            raise BackupError(f"备份来自 {manifest['engine']} 数据库，当前是 {engine}。")
        dump = Path(work) / manifest["database"]["name"]
        if engine == "postgresql":
            name = name or f"{connection.settings_dict['NAME']}_restore_check"
            if name == connection.settings_dict["NAME"]:
                raise BackupError("临时数据库不能与当前数据库同名。")
            quoted = connection.ops.quote_name(name)
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
                cursor.execute(f"CREATE DATABASE {quoted}")
            env, _args = _pg_env_and_args()
            _run(
                ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--dbname", name, str(dump)],
                env,
            )
        else:
            name = name or str(Path(tempfile.mkdtemp(prefix="restore-check-")) / "scratch.sqlite3")
            shutil.copyfile(dump, name)
    scratch = _scratch_connection(name)
    try:
        restored = table_counts(scratch)
    finally:
        scratch.close()
    live = table_counts(connection)
    tables = {table: (live.get(table), restored.get(table)) for table in sorted(live.keys() | restored.keys())}
    if not keep:
        _drop_scratch(name)
        name = None
    return manifest, tables, name


def _drop_scratch(name):
    if _engine() == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
    else:
        Path(name).unlink(missing_ok=True)
