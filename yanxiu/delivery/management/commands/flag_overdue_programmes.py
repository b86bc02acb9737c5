from django.core.management.base import BaseCommand

from yanxiu.delivery.domain.programmes import ensure_programmes, flag_overdue


class Command(BaseCommand):
    help = (
        "Create run records for planned programmes and flag those not finished by the call's completion date (daily)."
    )

    def handle(self, *args, **options):
        created = ensure_programmes()
        flagged = flag_overdue()
        self.stdout.write(f"created {created}, flagged {len(flagged)}")
        for programme in flagged:
            self.stdout.write(f"  {programme.pk} {programme}")
