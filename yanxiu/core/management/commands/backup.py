"""manage.py backup PATH: the database and every uploaded file in one archive with checksums."""

from django.core.management.base import BaseCommand, CommandError

from yanxiu.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库和上传文件到一个归档文件（.tar.gz，含校验清单）。见 docs/operations.md。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="归档文件路径，例如 /srv/backup/yanxiu-20261201.tar.gz")

    def handle(self, *args, path, **options):
        try:
            manifest = backup(path)
        except BackupError as problem:
            raise CommandError(str(problem)) from problem
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"已备份到 {path}：{manifest['engine']} 数据库（{rows} 行），{len(manifest['media'])} 个文件。"
        )
