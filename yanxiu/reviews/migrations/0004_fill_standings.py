"""Store every existing review's exact total and build the standings of every round."""

from django.db import migrations


def fill(apps, schema_editor):
    from yanxiu.reviews.domain import standings
    from yanxiu.reviews.models import ReviewRound

    # The domain functions work on the current models: the tables match them at this point.
    for review_round in ReviewRound.objects.all():
        standings.recompute_totals(review_round)
        standings.refresh_standings(review_round)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_standings")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
