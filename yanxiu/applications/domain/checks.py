"""The rules of the notice, one named check each.

Every check has a stable code, a severity taken from the notice's wording
("不少于 / 应 / 须" → error, blocks submission; "一般 / 原则上" → warning, needs a
written reason), a Chinese message that cites the notice, and the form field it
belongs to. Rule values come from the Call, never from here.

The same checks serve the editor (live), submission, the importer and reviewers.
"""

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from django.db.models import IntegerField, OuterRef
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from yanxiu.calls.enums import RecruitmentScope, Tier
from yanxiu.core import clock
from yanxiu.core.dates import chinese_date
from yanxiu.organisations.enums import BaseStatus
from yanxiu.reference.models import CompetentDepartment

from .. import catalogue
from ..enums import DeliveryMode, Funding, TraineeTitleLevel
from .deadlines import effective_deadline


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class CheckResult:
    code: str
    severity: Severity
    message: str
    field: str = ""
    citation: str = ""

    @property
    def is_error(self):
        return self.severity == Severity.ERROR

    def as_dict(self):
        return {"code": self.code, "severity": self.severity.value, "message": self.message}


@dataclass
class CheckContext:
    """What every check may read, loaded once."""

    application: object
    rule: object  # TierRule
    sessions: list
    lecturers: list
    claims: list
    now: object
    deadline: object = None  # the effective deadline, once a check has read it

    def effective_deadline(self):
        """The application's deadline with its extensions, read once (the page shows it too)."""
        if self.deadline is None:
            self.deadline = effective_deadline(self.application)
        return self.deadline

    @classmethod
    def load(cls, application, now=None):
        return cls(
            application=application,
            rule=application.call.tier_rule(application.tier),
            sessions=list(application.sessions.all()),
            lecturers=list(application.lecturers.all()),
            claims=application.claims_with_areas(),
            now=now or clock.now(),
        )


CHECKS = []
INSTITUTION_CHECKS = set()  # those that read the host institution (skipped when it is not registered)


def check(func=None, *, institution=False):
    def register(func):
        CHECKS.append(func)
        if institution:
            INSTITUTION_CHECKS.add(func)
        return func

    return register(func) if func is not None else register


def error(code, message, field="", citation=""):
    return CheckResult(code, Severity.ERROR, message, field, citation)


def warning(code, message, field="", citation=""):
    return CheckResult(code, Severity.WARNING, message, field, citation)


# --- required fields -------------------------------------------------------

REQUIRED_FIELDS = [(f.name, f.label) for f in catalogue.required()]


@check
def required_fields(ctx):
    app = ctx.application
    form = catalogue.NATIONAL if app.tier == "national" else catalogue.PROVINCIAL
    for spec in catalogue.required():
        if not spec.on(form):
            continue
        # Each form's own labels: 附件1 选题所属行业领域 / 研修对象, 附件2 选题所属专业技术领域 / 培训对象.
        label = spec.label_on(form)
        field = spec.name
        value = (
            getattr(app, field + "_id", None) if field in ("domain", "competent_department") else getattr(app, field)
        )
        if value in (None, "", []):
            yield error(f"required.{field}", spec.required_message or f"请填写“{label}”。", field)


# --- dates and duration ----------------------------------------------------


@check
def dates_coherent(ctx):
    app = ctx.application
    if app.start_date and app.end_date and app.end_date < app.start_date:
        yield error("dates.order", "结束日期早于开始日期，请检查办班时间。", "end_date")
    if app.start_date and app.start_date.year != ctx.rule.call.year:
        yield error(
            "dates.call_year",
            f"办班时间应在{ctx.rule.call.year}年内（本通知为{ctx.rule.call.year}年度项目）。",
            "start_date",
        )


def _in_the_applicants_hands(app):
    """Draft or returned (or a fallback being adjusted): its dates are still being chosen."""
    return app.is_editable or app.adjustable_after_fallback


def start_passed(app, today):
    """The finding when the programme's start is today or earlier (None otherwise): read by the
    check below and by the office's pool, where a programme selected after its dates is shown."""
    if app.start_date and app.start_date <= today:
        return error(
            "dates.start_passed",
            f"开班日期{chinese_date(app.start_date)}不晚于今天（{chinese_date(today)}），"
            f"研修项目须在提交申报之后开班，请修改办班时间。",
            "start_date",
            "通知二（一）：并应在规定日期之前完成办班。",
        )
    return None


@check
def start_after_submission(ctx):
    """A programme cannot be applied for once it has started (decision 0009: the start must
    lie after the day the application is submitted)."""
    app = ctx.application
    found = start_passed(app, timezone.localdate(ctx.now)) if _in_the_applicants_hands(app) else None
    if found:
        yield found


@check
def completion_date(ctx):
    app, call = ctx.application, ctx.rule.call
    if app.end_date and app.end_date > call.completion_date:
        yield error(
            "dates.completion",
            f"应在{chinese_date(call.completion_date)}之前完成办班，结束日期为{chinese_date(app.end_date)}。",
            "end_date",
            "通知二（一）：并应在规定日期之前完成办班。",
        )


@check
def duration(ctx):
    days, rule = ctx.application.days, ctx.rule
    if days is None:
        return
    if not rule.min_days <= days <= rule.max_days:
        make = error if rule.duration_is_strict else warning
        yield make(
            "duration.tier",
            f"{rule.get_tier_display()}项目每期研修时间{rule.duration_wording}（含报到返程时间），本项目为{days}天。",
            "end_date",
            "通知二（一）",
        )


# --- trainees ------------------------------------------------------------


@check
def trainee_count(ctx):
    count, rule = ctx.application.planned_trainees, ctx.rule
    if count is not None and count < rule.min_trainees:
        make = error if rule.trainees_is_strict else warning
        yield make(
            "trainees.minimum",
            f"{rule.get_tier_display()}项目学员数量{rule.trainees_wording}，本项目计划招收{count}人。",
            "planned_trainees",
            "通知二（一）",
        )


@check
def recruitment_scope(ctx):
    scope, rule = ctx.application.recruitment_scope, ctx.rule
    if scope and scope != rule.recruitment_scope:
        yield error(
            "trainees.scope",
            f"{rule.get_tier_display()}高级研修项目应{RecruitmentScope(rule.recruitment_scope).label}招收学员。",
            "recruitment_scope",
            "通知二（一）",
        )


@check
def trainee_title_levels(ctx):
    if TraineeTitleLevel.OTHER in (ctx.application.trainee_title_levels or []):
        yield warning(
            "trainees.title_levels",
            "研修学员一般应是具有中高级职称（职业资格）的专业技术人员或经营管理人员。",
            "trainee_title_levels",
            "通知二（一）",
        )


# --- topic scope -----------------------------------------------------------


@check
def topic_scope(ctx):
    if not ctx.claims:
        yield error(
            "topic_scope.none",
            "请至少勾选一项选题范围（服务重大战略、对接产业需求、突出数字技术）并说明理由。",
            "topic_scope",
            "通知三（一）：严格按照通知要求的选题范围组织申报。",
        )
    for claim in ctx.claims:
        explanation = claim.explanation.strip()
        if len(explanation) < 10:
            yield error(
                f"topic_scope.explain.{claim.area.code}",
                f"已勾选“{claim.area.name}”，请用不少于10个字说明项目如何符合该选题范围。",
                "topic_scope",
                "通知三（一）：严格按照通知要求的选题范围组织申报。",
            )
            continue
        keywords = claim.area.keyword_list()
        named = explanation + (ctx.application.title or "")
        if keywords and not any(k in named for k in keywords):
            yield warning(
                f"topic_scope.keywords.{claim.area.code}",
                f"“{claim.area.name}”的说明和项目名称未提及通知所列的任何领域（如{'、'.join(keywords[:4])}等），"
                f"请说明项目与该选题范围的关系。",
                "topic_scope",
                f"通知一、研修项目选题范围（{claim.area.name}）",
            )


# --- content, lecturers, delivery ----------------------------------------------


@check
def schedule(ctx):
    app = ctx.application
    if not ctx.sessions:
        yield error(
            "schedule.empty",
            "请填写日程安排（至少一个半天的研修内容）。",
            "sessions",
            "通知二（二）：科学设置研修内容。",
        )
        return
    if app.start_date and app.end_date:
        outside = [s for s in ctx.sessions if not app.start_date <= s.date <= app.end_date]
        if outside:
            yield error(
                "schedule.outside_dates",
                f"有{len(outside)}项日程不在办班时间内（如{chinese_date(outside[0].date)}）。",
                "sessions",
                "通知二（二）：科学设置研修内容。",
            )
    seen = set()
    for s in ctx.sessions:
        if (s.date, s.half_day) in seen:
            yield error(
                "schedule.duplicate_slot",
                f"{chinese_date(s.date)}{s.get_half_day_display()}重复安排了两项内容，请合并为一行。",
                "sessions",
                "附件4：研修内容按日程逐半天填写。",
            )
            break
        seen.add((s.date, s.half_day))


@check
def mainly_offline(ctx):
    total = sum(s.class_hours for s in ctx.sessions)
    online = sum(s.class_hours for s in ctx.sessions if s.mode == DeliveryMode.ONLINE)
    if total and online * 2 >= total:
        yield error(
            "delivery.mainly_offline",
            f"项目应以线下研修为主：线上学时{online}，占总学时{total}的一半或以上。",
            "sessions",
            "通知二（二）：项目应以线下研修为主。",
        )
    if not ctx.application.declares_mainly_offline:
        yield error(
            "declaration.mainly_offline", "请确认项目以线下研修为主。", "declares_mainly_offline", "通知二（二）"
        )


@check
def lecturers(ctx):
    if not ctx.lecturers:
        yield error(
            "lecturers.empty", "请填写授课专家情况（至少一位专家）。", "lecturers", "通知二（二）：邀请权威专家授课。"
        )


# --- declarations ------------------------------------------------------------


@check
def independent_hosting(ctx):
    if not ctx.application.declares_independent_hosting:
        yield error(
            "declaration.independent_hosting",
            "入选单位应当独立承办高级研修班项目，不得与其他单位联办、不得转移培训业务。请确认。",
            "declares_independent_hosting",
            "通知三（二）",
        )


@check
def no_trainee_fees(ctx):
    if not ctx.application.declares_no_trainee_fees:
        yield warning(
            "declaration.no_trainee_fees",
            "除往返交通费由学员承担外，一般不得向学员收取任何费用。请确认，或说明收费理由。",
            "declares_no_trainee_fees",
            "通知三（二）",
        )


# --- funding and departments ---------------------------------------------------


@check
def funding(ctx):
    app = ctx.application
    if app.tier != Tier.NATIONAL:
        return
    if not app.funding:
        yield error("funding.choice", "请选择申报项目类别：财政资助项目或自筹经费项目（仅单选）。", "funding", "附件1")
    elif app.funding == Funding.SELF_FUNDED and not app.funding_source.strip():
        yield error(
            "funding.source", "自筹经费项目须注明自筹经费来源。", "funding_source", "通知三（二）：并在申报表中注明。"
        )


@check
def competent_department_level(ctx):
    app = ctx.application
    department = app.competent_department
    if department is None:
        return
    expected = CompetentDepartment.Level.NATIONAL if app.tier == Tier.NATIONAL else CompetentDepartment.Level.PROVINCIAL
    if department.level != expected:
        wording = "国家部委" if expected == CompetentDepartment.Level.NATIONAL else "省直部门"
        yield error(
            "department.level",
            f"{app.get_tier_display()}申报表的“选题所属行业主管部门”应填写{wording}。",
            "competent_department",
            "附件4",
        )


@check
def base_batch(ctx):
    app = ctx.application
    if app.base_status == BaseStatus.NATIONAL and not app.base_batch:
        yield error("base.batch", "国家级继续教育基地请填写批次（第几批）。", "base_batch")


# --- the institution --------------------------------------------------------------


@check(institution=True)
def institution_registration(ctx):
    """A self-registered institution applies once its authority has confirmed it (decision 0023)."""
    institution = ctx.application.institution
    if not institution.is_confirmed:
        yield error(
            "institution.registration",
            f"本单位的注册{institution.get_registration_state_display()}，主管部门确认前不能提交申报。"
            "可以先填写申报表，确认后再提交；如有疑问，请联系主管部门。",
        )


def lacks_training_invoice(institution):
    """An enterprise whose training-fee invoicing is not declared and confirmed by its authority
    (also a reviewers' flag; decision 0016: the institution's own tick alone does not count)."""
    return institution.is_enterprise and not institution.training_invoice_confirmed


@check(institution=True)
def enterprise_invoice(ctx):
    institution = ctx.application.institution
    if lacks_training_invoice(institution):
        yield error(
            "institution.invoice",
            "企业申报须能开具培训费发票：已声明，待主管部门确认。请联系主管部门核实确认。"
            if institution.can_issue_training_invoice
            else "企业申报须能开具培训费发票。请在单位信息中声明，并由主管部门确认。",
            "",
            "通知三（一）：企业申报须能开具培训费发票。",
        )


def previous_year(call):
    """The year whose completions the call looks at (通知三（一）), unless the call names another."""
    return call.previous_year_for_completion or call.year - 1


def previous_year_of_outer_call():
    """previous_year() in SQL, of the call of the outer query's application (for a list's subquery)."""
    named = NullIf(OuterRef("call__previous_year_for_completion"), 0)
    return Coalesce(named, OuterRef("call__year") - 1, output_field=IntegerField())


def missed_completions(institution, call):
    """The institution's programmes of the previous year not completed as planned (also a reviewers' flag)."""
    year = previous_year(call)
    return [r for r in institution.programme_records.all() if r.year == year and not r.completed]


@check(institution=True)
def previous_completion(ctx):
    year = previous_year(ctx.rule.call)
    missed = missed_completions(ctx.application.institution, ctx.rule.call)
    if missed:
        yield warning(
            "institution.previous_completion",
            f"本单位{year}年有{len(missed)}个高级研修项目未按计划完成（{missed[0].title}），"
            f"原则上不予推荐。如继续申报，请说明情况。",
            "",
            "通知三（一）",
        )


# --- the deadline -----------------------------------------------------------------


@check(institution=True)
def deadline(ctx):
    if not ctx.application.is_editable:
        return  # the deadline is for submitting; a submitted application met it
    end = ctx.effective_deadline()
    if ctx.now > end:
        yield error(
            "deadline.passed",
            f"{ctx.rule.get_tier_display()}项目申报已于{chinese_date(end.date())}截止，不能再提交。"
            f"如确有特殊情况，请联系省人社厅申请延期。",
            "",
            "通知三（三）",
        )


# --- running them ---------------------------------------------------------------


def run_checks(application, now=None):
    return run_checks_on(CheckContext.load(application, now))


def run_checks_on(ctx, *, institution=True):
    """The checks on a loaded context; `institution=False` leaves out those that read the host
    institution (an import whose institution is not registered yet still gets every other finding)."""
    results = []
    for func in CHECKS:
        if institution or func not in INSTITUTION_CHECKS:
            results.extend(func(ctx))
    return results


@dataclass
class CheckReport:
    results: list
    reasons: dict  # code -> WarningReason
    deadline: object = None  # the effective deadline when the deadline check read it (an editable application)

    @classmethod
    def for_application(cls, application, now=None):
        ctx = CheckContext.load(application, now)
        results = run_checks_on(ctx)
        reasons = {r.code: r for r in application.warning_reasons.all()}
        return cls(results, reasons, ctx.deadline)

    @cached_property  # a page asks each list several times; the results do not change
    def errors(self):
        return [r for r in self.results if r.is_error]

    @cached_property
    def warnings(self):
        return [r for r in self.results if not r.is_error]

    @property
    def problems(self):
        """Errors first, then every warning (what a re-check after the fallback reports)."""
        return [*self.errors, *self.warnings]

    @property
    def unexplained_warnings(self):
        return [r for r in self.warnings if r.code not in self.reasons]

    @property
    def can_submit(self):
        return not self.errors and not self.unexplained_warnings

    def by_field(self):
        grouped = {}
        for result in self.results:
            grouped.setdefault(result.field or "general", []).append(result)
        return grouped
