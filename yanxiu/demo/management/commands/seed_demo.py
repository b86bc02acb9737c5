from django.core.management.base import BaseCommand

from yanxiu.demo.today import seed_pending_registration, seed_today
from yanxiu.demo.world import DEMO_PASSWORD, accounts_table, seed


class Command(BaseCommand):
    help = (
        "Reference data, the 2026 call (and 2027), demo organisations, users and applications, and the demo of today."
    )

    def handle(self, **options):
        seed()
        seed_today()  # an open call, a programme enrolling, one running, one to close: around today
        seed_pending_registration()  # a registration waiting in zz_rsj's inbox (decision 0023)
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for role, username, organisation in accounts_table():
            self.stdout.write(f"  {role:<10}  {username:<14}  {organisation}")
        self.stdout.write("")
