from django.core.management.base import BaseCommand

from yanxiu.demo.world import DEMO_PASSWORD, accounts_table, seed


class Command(BaseCommand):
    help = "Load reference data, the 2026 call (and 2027, copied), demo institutions, users and applications."

    def handle(self, **options):
        seed()
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for role, username, organisation in accounts_table():
            self.stdout.write(f"  {role:<10}  {username:<14}  {organisation}")
        self.stdout.write("")
