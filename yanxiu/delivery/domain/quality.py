"""A host institution's quality score (承办质量评分; decision 0027, formula in docs/delivery.md).

Four parts, each 0–100, over every programme the institution has run in this system and every
past year on record (organisations.ProgrammeRecord, also the years before the system):

- 满意度 (weight 30): the trainees' survey on its four axes — 方案设计 (研修内容), 组织实施
  (组织管理和服务保障), 教学保障 (授课专家), 研修效果 (总体满意度) — the mean of the four
  averages, 1 → 0 and 5 → 100;
- 出勤率 (weight 20): half-days present ÷ half-days recorded, of every trainee;
- 按计划完成 (weight 30): past years' programmes completed as planned ÷ all on record;
- 按时结业 (weight 20): closings handed in by the deadline ÷ closings handed in.

The score is the weighted mean of the parts that have data (weights renormalised); with no
part it is empty (暂无). It is stored (organisations.HostQuality) so list pages read it with
their one query; it is refreshed when a programme's record or closing changes and daily.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Max, Min, Q

from yanxiu.audit.log import bump_version
from yanxiu.core import clock
from yanxiu.organisations.models import HostQuality, Institution, ProgrammeRecord

from ..models import Attendance, Programme, SurveyResponse

WEIGHTS = {"survey": 30, "attendance": 20, "completion": 30, "closing": 20}
AXES = (("方案设计", "content"), ("组织实施", "organisation"), ("教学保障", "lecturers"), ("研修效果", "overall"))


def _percent(part, whole):
    return Decimal(part) * 100 / Decimal(whole)


def _one(value):
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def parts(institution_id):
    """{part: (score 0–100 or None, what it was computed from)} in four aggregate queries."""
    programmes = Programme.objects.filter(application__institution_id=institution_id)
    survey = SurveyResponse.objects.filter(trainee__programme__in=programmes).aggregate(
        n=Count("pk"), **{field: Avg(field) for _, field in AXES}
    )
    attendance = Attendance.objects.filter(trainee__programme__in=programmes).aggregate(
        recorded=Count("pk"), present=Count("pk", filter=Q(present=True))
    )
    records = ProgrammeRecord.objects.filter(institution_id=institution_id).aggregate(
        total=Count("pk"), completed=Count("pk", filter=Q(completed=True)), first=Min("year"), last=Max("year")
    )
    closing = programmes.filter(closing_submitted_at__isnull=False).aggregate(
        total=Count("pk"), on_time=Count("pk", filter=Q(closing_days_late__isnull=True))
    )
    result = {}
    if survey["n"]:
        axes = {label: _one(survey[field]) for label, field in AXES}
        mean = sum(Decimal(survey[field]) for _, field in AXES) / len(AXES)
        result["survey"] = ((mean - 1) * 25, {"responses": survey["n"], "axes": {k: str(v) for k, v in axes.items()}})
    if attendance["recorded"]:
        result["attendance"] = (_percent(attendance["present"], attendance["recorded"]), attendance)
    if records["total"]:
        result["completion"] = (_percent(records["completed"], records["total"]), records)
    if closing["total"]:
        result["closing"] = (_percent(closing["on_time"], closing["total"]), closing)
    return result


def score_of(found):
    """The weighted mean of the parts found, one decimal; None without any."""
    if not found:
        return None
    weight = sum(WEIGHTS[name] for name in found)
    return _one(sum(WEIGHTS[name] * value for name, (value, _) in found.items()) / weight)


def summary_of(found):
    """The sources in a line of Chinese, as the lists show them beside the score."""
    lines = []
    if "survey" in found:
        value, s = found["survey"]
        axes = "、".join(f"{k}{v}" for k, v in s["axes"].items())
        lines.append(f"满意度{_one(value)}（{axes}；{s['responses']}份测评）")
    if "attendance" in found:
        value, s = found["attendance"]
        lines.append(f"出勤率{_one(value)}%（{s['present']}/{s['recorded']}人次半天）")
    if "completion" in found:
        value, s = found["completion"]
        years = f"{s['first']}年" if s["first"] == s["last"] else f"{s['first']}—{s['last']}年"
        lines.append(f"按计划完成{s['completed']}/{s['total']}项（{years}）")
    if "closing" in found:
        value, s = found["closing"]
        lines.append(f"按时提交结业材料{s['on_time']}/{s['total']}项")
    return "；".join(lines) or "暂无往年办班记录"


def refresh(institution_id):
    """Recompute and store one institution's score; returns the HostQuality."""
    found = parts(institution_id)
    sources = {
        name: {"score": str(_one(value)), **{k: str(v) for k, v in s.items()}} for name, (value, s) in found.items()
    }
    quality, _ = HostQuality.objects.update_or_create(
        institution_id=institution_id,
        defaults={
            "score": score_of(found),
            "sources": sources,
            "summary": summary_of(found)[:300],
            "computed_at": clock.now(),
        },
    )
    return quality


def refresh_all():
    """Every institution that has run a programme or has a past year on record (the daily job)."""
    ids = Institution.objects.filter(
        Q(applications__programme__isnull=False) | Q(programme_records__isnull=False)
    ).values_list("pk", flat=True)
    ids = sorted(set(ids))
    for institution_id in ids:
        refresh(institution_id)
    if ids:
        bump_version()  # the lists' kept pages show the new scores
    return len(ids)
