"""The one way to give or take an administrator role (三员分立, decision 0019): on the server."""

import getpass

from django.core.management.base import BaseCommand, CommandError

from yanxiu.accounts.domain import changes
from yanxiu.accounts.models import ADMIN_ROLES, Role, User
from yanxiu.accounts.passwords import policy_password
from yanxiu.core.refusal import Refused

ROLE_NAMES = ", ".join(f"{role.value}（{role.label}）" for role in Role)


class Command(BaseCommand):
    help = (
        "设置或收回管理员角色（系统管理员、安全管理员、审计管理员），记入审计记录。"
        "页面上不能设置管理员角色。--create 新建账号并打印一次性初始密码（首次登录须修改）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", help=f"角色：{ROLE_NAMES}")
        parser.add_argument("--create", action="store_true", help="账号不存在时新建")
        parser.add_argument("--display-name", default="", help="新建账号的姓名")

    def handle(self, *args, username, role, create=False, display_name="", **options):
        operator = getpass.getuser()
        password = None
        account = User.objects.filter(username=username).first()
        if account is None:
            if not create:
                raise CommandError(f"没有账号 {username}；新建请加 --create。")
            if role not in ADMIN_ROLES:
                raise CommandError("用命令新建的只能是管理员账号；业务账号由系统管理员在账号管理中创建。")
            password = policy_password()
            account = changes.create_admin(username, role, password, display_name=display_name, operator=operator)
        else:
            try:
                changes.set_admin_role(account, role, operator=operator)
            except Refused as refused:
                raise CommandError(refused.reason) from None
        self.stdout.write(f"{account.username} 现在是{Role(role).label}。")
        if password:
            self.stdout.write(f"初始密码（只显示这一次，首次登录须修改）：{password}")
