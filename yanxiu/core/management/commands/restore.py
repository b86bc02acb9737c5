"""manage.py restore PATH: verify an archive made by `backup`, then put its database and files back.

manage.py restore PATH --scratch: restore its database into a scratch database beside the live one
instead, print every table's rows in both, drop it; non-zero when a count differs (a restore drill)."""

import time

from django.core.management.base import BaseCommand, CommandError

from yanxiu.core.backup import BackupError, restore, restore_into_scratch


class Command(BaseCommand):
    help = "从 backup 生成的归档恢复数据库和上传文件（先校验，再覆盖当前数据）。见 docs/operations.md。"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接覆盖当前数据库和上传文件")
        parser.add_argument(
            "--scratch",
            action="store_true",
            help="恢复演练：把数据库恢复到一个临时数据库，与当前数据库逐表核对行数，然后删除它；不动当前数据",
        )
        parser.add_argument("--scratch-name", default=None, help="临时数据库名（PostgreSQL）或文件（SQLite）")
        parser.add_argument("--keep", action="store_true", help="核对后保留临时数据库")

    def handle(self, *args, path, yes=False, scratch=False, scratch_name=None, keep=False, **options):
        if scratch:
            return self.drill(path, scratch_name, keep)
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
        return None

    def drill(self, path, name, keep):
        started = time.monotonic()
        try:
            manifest, tables, kept = restore_into_scratch(path, name=name, keep=keep)
        except BackupError as problem:
            raise CommandError(str(problem)) from problem
        seconds = time.monotonic() - started
        width = max(len(table) for table in tables)
        self.stdout.write(f"{'表':<{width}}  {'当前':>9}  {'恢复':>9}")
        differing = []
        for table, (live, restored) in tables.items():
            mark = "" if live == restored else "  ← 不一致"
            if mark:
                differing.append(table)
            self.stdout.write(
                f"{table:<{width}}  {live if live is not None else '-':>9}  "
                f"{restored if restored is not None else '-':>9}{mark}"
            )
        rows = sum(restored or 0 for _live, restored in tables.values())
        self.stdout.write(
            f"恢复演练：{manifest['created_at']} 的备份，{len(tables)} 张表共 {rows} 行，"
            f"{len(manifest['media'])} 个文件校验无误，用时 {seconds:.1f} 秒。"
        )
        if kept:
            self.stdout.write(f"临时数据库保留为 {kept}。")
        if differing:
            raise CommandError(
                f"{len(differing)} 张表的行数与当前数据库不一致（备份之后如有写入，请在备份后立即演练）："
                + "、".join(differing[:10])
            )
        self.stdout.write("核对无误：每张表的行数与当前数据库一致。")
