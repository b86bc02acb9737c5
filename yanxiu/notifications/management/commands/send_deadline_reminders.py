from django.core.management.base import BaseCommand

from yanxiu.notifications.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Remind institutions, authorities, experts and hosts 7, 3 and 1 days before each deadline "
        "(every app's domain/reminders.py; run daily; safe to rerun)."
    )

    def handle(self, **options):
        self.stdout.write(f"已发送 {send_deadline_reminders()} 条提醒。")
