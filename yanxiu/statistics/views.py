"""The statistics page (统计分析): cards, charts with their tables, .xlsx and JSON of the same numbers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import render

from yanxiu.core.downloads import XLSX, attachment

from .domain import figures
from .interfaces.export import chart_workbook
from .interfaces.forms import StatisticsFilterForm

REFUSAL = "只有省人社厅和主管部门可以查看统计分析。"


def _scope(request):
    if not request.user.has_perm("statistics.view_statistics"):
        raise PermissionDenied(REFUSAL)
    form = StatisticsFilterForm(request.GET or None, user=request.user)
    return form, form.scope()


@login_required
def index(request):
    form, scope = _scope(request)
    if scope is None:
        return render(request, "statistics/index.html", {"form": form, "scope": None})
    cards = figures.cards(scope)
    charts = figures.charts(scope)
    return render(
        request,
        "statistics/index.html",
        {
            "form": form,
            "scope": scope,
            "cards": cards,
            "charts": charts,
            "chart_data": [chart.as_dict() for chart in charts],
            "query": scope.list_query(),
        },
    )


@login_required
def data(request):
    """The same figures as JSON, for analysts' own tools."""
    _form, scope = _scope(request)
    if scope is None:
        raise Http404("尚无年度申报通知。")
    return JsonResponse(
        {
            "call": scope.call.year,
            "tier": scope.tier,
            "authority": scope.authority.name if scope.authority else None,
            "cards": [
                {"key": c.key, "label": c.label, "value": float(c.value), "unit": c.unit} for c in figures.cards(scope)
            ],
            "charts": [chart.as_dict() for chart in figures.charts(scope)],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
def export(request, key):
    _form, scope = _scope(request)
    chart = figures.chart(scope, key) if scope is not None else None
    if chart is None:
        raise Http404("没有这项统计。")
    return attachment(chart_workbook(chart, scope), f"{scope.call.year}年{chart.title}.xlsx", XLSX)
