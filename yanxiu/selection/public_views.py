"""The public 公示 page: no login (decision 0026)."""

from datetime import timedelta

from django.shortcuts import render

from yanxiu.core import clock

from .models import Publicity

# An ended 公示 stays on the page this long, marked as ended.
SHOWN_AFTER_END = timedelta(days=30)


def publicity(request):
    today = clock.today()
    publicities = Publicity.objects.filter(
        ends_on__gte=today - SHOWN_AFTER_END, starts_on__lte=today + timedelta(days=7)
    )
    return render(
        request,
        "selection/public/publicity.html",
        {"publicities": publicities.select_related("call"), "today": today},
    )
