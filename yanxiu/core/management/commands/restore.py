"""manage.py restore PATH: verify an archive made by `backup`, then put its database and files back."""

from django.core.management.base import BaseCommand, CommandError

from yanxiu.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "从 backup 生成的归档恢复数据库和上传文件（先校验，再覆盖当前数据）。见 docs/operations.md。"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接覆盖当前数据库和上传文件")

    def handle(self, *args, path, yes=False, **options):
        if not yes:
            answer = input("恢复将覆盖当前数据库和全部上传文件。输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，未做任何修改。")
        try:
            manifest, differences, replaced = restore(path)
        except BackupError as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(f"已恢复 {manifest['created_at']} 的备份：{len(manifest['media'])} 个文件。")
        if replaced:
            self.stdout.write(f"原有上传文件已移到 {replaced}（确认无误后可删除）。")
        for line in differences:
            self.stdout.write(f"不一致：{line}")
        if differences:
            raise CommandError("恢复后的数据与备份清单不一致，请检查。")
        self.stdout.write("核对无误：各表行数和文件校验值与备份一致。请运行 manage.py migrate。")
