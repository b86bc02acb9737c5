from django.core.management.base import BaseCommand, CommandError

from yanxiu.calls.domain.calls import copy_call
from yanxiu.calls.models import Call


class Command(BaseCommand):
    help = "Copy a call to another year, moving every date by the difference."

    def add_arguments(self, parser):
        parser.add_argument("source_year", type=int)
        parser.add_argument("target_year", type=int)

    def handle(self, source_year, target_year, **options):
        source = Call.objects.filter(year=source_year).first()
        if source is None:
            raise CommandError(f"没有{source_year}年度通知。")
        try:
            call = copy_call(source, target_year)
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(f"已复制为 {call}")
