"""Budget and final accounts, checked against the chosen cost standard.

The rules (中央和国家机关培训费管理办法, 福建省省直机关培训费管理办法, and the notice 三（二）):
- the costs other than teachers (accommodation, meals, venue, materials,
  transport, other) may not exceed the daily quota × trainees × days, days
  counted with arrival and departure; beyond 30 days the excess days count at 70%;
- lecture fees: at most the cap per class hour of the lecturer's title;
- at most 4 class hours per half-day;
- nothing charged to trainees except their own travel;
- fiscal programmes (national fiscal, provincial demonstration) are checked;
  self-funded ones follow their own financial rules (shown, not enforced);
- a standard whose figures are unknown cannot check anything: the province
  office enters them first.
Each rule is one function with a stable code, like applications/domain/checks.py.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from yanxiu.accounts.rules import require
from yanxiu.applications.domain.checks import error, warning
from yanxiu.applications.enums import ApplicationState, HalfDay
from yanxiu.audit.log import record, record_change
from yanxiu.core import clock
from yanxiu.core.refusal import Refused

from ..enums import AccountsKind
from ..models import Accounts, Attendance, LectureLine

# The regulations the notice names (通知三（二）): a provincial demonstration programme is
# funded under the Fujian one, a national fiscal one under the central one. Matched against
# the standard's name in the reference data.
FUJIAN_STANDARD = "福建省省直机关培训费管理办法"
CENTRAL_STANDARD = "中央和国家机关培训费管理办法"
MAX_HOURS_PER_HALF_DAY = Decimal(4)
FULL_RATE_DAYS = 30
LONG_COURSE_RATE = Decimal("0.7")


def yuan(value):
    return f"{Decimal(value):,.2f}元"


def is_fiscal(application):
    return application.funding == "fiscal" or application.state == ApplicationState.PROVINCIAL_DEMONSTRATION


def required_standard(application):
    """Which regulation the programme's costs follow (通知三（二）), or '' when it is the host's own."""
    if application.state == ApplicationState.PROVINCIAL_DEMONSTRATION:
        return FUJIAN_STANDARD
    if application.funding == "fiscal" and application.tier == "national":
        return CENTRAL_STANDARD
    return ""


def counted_from_the_class(programme):
    """Final accounts count trainees and days from the class itself (decision 0009): the
    approved trainees present at least one half-day, and the class's days with arrival and
    departure. Typed figures could raise the limit beyond what happened."""
    attended = (
        Attendance.objects.filter(trainee__programme=programme, trainee__state="approved", present=True)
        .values("trainee")
        .distinct()
        .count()
    )
    return attended, programme.days


def _difference(planned, spent):
    if planned is None or spent is None:
        return None, "—"
    difference = spent - planned
    if difference > 0:
        return difference, f"超出预算{yuan(difference)}"
    if difference < 0:
        return difference, f"结余{yuan(-difference)}"
    return difference, "与预算一致"


def compare(budget, final):
    """Budget beside final accounts: (label, budget, final, final − budget, text) per item and in total."""
    rows = []
    for name in Accounts.ITEMS:
        planned = getattr(budget, name) if budget else None
        spent = getattr(final, name) if final else None
        rows.append((Accounts._meta.get_field(name).verbose_name, planned, spent, *_difference(planned, spent)))
    planned = budget.total if budget else None
    spent = final.total if final else None
    rows.append(("合计", planned, spent, *_difference(planned, spent)))
    return rows


def quota_days(days):
    """Days for the quota: full rate up to 30, 70% beyond."""
    days = Decimal(days)
    if days <= FULL_RATE_DAYS:
        return days
    return FULL_RATE_DAYS + (days - FULL_RATE_DAYS) * LONG_COURSE_RATE


def quota_limit(standard, trainees, days):
    return standard.total_per_person_day * trainees * quota_days(days)


def check_accounts(accounts, lectures=None):
    lectures = list(accounts.lectures.select_related("fee_standard")) if lectures is None else lectures
    results = []
    if accounts.charged_to_trainees > 0:
        results.append(
            error(
                "money.trainee_charges",
                f"向学员收取了{yuan(accounts.charged_to_trainees)}：除往返交通费由学员承担外，不得向学员收取任何费用。",
                "charged_to_trainees",
                "通知三（二）",
            )
        )
    per_half_day = defaultdict(Decimal)
    for line in lectures:
        per_half_day[(line.date, line.half_day)] += line.class_hours
        cap = line.fee_standard.max_fee_per_class_hour * line.class_hours
        if line.fee > cap:
            results.append(
                error(
                    "money.lecture_fee",
                    f"{line.lecturer}（{line.fee_standard.title_level}）讲课{line.class_hours}学时，讲课费"
                    f"{yuan(line.fee)}超过上限{yuan(cap)}（每学时{yuan(line.fee_standard.max_fee_per_class_hour)}）。",
                    "lectures",
                    "培训费管理办法",
                )
            )
    for (day, half), hours in sorted(per_half_day.items(), key=lambda item: (item[0][0], HalfDay.rank(item[0][1]))):
        if hours > MAX_HOURS_PER_HALF_DAY:
            label = HalfDay(half).label
            results.append(
                error(
                    "money.hours_per_half_day",
                    f"{day.month}月{day.day}日{label}安排了{hours}学时，每半天最多4学时。",
                    "lectures",
                    "培训费管理办法",
                )
            )
    lecture_total = sum((line.fee for line in lectures), Decimal(0))
    if lecture_total > accounts.teachers:
        results.append(
            error(
                "money.teachers_total",
                f"讲课费合计{yuan(lecture_total)}，超过师资费{yuan(accounts.teachers)}。",
                "teachers",
            )
        )
    if not is_fiscal(accounts.application):
        results.append(
            warning(
                "money.self_funded",
                "自筹经费项目：经费按本单位财务管理要求执行，系统只列出限额供参考。",
                "",
                "通知三（二）",
            )
        )
        return results
    standard = accounts.cost_standard
    if standard is None:
        results.append(error("money.no_standard", "财政资助项目须选择适用的培训费标准。", "cost_standard"))
        return results
    expected = required_standard(accounts.application)
    if expected and not standard.standard.startswith(expected):
        kind = "省级示范项目" if expected == FUJIAN_STANDARD else "中央财政支持的项目"
        results.append(
            error(
                "money.standard_regulation",
                f"{kind}的办班经费依据《{expected}》执行，所选标准为“{standard}”。",
                "cost_standard",
                "通知三（二）",
            )
        )
        return results
    if standard.total_per_person_day is None:
        results.append(
            error(
                "money.standard_unknown",
                f"“{standard}”的综合定额尚未录入，无法核对。请省人社厅录入标准数值。",
                "cost_standard",
            )
        )
        return results
    if accounts.trainees <= 0 or accounts.days <= 0:
        results.append(error("money.no_trainee_days", "请填写学员人数和天数（含报到返程）。", "trainees"))
        return results
    limit = quota_limit(standard, accounts.trainees, accounts.days)
    spent = sum((getattr(accounts, item) for item in Accounts.QUOTA_ITEMS), Decimal(0))
    if spent > limit:
        results.append(
            error(
                "money.daily_quota",
                f"住宿、伙食、场地、资料、交通和其他费用合计{yuan(spent)}，超过综合定额"
                f"{yuan(standard.total_per_person_day)}/人天×{accounts.trainees}人×{quota_days(accounts.days)}天"
                f"={yuan(limit)}。",
                "accommodation",
                str(standard.standard),
            )
        )
    return results


@transaction.atomic
def save_accounts(application, kind, actor, *, fields, lectures):
    """Replace the accounts of one kind with `fields` and `lectures` (list of dicts)."""
    require(actor, "delivery.fill_accounts", application)
    if kind == AccountsKind.BUDGET and not application.is_editable:
        raise Refused("经费预算随申报填写：申报提交后不能再修改。")
    if kind == AccountsKind.FINAL:
        programme = getattr(application, "programme", None)
        if programme is None or programme.state != "preparing":
            raise Refused("经费决算只能在结业材料提交前填写。")
        fields = dict(fields)
        fields["trainees"], fields["days"] = counted_from_the_class(programme)
    earlier = Accounts.objects.filter(application=application, kind=kind).first()
    before = _accounts_values(earlier) if earlier else {}
    accounts, _ = Accounts.objects.update_or_create(
        application=application,
        kind=kind,
        defaults={**fields, "updated_by": actor, "updated_at": clock.now()},
    )
    accounts.lectures.all().delete()
    LectureLine.objects.bulk_create(LectureLine(accounts=accounts, **line) for line in lectures)
    record_change(
        application,
        action=f"save_accounts_{kind}",
        label=f"填写{AccountsKind(kind).label}",
        actor=actor,
        before=before,
        after=_accounts_values(Accounts.objects.get(pk=accounts.pk)),  # as stored, not as typed
    )
    return accounts


# What a lecture line says, as the audit trail compares it.
LECTURE_LINE_FIELDS = ("date", "half_day", "lecturer", "fee_standard_id", "class_hours", "fee")


def _accounts_values(accounts):
    """The accounts as the audit trail compares them: every amount, the note and the lecture lines."""
    values = {name: getattr(accounts, name) for name in (*Accounts.ITEMS, "trainees", "days", "charged_to_trainees")}
    values["cost_standard"] = accounts.cost_standard_id
    values["note"] = accounts.note
    values["lectures"] = [
        {field: getattr(line, field) for field in LECTURE_LINE_FIELDS} for line in accounts.lectures.order_by("pk")
    ]
    return values


@transaction.atomic
def enter_cost_standard(standard, actor, **values):
    """The province office enters a training-cost standard's amounts (with its audit entry)."""
    require(actor, "delivery.enter_cost_standards")
    for name, value in values.items():
        setattr(standard, name, value)
    standard.save()
    record(
        standard,
        action="enter_cost_standard",
        label="录入培训费标准",
        actor=actor,
        data={"total_per_person_day": str(standard.total_per_person_day)},
    )
    return standard
