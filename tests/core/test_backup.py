"""Back up, wipe, restore: the same rows and the same files (SQLite and PostgreSQL)."""

import shutil
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from tests.delivery.helpers import add_trainees, host_of, planned
from yanxiu.core.backup import media_files, row_counts
from yanxiu.delivery.domain import closing
from yanxiu.delivery.models import ProgrammeFile, Trainee

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(settings):
    programme = planned()
    host = host_of(programme)
    trainees = add_trainees(programme, 5)
    closing.upload(programme, "closure_report", SimpleUploadedFile("总结.pdf", b"%PDF-1.4 report"), host)
    closing.upload(programme, "photo", SimpleUploadedFile("a.png", PNG), host)
    return programme, trainees


def test_backup_wipe_restore_gives_back_every_row_and_file(world, tmp_path, settings, capsys):
    _programme, trainees = world
    counts, files = row_counts(), media_files()
    assert counts["delivery.Trainee"] == 5
    assert sum(p.startswith("delivery/") for p in files) == 2  # the report and the photo (and the batch scans)
    archive = tmp_path / "backups" / "yanxiu.tar.gz"

    call_command("backup", str(archive))
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert names[0] == "manifest.json"
    assert ("database.dump" if connection.vendor == "postgresql" else "database.sqlite3") in names
    assert sorted(n for n in names if n.startswith("media/")) == sorted(f"media/{p}" for p in files)

    # Wipe: every table emptied, every uploaded file gone.
    call_command("flush", interactive=False)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert row_counts()["delivery.Trainee"] == 0
    assert media_files() == {}

    call_command("restore", str(archive), yes=True)
    assert "核对无误" in capsys.readouterr().out
    assert row_counts() == counts
    assert media_files() == files
    # The restored rows read as before (the key is not in the archive, the ciphertexts are).
    assert sorted(Trainee.objects.values_list("id_number", flat=True)) == sorted(t.id_number for t in trainees)
    photo = ProgrammeFile.objects.get(kind="photo")
    with photo.file.open("rb") as handle:
        assert handle.read() == PNG


def test_a_damaged_archive_is_refused_before_anything_changes(world, tmp_path):
    archive = tmp_path / "yanxiu.tar.gz"
    call_command("backup", str(archive))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/") and member.name.endswith(".png"):
                data = data[:-1] + b"1"
            member.size = len(data)
            target.addfile(member, __import__("io").BytesIO(data))
    before = row_counts()
    with pytest.raises(CommandError, match="校验失败"):
        call_command("restore", str(damaged), yes=True)
    assert row_counts() == before


def test_restore_asks_before_overwriting(world, tmp_path, monkeypatch):
    archive = tmp_path / "yanxiu.tar.gz"
    call_command("backup", str(archive))
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="已取消"):
        call_command("restore", str(archive))


def test_restore_drill_counts_every_table_in_a_scratch_database_and_leaves_the_live_one(world, tmp_path, capsys):
    archive = tmp_path / "yanxiu.tar.gz"
    call_command("backup", str(archive))
    counts = row_counts()

    call_command("restore", str(archive), scratch=True)
    out = capsys.readouterr().out
    assert "核对无误：每张表的行数与当前数据库一致" in out
    trainee_line = next(line for line in out.splitlines() if line.startswith("delivery_trainee "))
    assert trainee_line.split()[1:] == ["5", "5"]
    assert row_counts() == counts  # the live database is untouched
    if connection.vendor == "postgresql":  # and the scratch database is gone
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE %s", ["%_restore_check"])
            assert cursor.fetchone()[0] == 0


def test_restore_drill_names_the_table_whose_rows_differ_from_the_live_ones(world, tmp_path, capsys):
    archive = tmp_path / "yanxiu.tar.gz"
    call_command("backup", str(archive))
    add_trainees(planned(), 1)  # written after the backup: the live trainee table has one row more

    with pytest.raises(CommandError, match="delivery_trainee"):
        call_command("restore", str(archive), scratch=True)
    out = capsys.readouterr().out
    trainee_line = next(line for line in out.splitlines() if line.startswith("delivery_trainee "))
    assert trainee_line.split()[1:3] == ["6", "5"]
    assert "不一致" in trainee_line
