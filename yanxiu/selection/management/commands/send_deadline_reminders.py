from django.core.management.base import BaseCommand

from yanxiu.selection.domain.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = "Remind institutions and authorities 7, 3 and 1 days before each deadline (run daily; safe to rerun)."

    def handle(self, **options):
        self.stdout.write(f"已发送 {send_deadline_reminders()} 条提醒。")
