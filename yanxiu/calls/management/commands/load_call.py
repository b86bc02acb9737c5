from django.core.management.base import BaseCommand

from yanxiu.calls.domain.calls import load_call_file


class Command(BaseCommand):
    help = "Load (or update) a call from its JSON file; default: the 2026 call of the notice."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?")

    def handle(self, path=None, **options):
        call = load_call_file(path)
        self.stdout.write(f"已载入 {call}")
