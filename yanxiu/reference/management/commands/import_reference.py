from django.core.management.base import BaseCommand, CommandError

from yanxiu.reference.importers import KINDS, ImportFailed, import_file, load_defaults


class Command(BaseCommand):
    help = "Import a reference dictionary from .csv/.xlsx, or load the built-in defaults with --defaults."

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?", choices=sorted(KINDS))
        parser.add_argument("path", nargs="?")
        parser.add_argument("--replace", action="store_true", help="deactivate entries not in the file")
        parser.add_argument("--defaults", action="store_true", help="load the project's built-in reference data")

    def handle(self, kind=None, path=None, replace=False, defaults=False, **options):
        try:
            if defaults:
                for result in load_defaults():
                    self.stdout.write(str(result))
                return
            if not kind or not path:
                raise CommandError("用法：import_reference KIND PATH [--replace]，或 import_reference --defaults")
            self.stdout.write(str(import_file(kind, path, replace=replace)))
        except ImportFailed as failure:
            raise CommandError("导入失败，未做任何修改：\n" + "\n".join(failure.problems)) from failure
