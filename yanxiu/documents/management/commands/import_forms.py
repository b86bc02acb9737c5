"""python manage.py import_forms PATH ... [--dry-run] [--json] [--user NAME] [--report FILE]"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yanxiu.accounts.models import Role, User
from yanxiu.documents.imports import report
from yanxiu.documents.imports.importer import ASK, ON_DUPLICATE, import_sources
from yanxiu.documents.imports.sources import expand_paths


class Command(BaseCommand):
    help = "导入手工填写的 Word 申报表（附件1、附件2、附件3）：文件、文件夹、.zip 压缩包或 .eml 邮件。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="文件、文件夹、.zip 或 .eml")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")
        parser.add_argument("--json", action="store_true", help="每个文件输出一行 JSON")
        parser.add_argument("--user", help="以哪个用户的身份导入（默认：第一个省人社厅经办人）")
        parser.add_argument("--report", help="导入报告 .xlsx 的路径（默认写入 var/imports/）")
        parser.add_argument(
            "--on-duplicate",
            choices=list(ON_DUPLICATE),
            default=ASK,
            help="与已有申报相同（同一单位、年度、级别、名称）时：ask 不导入（默认）、update 更新原草稿、copy 另存为副本",
        )

    def handle(self, *args, paths, dry_run, json, user, report, on_duplicate=ASK, **options):
        actor = self._actor(user)
        results = []
        for result in import_sources(expand_paths(paths), actor=actor, dry_run=dry_run, on_duplicate=on_duplicate):
            results.append(result)
            if json:
                self.stdout.write(_dumps(result.as_json()))
        target = (
            Path(report)
            if report
            else Path(settings.VAR_DIR) / "imports" / f"import-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx"
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_report().xlsx(results))
        if not json:
            self.stdout.write(_report().screen(results))
            imported = sum(r.status in ("imported", "checked") for r in results)
            verb = "可导入" if dry_run else "已导入"
            self.stdout.write(
                f"\n共 {len(results)} 个文件，{verb} {imported} 个，未导入 {len(results) - imported} 个。报告：{target}"
            )

    def _actor(self, username):
        if username:
            try:
                return User.objects.get(username=username)
            except User.DoesNotExist as exc:
                raise CommandError(f"用户“{username}”不存在。") from exc
        actor = User.objects.filter(role=Role.PROVINCE_OFFICER, is_active=True).order_by("pk").first()
        if actor is None:
            raise CommandError("系统中没有省人社厅经办人账号，请用 --user 指定导入人。")
        return actor


def _report():
    return report


def _dumps(data):
    return json.dumps(data, ensure_ascii=False, sort_keys=False)
