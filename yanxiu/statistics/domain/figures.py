"""The province's yearly figures (统计分析), as database aggregates.

Every figure is a GROUP BY over the rows the user may see (the same
`visible_to` scoping as the lists), so the number of queries is fixed however
many applications, trainees or reviews there are. Each chart is a `Chart`:
categories, one or more series, and the table printed beside it.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Avg, Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.urls import reverse

from yanxiu.applications.domain.stages import STAGES
from yanxiu.applications.enums import PLANNED_STATES, ApplicationState, Funding, TraineeTitleLevel
from yanxiu.applications.models import Application, TopicClaim
from yanxiu.calls.enums import Tier, TopicAreaCode
from yanxiu.delivery.enums import EnrolmentState, ProgrammeState, Sector
from yanxiu.delivery.models import Certificate, Programme, SurveyResponse, Trainee
from yanxiu.reviews.models import Review, ReviewRound

FUNNEL = ("created", "submitted", "approved", "forwarded", "planned")
SCORE_BINS = 10  # 0–10, 10–20 … 90–100


@dataclass(frozen=True)
class Scope:
    """What the page shows: one call, optionally one tier and one authority, as the user may see it."""

    user: object
    call: object
    tier: str = ""
    authority: object = None

    def _scoped(self, queryset, application, all_calls):
        """`queryset` limited to this scope; `application` is the path from its rows to the application."""
        prefix = f"{application}__" if application else ""
        if not all_calls:
            queryset = queryset.filter(**{f"{prefix}call": self.call})
        if self.tier:
            queryset = queryset.filter(**{f"{prefix}tier": self.tier})
        if self.authority is not None:
            queryset = queryset.filter(**{f"{prefix}institution__authority": self.authority})
        return queryset

    def applications(self, *, all_calls=False):
        return self._scoped(Application.objects.visible_to(self.user), "", all_calls)

    def programmes(self, *, all_calls=False):
        return self._scoped(Programme.objects.visible_to(self.user), "application", all_calls)

    def trainees(self, *, all_calls=False):
        return Trainee.objects.filter(programme__in=self.programmes(all_calls=all_calls), state=EnrolmentState.APPROVED)

    def _query(self, first, extra):
        params = dict(first)
        if self.tier:
            params["tier"] = self.tier
        if self.authority is not None:
            params["authority"] = self.authority.pk
        params.update(extra)
        return urlencode(params)

    def list_query(self, **extra):
        """The filters of this scope as the application lists' query string."""
        return self._query({"call": self.call.pk}, extra)

    def programme_list_query(self, **extra):
        """The same for the programme list, which is filtered by year."""
        return self._query({"year": self.call.year}, extra)


@dataclass(frozen=True)
class Card:
    key: str
    label: str
    value: object
    url: str
    unit: str = "项"


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # bar, pie, funnel, line, hbar
    categories: list
    series: list = field(default_factory=list)  # [(name, [values])]
    note: str = ""

    @property
    def rows(self):
        """The table beside the chart: one row per category, one column per series."""
        return [[category, *(values[i] for _, values in self.series)] for i, category in enumerate(self.categories)]

    @property
    def headers(self):
        return [name for name, _ in self.series]

    # Charts of shares: with nothing to share out, ECharts draws equal slices (decision 0017).
    SHARES = ("pie", "funnel")

    @property
    def has_nothing_to_draw(self):
        """No category, or a pie (funnel) whose values are all zero: the page says 暂无数据."""
        if not self.categories:
            return True
        return self.kind in self.SHARES and not any(v for _, values in self.series for v in values)

    def as_dict(self):
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "empty": self.has_nothing_to_draw,
            "categories": self.categories,
            "series": [{"name": name, "values": [_plain(v) for v in values]} for name, values in self.series],
        }


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def _counts(queryset, key, **aggregates):
    """{key value: {aggregate: n}} in one GROUP BY."""
    return {row[key]: row for row in queryset.order_by().values(key).annotate(**aggregates)}


# --- the cards --------------------------------------------------------------------


def cards(scope):
    applications = scope.applications().aggregate(
        submitted=Count("pk", filter=STAGES["submitted"].condition),
        forwarded=Count("pk", filter=STAGES["forwarded"].condition),
        demonstration=Count("pk", filter=Q(state=ApplicationState.PROVINCIAL_DEMONSTRATION)),
        ordinary=Count("pk", filter=Q(state=ApplicationState.PROVINCIAL_ORDINARY)),
        recommended=Count("pk", filter=STAGES["recommended"].condition),
        ministry=Count("pk", filter=Q(state=ApplicationState.MINISTRY_SELECTED)),
    )
    programmes = scope.programmes().aggregate(completed=Count("pk", filter=Q(state=ProgrammeState.COMPLETED)))
    trainees = scope.trainees().aggregate(enrolled=Count("pk"), certified=Count("certificate"))
    hours = Certificate.objects.filter(trainee__in=scope.trainees()).aggregate(total=Sum("credit_hours"))["total"]

    inbox = reverse("applications:inbox")
    delivery = reverse("delivery:list")
    return [
        Card("submitted", "申报项目", applications["submitted"], f"{inbox}?{scope.list_query()}"),
        Card("forwarded", "报送省人社厅", applications["forwarded"], f"{inbox}?{scope.list_query(stage='forwarded')}"),
        Card(
            "demonstration",
            "入选省级示范项目",
            applications["demonstration"],
            f"{inbox}?{scope.list_query(state=ApplicationState.PROVINCIAL_DEMONSTRATION)}",
        ),
        Card(
            "ordinary",
            "入选省级普通项目",
            applications["ordinary"],
            f"{inbox}?{scope.list_query(state=ApplicationState.PROVINCIAL_ORDINARY)}",
        ),
        Card(
            "recommended",
            "推荐申报国家级",
            applications["recommended"],
            f"{inbox}?{scope.list_query(stage='recommended')}",
        ),
        Card(
            "ministry",
            "人社部入选国家级",
            applications["ministry"],
            f"{inbox}?{scope.list_query(state=ApplicationState.MINISTRY_SELECTED)}",
        ),
        Card(
            "completed",
            "已按计划完成办班",
            programmes["completed"],
            f"{delivery}?{scope.programme_list_query(state=ProgrammeState.COMPLETED)}",
        ),
        Card("enrolled", "录取学员", trainees["enrolled"], f"{delivery}?{scope.programme_list_query()}", "人"),
        Card("certified", "获结业证书", trainees["certified"], f"{delivery}?{scope.programme_list_query()}", "人"),
        Card("hours", "颁发学时", hours or Decimal(0), f"{delivery}?{scope.programme_list_query()}", "学时"),
    ]


# --- the charts ---------------------------------------------------------------------


def funnel(scope):
    counts = scope.applications().aggregate(**{code: Count("pk", filter=STAGES[code].condition) for code in FUNNEL})
    completed = scope.programmes().filter(state=ProgrammeState.COMPLETED).count()
    categories = [STAGES[code].label for code in FUNNEL] + ["按计划完成办班"]
    return Chart(
        "funnel", "从填报到结业", "funnel", categories, [("项目数", [*(counts[c] for c in FUNNEL), completed])]
    )


def by_authority(scope):
    rows = _counts(
        scope.applications().exclude(state=ApplicationState.DRAFT),
        "institution__authority__name",
        submitted=Count("pk"),
        forwarded=Count("pk", filter=STAGES["forwarded"].condition),
        planned=Count("pk", filter=Q(state__in=PLANNED_STATES)),
    )
    names = sorted(rows, key=lambda name: (-rows[name]["submitted"], name))
    return Chart(
        "authority",
        "各设区市、省直部门申报与入选",
        "bar",
        names,
        [
            ("申报", [rows[n]["submitted"] for n in names]),
            ("报送省人社厅", [rows[n]["forwarded"] for n in names]),
            ("列入年度计划", [rows[n]["planned"] for n in names]),
        ],
    )


def by_domain(scope):
    rows = _counts(
        scope.applications().exclude(state=ApplicationState.DRAFT),
        "domain__name",
        submitted=Count("pk"),
        planned=Count("pk", filter=Q(state__in=PLANNED_STATES)),
    )
    names = sorted(rows, key=lambda name: (-rows[name]["submitted"], name or ""))
    return Chart(
        "domain",
        "按专业技术领域",
        "hbar",
        [name or "未填写" for name in names],
        [("申报", [rows[n]["submitted"] for n in names]), ("列入年度计划", [rows[n]["planned"] for n in names])],
    )


def by_topic_area(scope):
    claims = TopicClaim.objects.filter(application__in=scope.applications().exclude(state=ApplicationState.DRAFT))
    rows = _counts(
        claims,
        "area__code",
        submitted=Count("application", distinct=True),
        planned=Count("application", distinct=True, filter=Q(application__state__in=PLANNED_STATES)),
    )
    codes = [code for code, _ in TopicAreaCode.choices]
    return Chart(
        "topic",
        "按选题范围（可多选）",
        "bar",
        [TopicAreaCode(code).label for code in codes],
        [
            ("申报", [rows.get(c, {}).get("submitted", 0) for c in codes]),
            ("列入年度计划", [rows.get(c, {}).get("planned", 0) for c in codes]),
        ],
        note="一个项目可勾选多个选题范围，各项之和可能大于项目数。",
    )


def by_tier_and_funding(scope):
    rows = scope.applications().exclude(state=ApplicationState.DRAFT).order_by().values("tier", "funding")
    rows = rows.annotate(n=Count("pk"))
    labels = {
        (Tier.NATIONAL, Funding.FISCAL): "国家级·财政资助",
        (Tier.NATIONAL, Funding.SELF_FUNDED): "国家级·自筹经费",
        (Tier.NATIONAL, ""): "国家级·未选择",
        (Tier.PROVINCIAL, ""): "省级",
    }
    totals = {}
    for row in rows:
        key = (row["tier"], row["funding"] if row["tier"] == Tier.NATIONAL else "")
        totals[key] = totals.get(key, 0) + row["n"]
    keys = [key for key in labels if totals.get(key)]
    return Chart("tier", "按级别与经费类别", "pie", [labels[k] for k in keys], [("项目数", [totals[k] for k in keys])])


def trainees_by_title(scope):
    rows = _counts(scope.trainees(), "title_level", n=Count("pk"))
    codes = [code for code, _ in TraineeTitleLevel.choices]
    return Chart(
        "title_level",
        "录取学员职称结构",
        "pie",
        [TraineeTitleLevel(c).label for c in codes],
        [("人数", [rows.get(c, {}).get("n", 0) for c in codes])],
    )


def trainees_by_sector(scope):
    """Sector and grassroots share: the notice asks to favour grassroots and non-public trainees (二（一）)."""
    totals = scope.trainees().aggregate(
        all=Count("pk"),
        public=Count("pk", filter=Q(sector=Sector.PUBLIC)),
        non_public=Count("pk", filter=Q(sector=Sector.NON_PUBLIC)),
        grassroots=Count("pk", filter=Q(is_grassroots=True)),
    )
    return Chart(
        "sector",
        "录取学员单位性质与基层一线",
        "bar",
        ["公有制单位", "非公有制单位", "基层一线"],
        [("人数", [totals["public"], totals["non_public"], totals["grassroots"]])],
        note=f"共录取{totals['all']}人；基层一线占{_percent(totals['grassroots'], totals['all'])}，"
        f"非公有制领域占{_percent(totals['non_public'], totals['all'])}。",
    )


def _percent(part, whole):
    return f"{round(100 * part / whole)}%" if whole else "—"


def year_over_year(scope):
    applications = _counts(
        scope.applications(all_calls=True),
        "call__year",
        submitted=Count("pk", filter=STAGES["submitted"].condition),
        forwarded=Count("pk", filter=STAGES["forwarded"].condition),
        planned=Count("pk", filter=STAGES["planned"].condition),
    )
    programmes = _counts(
        scope.programmes(all_calls=True),
        "application__call__year",
        completed=Count("pk", filter=Q(state=ProgrammeState.COMPLETED)),
    )
    trainees = _counts(
        scope.trainees(all_calls=True),
        "programme__application__call__year",
        n=Count("pk"),
        certified=Count("certificate"),
    )
    years = sorted(set(applications) | set(programmes) | set(trainees))

    def column(rows, key):
        return [rows.get(y, {}).get(key, 0) for y in years]

    return Chart(
        "years",
        "历年对比",
        "line",
        [f"{y}年" for y in years],
        [
            ("申报", column(applications, "submitted")),
            ("报送省人社厅", column(applications, "forwarded")),
            ("列入年度计划", column(applications, "planned")),
            ("按计划完成办班", column(programmes, "completed")),
            ("录取学员", column(trainees, "n")),
            ("获结业证书", column(trainees, "certified")),
        ],
    )


def score_distribution(scope):
    """Submitted reviews per round, by weighted total (0–100) in bands of ten points."""
    rounds = list(ReviewRound.objects.filter(call=scope.call).order_by("created_at", "pk").values("pk", "name"))
    reviews = Review.objects.filter(
        assignment__round__call=scope.call, assignment__application__in=scope.applications()
    ).order_by()
    weighted = ExpressionWrapper(
        F("scores__value") * F("scores__criterion__weight") / F("scores__criterion__max_score"),
        output_field=DecimalField(max_digits=12, decimal_places=6),
    )
    totals = reviews.values("pk", "assignment__round_id").annotate(
        points=Sum(weighted), weights=Sum("scores__criterion__weight")
    )
    bins = {r["pk"]: [0] * SCORE_BINS for r in rounds}
    for row in totals:
        if not row["weights"]:
            continue
        total = 100 * float(row["points"]) / row["weights"]
        band = min(SCORE_BINS - 1, max(0, math.floor(total / 10 + 1e-9)))
        bins[row["assignment__round_id"]][band] += 1
    categories = [f"{10 * i}–{10 * (i + 1)}" for i in range(SCORE_BINS)]
    return Chart(
        "scores",
        "专家评分分布（各轮次，加权总分）",
        "bar",
        categories,
        [(r["name"], bins[r["pk"]]) for r in rounds],
        note="" if rounds else "本年度尚无专家评审轮次。",
    )


def satisfaction(scope):
    rows = (
        SurveyResponse.objects.filter(trainee__programme__in=scope.programmes())
        .order_by()
        .values("trainee__programme__application__title")
        .annotate(
            answers=Count("pk"),
            content=Avg("content"),
            lecturers=Avg("lecturers"),
            organisation=Avg("organisation"),
            overall=Avg("overall"),
        )
        .order_by("trainee__programme__application__title")
    )
    rows = list(rows)

    def column(key):
        return [round(float(r[key]), 2) for r in rows]

    return Chart(
        "satisfaction",
        "学员满意度（各项目平均分，满分5分）",
        "hbar",
        [r["trainee__programme__application__title"] for r in rows],
        [
            ("总体满意度", column("overall")),
            ("研修内容", column("content")),
            ("授课专家", column("lecturers")),
            ("组织管理", column("organisation")),
            ("答卷数", [r["answers"] for r in rows]),
        ],
        note="" if rows else "本年度尚无满意度测评答卷。",
    )


# Each chart by the key its page anchor, JSON and .xlsx export use.
CHARTS = {
    "funnel": funnel,
    "authority": by_authority,
    "domain": by_domain,
    "topic": by_topic_area,
    "tier": by_tier_and_funding,
    "title_level": trainees_by_title,
    "sector": trainees_by_sector,
    "years": year_over_year,
    "scores": score_distribution,
    "satisfaction": satisfaction,
}


def charts(scope):
    return [build(scope) for build in CHARTS.values()]


def chart(scope, key):
    """One chart by its key (for its .xlsx export), or None."""
    build = CHARTS.get(key)
    return build(scope) if build else None
