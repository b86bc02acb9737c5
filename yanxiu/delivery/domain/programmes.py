"""The run record of a planned programme and the one door for its state.

A Programme is created for every application in the annual plan
(`ensure_programmes`). The host confirms the final arrangements; a change of
the planned dates or venue becomes a ProgrammeChange that the province office
approves or refuses (history kept). Closing, confirmation and "not completed"
go through PROGRAMME_WORKFLOW (core/workflow.py): role, state and guards are
checked, the row saved, the audit entry written and people notified. The
completion result is written to organisations.ProgrammeRecord, which next
year's rule `institution.previous_completion` reads.
"""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from yanxiu.accounts.models import Role, User
from yanxiu.accounts.rules import require
from yanxiu.applications.enums import PLANNED_STATES
from yanxiu.applications.models import Application
from yanxiu.audit.log import record
from yanxiu.core import clock
from yanxiu.core.dates import chinese_date
from yanxiu.core.refusal import Refused
from yanxiu.notifications.service import notify
from yanxiu.organisations.models import ProgrammeRecord
from yanxiu.reference.domain import workdays
from yanxiu.workflow import Transition, Workflow

from ..enums import ChangeState, EnrolmentState
from ..enums import ProgrammeState as S
from ..models import AuthorityClosingPeriod, DeliverySettings, Programme, ProgrammeChange
from . import quality

# What the issued plan fixes for a class: changed only by the office's approval (decision 0026).
CONTROLLED_FIELDS = {
    "start_date": "开班日期",
    "end_date": "结束日期",
    "venue": "办班地点",
    "experts": "授课专家",
    "capacity": "招收名额",
}


# --- who (the named permissions are in ../rules.py) ---------------------------------


def require_host(user, programme):
    require(user, "delivery.run_programme", programme)


def host_staff(programme):
    return User.objects.filter(
        institution_id=programme.application.institution_id, role=Role.INSTITUTION_STAFF, is_active=True
    )


def officers(programme=None):
    return User.objects.filter(role=Role.PROVINCE_OFFICER, is_active=True)


def settings_for(call):
    """The call's delivery settings; the defaults, unsaved, while the office has stored none.

    A read never writes: the settings row is created with the call's first programme
    (`ensure_programmes`) or by the office."""
    found = getattr(call, "_delivery_settings_cache", None)
    if found is None:
        found = DeliverySettings.objects.filter(call=call).first() or DeliverySettings(call=call)
        call._delivery_settings_cache = found
    return found


SETTINGS_FIELDS = (
    "credit_hours_per_day",
    "closing_days",
    "closing_unit",
    "min_attendance_percent",
    "min_grassroots_percent",
    "min_non_public_percent",
)


def change_settings(call, actor, **values):
    """The province office changes a call's delivery settings (its page; once only in the admin),
    with an audit entry naming each changed value before and after."""
    require(actor, "delivery.change_delivery_settings")
    with transaction.atomic():
        DeliverySettings.objects.get_or_create(call=call)  # a read stores nothing: the first change does
        stored = DeliverySettings.objects.select_for_update().get(call=call)
        changes = []
        for name in SETTINGS_FIELDS:
            before, after = getattr(stored, name), values[name]
            if before != after:
                field = DeliverySettings._meta.get_field(name)
                shown = dict(field.choices or ())
                changes.append(
                    {
                        "field": str(field.verbose_name),
                        "before": str(shown.get(before, before)),
                        "after": str(shown.get(after, after)),
                    }
                )
                setattr(stored, name, after)
        if changes:
            stored.save()
            record(
                stored,
                action="change_delivery_settings",
                label="修改实施与结业设置",
                actor=actor,
                data={"changes": changes},
            )
        call._delivery_settings_cache = stored
    return stored


def closing_period(programme):
    """The period after the class for the closing documents: the host's authority's own
    (`AuthorityClosingPeriod`), else the call's (default 10 working days)."""
    found = getattr(programme, "_closing_period_cache", None)
    if found is None:
        own = AuthorityClosingPeriod.objects.filter(
            call_id=programme.application.call_id, authority_id=programme.application.institution.authority_id
        ).first()
        found = own.period if own else settings_for(programme.call).closing_period
        programme._closing_period_cache = found
    return found


def closing_deadline(programme):
    """The last day for the closing documents (until 24:00): the period counted from the day after the class."""
    period = closing_period(programme)
    return workdays.add(programme.end_date, period.days, period.unit)


# --- creating the run records from the plan ---------------------------------------


def ensure_programmes(call=None):
    """A Programme for every planned application that has none yet (idempotent)."""
    waiting = Application.objects.filter(state__in=PLANNED_STATES, programme__isnull=True).select_related("call")
    if call is not None:
        waiting = waiting.filter(call=call)
    created = []
    for application in waiting:
        rule = application.call.tier_rule(application.tier)
        created.append(
            Programme(
                application=application,
                start_date=application.start_date or application.call.completion_date,
                end_date=application.end_date or application.start_date or application.call.completion_date,
                venue=" ".join(p for p in (application.venue_city, application.venue_place) if p)[:200],
                capacity=application.planned_trainees or rule.min_trainees,
            )
        )
    with transaction.atomic():
        Programme.objects.bulk_create(created, ignore_conflicts=True)
        # the call's delivery settings exist before any page reads them (no write on a GET)
        for call_id in {p.application.call_id for p in created}:
            DeliverySettings.objects.get_or_create(call_id=call_id)
    return len(created)


def on_application_state_changed(sender, obj, to_state, **kwargs):
    """An application entering the annual plan (a publication, the ministry's answer) gets
    its run record in the same transaction: no page has to create it on a GET."""
    if to_state in PLANNED_STATES:
        ensure_programmes(obj.call)


# --- before the class ----------------------------------------------------------------


def _open(programme):
    if programme.state != S.PREPARING:
        raise Refused(f"项目当前状态为“{programme.get_state_display()}”，不能修改开班安排。")


def _stored(field, text):
    """A change's new value (kept as text in ProgrammeChange.changes) as the field holds it."""
    if field.endswith("_date"):
        return date.fromisoformat(text)
    if field == "capacity":
        return int(text)
    return text


@transaction.atomic
def confirm_arrangements(programme, actor, *, start_date, end_date, venue, schedule, experts, capacity, reason=""):
    """The host confirms the arrangements of a class in the issued plan. The schedule changes at once;
    the plan's dates, venue, lecturers and capacity (CONTROLLED_FIELDS) change only through a
    ProgrammeChange the province office approves (`decide_change`, decision 0026). Lecturers left
    blank by the plan are filled in freely once. Returns the ProgrammeChange or None."""
    require_host(actor, programme)
    _open(programme)
    if end_date < start_date:
        raise Refused("结束日期不能早于开班日期。")
    if end_date > programme.call.completion_date:
        raise Refused(f"应在{chinese_date(programme.call.completion_date)}之前完成办班（通知二（一））。")
    approved = programme.trainees.filter(state=EnrolmentState.APPROVED).count()
    if capacity < approved:
        raise Refused(f"招收名额不能少于已录取的{approved}人。")
    programme.schedule = schedule
    fields = ["schedule", "arrangements_confirmed_at"]
    if not programme.experts.strip():
        programme.experts = experts
        fields.append("experts")
    if programme.arrangements_confirmed_at is None:
        programme.arrangements_confirmed_at = clock.now()
    programme.save(update_fields=fields)
    wanted = {"start_date": start_date, "end_date": end_date, "venue": venue, "experts": experts, "capacity": capacity}
    diff = {f: [str(getattr(programme, f)), str(v)] for f, v in wanted.items() if getattr(programme, f) != v}
    record(
        programme,
        action="confirm_arrangements",
        label="确认开班安排",
        actor=actor,
        data={"capacity": programme.capacity, "changes_requested": diff},
    )
    if not diff:
        return None
    if not (reason or "").strip():
        raise Refused("开班时间、地点、授课专家或招收名额与计划不同，须填写变更理由，报省人社厅审批。")
    if programme.changes.filter(state=ChangeState.PENDING).exists():
        raise Refused("已有一项变更正在等待省人社厅审批，请等审批后再提出新的变更。")
    change = ProgrammeChange.objects.create(
        programme=programme, changes=diff, reason=reason.strip()[:1000], requested_by=actor, requested_at=clock.now()
    )
    notify(
        officers(),
        f"【研修申报】{programme}：申请变更开班安排",
        f"{programme.institution.name}申请变更：{describe_change(diff)}。理由：{change.reason}",
        reverse("delivery:changes"),
    )
    return change


def describe_change(changes):
    """开班日期：2026-10-08 → 2026-10-15；招收名额：40 → 45"""
    return "；".join(f"{CONTROLLED_FIELDS[f]}：{old} → {new}" for f, (old, new) in changes.items())


@transaction.atomic
def decide_change(change, actor, *, approve, note=""):
    """The office approves (the programme takes the new values) or refuses a change; audited with who."""
    require(actor, "delivery.decide_change")
    change = ProgrammeChange.objects.select_for_update().select_related("programme").get(pk=change.pk)
    if change.state != ChangeState.PENDING:
        raise Refused("该变更已审批。")
    if not approve and not note.strip():
        raise Refused("不予批准时请填写审批意见。")
    programme = change.programme
    if approve:
        _open(programme)
        for field, (_old, new) in change.changes.items():
            setattr(programme, field, _stored(field, new))
        if programme.end_date > programme.call.completion_date:
            raise Refused(f"变更后的结束日期晚于办班完成截止日期{chinese_date(programme.call.completion_date)}。")
        approved = programme.trainees.filter(state=EnrolmentState.APPROVED).count()
        if programme.capacity < approved:
            raise Refused(f"变更后的招收名额少于已录取的{approved}人。")
        programme.changed_at = clock.now()
        programme.save(update_fields=[*change.changes, "changed_at"])
    change.state = ChangeState.APPROVED if approve else ChangeState.REJECTED
    change.decided_by, change.decided_at, change.decision_note = actor, clock.now(), note.strip()[:500]
    change.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    label = "批准开班安排变更" if approve else "不予批准开班安排变更"
    record(
        programme,
        action="decide_change",
        label=label,
        actor=actor,
        reason=note,
        data={"change": change.pk, "changes": change.changes, "requested_by": change.requested_by.username},
    )
    notify(
        host_staff(programme),
        f"【研修申报】{programme}：{label}",
        f"{describe_change(change.changes)}。{note}".strip(),
        reverse("delivery:programme", args=[programme.pk]),
    )
    return change


def publish_enrolment(programme, actor, *, notice, deadline, open_, waiting_list=None):
    require_host(actor, programme)
    _open(programme)
    if open_ and programme.arrangements_confirmed_at is None:
        raise Refused("请先确认开班安排，再发布招生通知。")
    if open_ and not notice.strip():
        raise Refused("请填写招生通知。")
    if open_ and deadline and deadline > programme.start_date:
        raise Refused("报名截止日期不能晚于开班日期。")
    programme.enrolment_notice, programme.enrolment_deadline, programme.enrolment_open = notice.strip(), deadline, open_
    if waiting_list is not None:
        programme.waiting_list = waiting_list
    programme.save(update_fields=["enrolment_notice", "enrolment_deadline", "enrolment_open", "waiting_list"])
    record(
        programme,
        action="publish_enrolment" if open_ else "close_enrolment",
        label="发布招生通知" if open_ else "关闭报名",
        actor=actor,
    )
    return programme


# --- closing and completion: the workflow --------------------------------------------


def _class_is_over(programme, now):
    if programme.end_date >= now.date():
        raise Refused(f"研修班于{chinese_date(programme.end_date)}结束后才能提交结业材料。")


def _closing_complete(programme, now):
    from .closing import closing_problems  # noqa: PLC0415  (closing imports this module's require_host)

    problems = closing_problems(programme)
    if problems:
        raise Refused("结业材料不完整：" + "；".join(problems) + "。")


def days_late(programme, now):
    """Days past the closing deadline in the period's unit (working days by default), or None."""
    late = workdays.late_by(closing_deadline(programme), timezone.localdate(now), closing_period(programme).unit)
    return late or None


def lateness_text(programme, now):
    """逾期N个工作日, or empty when not late."""
    late = days_late(programme, now)
    return f"逾期{workdays.Period(late, closing_period(programme).unit)}" if late else ""


def closing_status(programme, today):
    """What the pages say about the closing deadline: the day, the period, the days left or late."""
    deadline, period = closing_deadline(programme), closing_period(programme)
    left = workdays.days_left(today, deadline, period.unit)
    return {
        "deadline": deadline,
        "closing_deadline": deadline,
        "closing_period": period,
        "days_late": -left if left < 0 else None,
        "lateness": f"逾期{workdays.Period(-left, period.unit)}" if left < 0 else "",
        "days_left": left,
        "left_text": str(workdays.Period(left, period.unit)) if left > 0 else "",
        "calendar_unknown": period.unit == workdays.Unit.WORKING and not workdays.is_known(deadline.year),
    }


def _on_submit_closing(programme, actor, now, reason):
    late = days_late(programme, now)
    return {
        "closing_submitted_at": now,
        "closing_days_late": late,
        "closing_late_unit": closing_period(programme).unit if late else "",
    }


def _report_late_closing(programme, actor, reason):
    """A late closing is accepted but marked, logged and said to the province office (decision 0009)."""
    if not programme.closing_days_late:
        return
    deadline = chinese_date(closing_deadline(programme))
    note = f"结业材料应于{deadline}前提交，{programme.lateness_text}。"
    record(programme, action="late_closing", label="逾期提交结业材料", actor=actor, reason=note)
    notify(
        officers(),
        f"【研修申报】{programme}：逾期提交结业材料",
        f"“{programme}”（{programme.institution.name}）{note}",
        reverse("delivery:programme", args=[programme.pk]),
    )


def _closing_submitted(programme, actor, reason):
    quality.refresh(programme.application.institution_id)  # on time or late: part of the host's score
    _report_late_closing(programme, actor, reason)


def write_record(programme, completed, note=""):
    """Upsert the institution's ProgrammeRecord for this programme's year."""
    application = programme.application
    values = {
        "institution": application.institution,
        "year": application.call.year,
        "title": application.title[:200],
        "tier": application.tier,
        "completed": completed,
        "note": note[:300],
    }
    if programme.record_id:
        ProgrammeRecord.objects.filter(pk=programme.record_id).update(**values)
    else:
        programme.record = ProgrammeRecord.objects.create(**values)
        Programme.objects.filter(pk=programme.pk).update(record=programme.record)
    quality.refresh(application.institution_id)  # a past year on record moves the host's score


def _record_completed(programme, actor, reason):
    write_record(programme, True, reason)


def _record_not_completed(programme, actor, reason):
    write_record(programme, False, reason)


def _decided(programme, actor, now, reason):
    return {"decided_at": now, "decision_note": reason}


PROGRAMME_WORKFLOW = Workflow(
    Programme,
    [
        Transition(
            "submit_closing",
            "提交结业材料",
            (S.PREPARING,),
            S.CLOSING_SUBMITTED,
            "delivery.submit_closing",
            guards=(_class_is_over, _closing_complete),
            recipients=officers,
            effects=_on_submit_closing,
            after=_closing_submitted,
        ),
        Transition(
            "return_closing",
            "退回结业材料",
            (S.CLOSING_SUBMITTED,),
            S.PREPARING,
            "delivery.return_closing",
            reason_required=True,
            reason_label="退回意见",
            recipients=host_staff,
        ),
        Transition(
            "confirm_completion",
            "确认按计划完成",
            (S.CLOSING_SUBMITTED,),
            S.COMPLETED,
            "delivery.confirm_completion",
            recipients=host_staff,
            effects=_decided,
            after=_record_completed,
        ),
        Transition(
            "mark_not_completed",
            "认定未按计划完成",
            (S.PREPARING, S.CLOSING_SUBMITTED),
            S.NOT_COMPLETED,
            "delivery.mark_not_completed",
            reason_required=True,
            reason_label="认定理由",
            recipients=host_staff,
            effects=_decided,
            after=_record_not_completed,
        ),
    ],
    describe=lambda p: f"{p}（{p.institution.name}）",
    link=lambda p: reverse("delivery:programme", args=[p.pk]),
)


def perform(programme, action, actor, *, reason=""):
    return PROGRAMME_WORKFLOW.perform(programme, action, actor, reason=reason)


# --- flagged automatically -----------------------------------------------------------


def flag_overdue(today=None):
    """Programmes still running after the call's completion date: flagged once,
    recorded as not completed (the office may still confirm completion later),
    the office and the host notified. Returns the flagged programmes."""
    today = today or clock.today()
    candidates = Programme.objects.filter(
        state=S.PREPARING, overdue_flagged_at__isnull=True, application__call__completion_date__lt=today
    ).select_related("application", "application__call", "application__institution")
    flagged = []
    for programme in candidates:
        deadline = programme.call.completion_date
        note = f"截至{chinese_date(deadline)}未完成办班和结业（系统自动标记）"
        with transaction.atomic():
            if not Programme.objects.filter(pk=programme.pk, overdue_flagged_at__isnull=True).update(
                overdue_flagged_at=clock.now()
            ):
                continue
            write_record(programme, False, note)
            record(programme, action="flag_overdue", label="逾期未完成（自动标记）", reason=note)
            notify(
                list(officers()) + list(host_staff(programme)),
                f"【研修申报】{programme}：逾期未完成",
                f"“{programme}”（{programme.institution.name}）{note}。",
                reverse("delivery:programme", args=[programme.pk]),
            )
        flagged.append(programme)
    return flagged
