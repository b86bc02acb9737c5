"""The statistics page's figures as JSON, through the same scope and permission."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Query, Router, Schema

from yanxiu.calls.models import Call
from yanxiu.organisations.models import Authority
from yanxiu.statistics.domain import figures
from yanxiu.statistics.interfaces.forms import default_call

from ..errors import responses

router = Router(tags=["统计分析"])


class CardOut(Schema):
    key: str
    label: str
    value: float
    unit: str


class SeriesOut(Schema):
    name: str
    values: list[float]


class ChartOut(Schema):
    key: str
    title: str
    kind: str
    categories: list[str]
    series: list[SeriesOut]


class StatisticsOut(Schema):
    call: int
    tier: str
    authority: str | None
    cards: list[CardOut]
    charts: list[ChartOut]


class StatisticsQuery(Schema):
    call: int | None = None
    tier: str | None = None
    authority: int | None = None


@router.get("/statistics", response=responses(StatisticsOut), summary="统计分析（与统计页面相同的数字）")
def get_statistics(request, query: Query[StatisticsQuery]):
    user = request.user
    if not user.has_perm("statistics.view_statistics"):
        raise PermissionDenied("只有省人社厅和主管部门可以查看统计分析。")
    call = Call.objects.filter(year=query.call).first() if query.call else default_call()
    if call is None:
        raise Http404
    tier = query.tier if query.tier in ("national", "provincial") else ""
    authority = None
    if query.authority and user.has_perm("statistics.filter_by_authority"):
        authority = Authority.objects.filter(pk=query.authority).first()
        if authority is None:
            raise Http404
    scope = figures.Scope(user=user, call=call, tier=tier, authority=authority)
    return {
        "call": call.year,
        "tier": tier,
        "authority": authority.name if authority else None,
        "cards": [
            {"key": c.key, "label": c.label, "value": float(c.value), "unit": c.unit} for c in figures.cards(scope)
        ],
        "charts": [chart.as_dict() for chart in figures.charts(scope)],
    }
