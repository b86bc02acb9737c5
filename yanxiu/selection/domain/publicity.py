"""公示 before the plan is issued (decision 0026).

The office shows the staged selection on a public page for a period (default 5 working days,
`reference.domain.workdays`), with a contact for objections (`start`). Objections received by phone
or letter are recorded with their handling (`record_objection`, `handle_objection`). `decisions.publish`
asks `check_publishable`: the plan is issued only after the period has ended, for the selection that
was shown, with every objection handled; or, without a 公示, with a recorded reason.
"""

from django.db import transaction
from django.utils import timezone

from yanxiu.audit.log import record
from yanxiu.core import clock
from yanxiu.core.dates import chinese_date
from yanxiu.core.refusal import Refused
from yanxiu.reference.domain import workdays

from ..models import Decision, Objection, ObjectionChannel, Publicity

DEFAULT_PERIOD = workdays.Period(5)


def _require(actor, perm, what):
    if not actor.has_perm(perm):
        raise Refused(f"只有省人社厅经办人可以{what}。")


def latest(call):
    """The call's 公示 published last (as of the clock: the demo's fixed history may lie ahead of a test's day)."""
    return Publicity.objects.filter(call=call, published_at__lte=clock.now()).first()


def under_way(publicity, today=None):
    return publicity is not None and (today or clock.today()) <= publicity.ends_on


def _staged(call):
    return Decision.objects.filter(application__call=call, published_at__isnull=True).select_related(
        "application", "application__institution", "application__institution__authority"
    )


def _shown(decisions):
    return {d.application_id: d.outcome for d in decisions}


def start(call, actor, *, contact, days=DEFAULT_PERIOD.days, unit=DEFAULT_PERIOD.unit):
    """Publish the staged selection for a 公示 of `days` (working days by default) from today."""
    _require(actor, "selection.publicise", "发布公示")
    contact = (contact or "").strip()
    if not contact:
        raise Refused("请填写受理异议的联系人和联系方式。", errors={"contact": "请填写受理异议的联系人和联系方式。"})
    if unit not in workdays.Unit.values or not 1 <= int(days) <= 30:
        raise Refused("公示期应为1至30天（工作日或自然日）。", errors={"days": "公示期应为1至30天。"})
    today = clock.today()
    with transaction.atomic():
        current = latest(call)
        if under_way(current, today):
            raise Refused(f"公示正在进行中（至{chinese_date(current.ends_on)}），期满后才能重新公示。")
        decisions = list(_staged(call).select_for_update())
        if not decisions:
            raise Refused("没有拟定的遴选结果，无需公示。")
        items = [
            {
                "decision": d.pk,
                "application": d.application_id,
                "outcome": d.outcome,
                "outcome_label": d.get_outcome_display(),
                "title": d.application.title,
                "host": d.application.institution.name,
                "authority": d.application.institution.authority.name,
            }
            for d in decisions
        ]
        starts_on = workdays.next_workday(today) if unit == workdays.Unit.WORKING else today
        publicity = Publicity.objects.create(
            call=call,
            items=items,
            starts_on=starts_on,
            days=int(days),
            unit=unit,
            ends_on=workdays.period_end(today, int(days), unit),
            contact=contact[:500],
            published_by=actor,
            published_at=clock.now(),
        )
        record(
            publicity,
            action="start_publicity",
            label="发布遴选结果公示",
            actor=actor,
            data={
                "items": len(items),
                "starts_on": str(publicity.starts_on),
                "ends_on": str(publicity.ends_on),
                "period": str(publicity.period),
            },
        )
    return publicity


def record_objection(publicity, actor, *, received_on, channel, content, objector="", application=None, handling=""):
    """An objection received by phone, letter, e-mail or in person; its handling may follow later."""
    _require(actor, "selection.record_objection", "登记公示异议")
    if channel not in ObjectionChannel.values:
        raise Refused("请选择异议的反映方式。", errors={"channel": "请选择异议的反映方式。"})
    if not (content or "").strip():
        raise Refused("请填写异议内容。", errors={"content": "请填写异议内容。"})
    if received_on < timezone.localdate(publicity.published_at) or received_on > clock.today():
        raise Refused(
            "收到日期应在公示发布之后、今天或之前。", errors={"received_on": "收到日期应在公示发布之后、今天或之前。"}
        )
    if application is not None and application.pk not in {item["application"] for item in publicity.items}:
        raise Refused("该项目不在本次公示名单中。", errors={"application": "该项目不在本次公示名单中。"})
    with transaction.atomic():
        objection = Objection.objects.create(
            publicity=publicity,
            application=application,
            received_on=received_on,
            channel=channel,
            objector=(objector or "").strip()[:100],
            content=content.strip()[:2000],
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        record(
            publicity,
            action="record_objection",
            label="登记公示异议",
            actor=actor,
            data={"objection": objection.pk, "channel": channel, "application": getattr(application, "pk", None)},
        )
        if (handling or "").strip():
            objection = handle_objection(objection, actor, handling=handling)
    return objection


def handle_objection(objection, actor, *, handling):
    _require(actor, "selection.record_objection", "登记异议处理情况")
    handling = (handling or "").strip()
    if not handling:
        raise Refused("请填写处理情况。", errors={"handling": "请填写处理情况。"})
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        before = objection.handling
        objection.handling, objection.handled_by, objection.handled_at = handling[:2000], actor, clock.now()
        objection.save(update_fields=["handling", "handled_by", "handled_at"])
        record(
            objection.publicity,
            action="handle_objection",
            label="登记异议处理情况",
            actor=actor,
            data={"objection": objection.pk, "before": before, "after": objection.handling},
        )
    return objection


def covering(call, decisions):
    """The latest 公示 if it showed exactly these staged decisions, else None (a waiver is then needed)."""
    publicity = latest(call)
    if publicity is None or _shown(decisions) != {i["application"]: i["outcome"] for i in publicity.items}:
        return None
    return publicity


WAIVER_FIELD = "without_publicity"


def check_publishable(call, decisions, *, without_publicity="", today=None):
    """The publicity that lets these staged decisions be issued, or None with a waiver reason; else Refused."""
    today = today or clock.today()
    publicity = covering(call, decisions)
    if publicity is None:
        if (without_publicity or "").strip():
            return None
        if latest(call) is None:
            message = "遴选结果须先公示，公示期满后才能下达计划；确需不经公示发布的，请填写理由。"
            code = "selection.publicity_needed"
        else:
            message = "拟定的遴选结果与公示的名单不一致，请重新公示；确需不经公示发布的，请填写理由。"
            code = "selection.publicity_differs"
        raise Refused(message, code=code, errors={WAIVER_FIELD: message})
    if today <= publicity.ends_on:
        raise Refused(
            f"公示期至{chinese_date(publicity.ends_on)}，期满后才能下达计划。",
            code="selection.publicity_under_way",
        )
    open_ = publicity.objections.filter(handling="").count()
    if open_:
        raise Refused(
            f"公示期间收到的{open_}件异议尚未登记处理情况，处理后才能下达计划。", code="selection.objections_open"
        )
    return publicity


def document_sentence(publicity, waived=""):
    """What the plan document says about its 公示, to follow "…择优遴选，" (empty before any publication)."""
    if publicity is None:
        return f"本计划未经公示（理由：{waived.rstrip('。')}），" if waived else ""
    period = f"{chinese_date(publicity.starts_on)}至{chinese_date(publicity.ends_on)}"
    objections = list(publicity.objections.all())
    if not objections:
        return f"并于{period}公示，经公示无异议，"
    handled = "；".join(o.handling.rstrip("。") for o in objections)
    return f"并于{period}公示，公示期间收到异议{len(objections)}件，已核实处理（{handled}），"
