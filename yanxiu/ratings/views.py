"""Thin views: the applicant's matters to rate, the rating of one, the office's figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from yanxiu.applications.models import Application
from yanxiu.core.errors import show_on_form
from yanxiu.core.http import no_store
from yanxiu.core.refusal import Refused

from .domain import ratings
from .enums import DECIDED_STATES, MatterKind
from .forms import RatingForm


@login_required
def mine(request):
    if not request.user.has_perm("ratings.list_own_matters"):
        raise PermissionDenied("只有承办单位经办人有待评价的事项。")
    decided = list(
        Application.objects.visible_to(request.user)
        .filter(state__in=DECIDED_STATES)
        .select_related("call")
        .order_by("-call__year", "pk")
    )
    done = ratings.rated(MatterKind.APPLICATION, (a.pk for a in decided))
    return render(request, "ratings/mine.html", {"rows": [(a, done.get(a.pk)) for a in decided]})


@login_required
@no_store
def rate_application(request, pk):
    application = get_object_or_404(Application.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm("ratings.rate_application", application):
        raise PermissionDenied("只有申报单位本单位的经办人可以评价本事项。")
    existing = ratings.rated(MatterKind.APPLICATION, [application.pk]).get(application.pk)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ratings.rate_application(application, request.user, **form.cleaned_data)
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, "感谢您的评价！")
            return redirect("ratings:mine")
    status = 409 if form.errors and request.method == "POST" and not form.has_error("level") else 200
    return render(
        request, "ratings/rate.html", {"application": application, "form": form, "existing": existing}, status=status
    )


@login_required
def figures(request):
    if not request.user.has_perm("ratings.view_figures"):
        raise PermissionDenied("只有省人社厅经办人可以查看好差评统计。")
    return render(
        request,
        "ratings/figures.html",
        {"figures": ratings.figures(), "comments": ratings.comments()},
    )
