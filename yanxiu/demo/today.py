"""The demo around the day it is seeded (decision 0009).

`seed()` (world.py) writes the fixed history of the 2026 notice, which the tests
read. `seed_today(today)` adds, relative to `today`, what a newcomer must find on
any day of the year:

- an open call with future deadlines, holding a provincial application at every
  step (draft with a failing rule, submitted, returned, approved, forwarded);
- three planned programmes: one open for enrolment (starts in three weeks), one
  running (started yesterday; this morning's QR check-in open, five trainees in)
  and one ready to close (ended last week; certificates issued, so the office's
  certificate register of its call has rows);
- the forwarded application staged and shown in a 公示 that starts today, and the
  enrolling class's request to move to another venue, pending with the office
  (decision 0026).

Each programme belongs to the call of the year it starts in; the calls are data,
so where a programme would end after its call's completion date the demo moves
that call's completion date (only around December). Every step goes through the
domain functions on a clock set to the moment it happens, so history is real.
Idempotent: a second run on the same day adds nothing.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from yanxiu.accounts.domain import codes
from yanxiu.accounts.models import CodePurpose, Role, User
from yanxiu.applications.domain import editing, workflow
from yanxiu.applications.models import Application
from yanxiu.batches.domain import operations
from yanxiu.batches.domain.operations import BATCH_WORKFLOW
from yanxiu.calls.domain.calls import copy_call
from yanxiu.calls.models import Call
from yanxiu.core import clock
from yanxiu.core.validators import uscc_with_check
from yanxiu.delivery.domain import attendance, certificates, checkin, enrolment, programmes, quality
from yanxiu.delivery.enums import EnrolmentState
from yanxiu.delivery.models import Programme, Trainee
from yanxiu.organisations.domain import registration
from yanxiu.organisations.models import Authority, Institution
from yanxiu.selection.domain import decisions, publicity
from yanxiu.selection.models import Outcome

from .delivery import PUBLICITY_CONTACT, trainee
from .world import DEMO_PASSWORD, _demo_scan, fill

MARK = "（演示）"  # every title made here ends with it, so a rerun finds them


# The day's programmes stand for plans issued before the demo began (decision 0026): no 公示 of their own.
PAST_PLAN = "演示数据：往期已下达的计划项目"


def _at(day, hour=10):
    moment = timezone.make_aware(datetime.combine(day, time(hour, 0)))
    return clock.frozen_at(moment)


def call_for(year):
    """The call of `year`: the 2026 notice moved to that year (copied once), open for the demo."""
    call = Call.objects.filter(year=year).first()
    if call is None:
        source = Call.objects.get(year=2026)
        call = copy_call(source, year)
    if not call.is_open:
        call.is_open = True
        call.save(update_fields=["is_open"])
    return call


def _reach_completion(call, end):
    if call.completion_date < end:
        call.completion_date = end
        call.save(update_fields=["completion_date"])


def open_call_year(today):
    """The first call whose provincial deadline is at least two weeks away."""
    return today.year if today + timedelta(days=14) <= date(today.year, 2, 20) else today.year + 1


def _staff(username):
    return User.objects.get(username=username)


def _reviewer_of(user):
    return (
        User.objects.filter(role=Role.AUTHORITY_REVIEWER, authority=user.institution.authority).order_by("pk").first()
    )


def _new(call, host, title, start, trainees=40):
    application = editing.create_application(call=call, tier="provincial", institution=host.institution, actor=host)
    fill(
        application,
        host,
        title=title + MARK,
        start=start,
        days=4,
        trainees=trainees,
        domain="工程技术（电子信息）",
        department="福建省工业和信息化厅",
        scope=["digital"],
    )
    return application


def _forward(application, host):
    reviewer = _reviewer_of(host)
    workflow.perform(application, "submit", host)
    workflow.perform(application, "approve", reviewer, reason="同意推荐。")
    batch = operations.create_batch(call=application.call, tier="provincial", actor=reviewer)
    application.refresh_from_db()
    operations.set_members(batch, [application], actor=reviewer)
    operations.upload_scan(batch, application=None, uploaded=_demo_scan("附件3.pdf"), ext=".pdf", actor=reviewer)
    application.refresh_from_db()
    operations.upload_scan(batch, application=application, uploaded=_demo_scan("附件2.pdf"), ext=".pdf", actor=reviewer)
    BATCH_WORKFLOW.perform(batch, "submit", reviewer)
    application.refresh_from_db()
    return application


def _programme(today, username, title, start, *, enrolment_deadline, enrol_on, attend):
    """A provincial programme of the call of `start`'s year, planned and prepared on past clocks."""
    host = _staff(username)
    officer = User.objects.filter(role=Role.PROVINCE_OFFICER, is_active=True).order_by("pk").first()
    end = start + timedelta(days=3)
    call = call_for(start.year)
    _reach_completion(call, end)
    rule = call.tier_rule("provincial")
    # Applied before its start, before the call's deadline and weeks before today.
    applied = min(rule.deadline, start - timedelta(days=10), today - timedelta(days=20))
    with _at(applied, 9):
        application = _forward(_new(call, host, title, start), host)
    with _at(applied, 15):
        decisions.stage(application, Outcome.PROVINCIAL_ORDINARY, actor=officer)
        decisions.publish(call, actor=officer, without_publicity=PAST_PLAN)
        programmes.ensure_programmes(call)
        programme = Programme.objects.get(application=application)
        programmes.confirm_arrangements(
            programme,
            host,
            start_date=programme.start_date,
            end_date=programme.end_date,
            venue=programme.venue,
            schedule="第一天报到；第二、三天专题报告与现场教学；第四天研讨交流、返程。",
            experts="张教授、李院士",
            capacity=programme.capacity,
        )
        programmes.publish_enrolment(
            programme, host, notice="欢迎全省相关领域专业技术人员报名。", deadline=enrolment_deadline, open_=True
        )
    with _at(enrol_on):
        programme.refresh_from_db()
        enrolled = [enrolment.enrol(programme, trainee(n)) for n in range(1, 35)]
        enrolment.review(programme, enrolled[:32], host, approve=True, note="符合条件")
    if attend:
        with _at(today, 8):
            approved = list(Trainee.objects.filter(programme=programme, state=EnrolmentState.APPROVED).order_by("pk"))
            for number, (day, half_day) in enumerate(attendance.half_days(programme)):
                if day < today:
                    present = [t.pk for i, t in enumerate(approved) if (i + number) % 10 != 0]
                    attendance.record_attendance(programme, day, half_day, present, host)
    return programme


def _check_in_this_morning(programme, host, today):
    """Today's morning QR check-in open on the running class, five trainees already in (decision 0027)."""
    with _at(today, 8):
        check_in = checkin.open_check_in(programme, "am", host)
        for n in range(1, 6):
            data = trainee(n)
            checkin.confirm(check_in, checkin.token(check_in), id_number=data["id_number"], name=data["name"])
    return check_in


def _applications_at_every_step(call, today):
    start = max(today + timedelta(days=90), date(call.year, 6, 10))
    start = min(start, call.completion_date - timedelta(days=10))
    moment = min(today, call.tier_rule("provincial").deadline)
    with _at(moment, 9):
        draft = _new(call, _staff("zzzz"), "工业互联网安全防护高级研修班", start, trainees=28)  # fails 不少于30人
        submitted = _new(call, _staff("xmhy"), "海洋电子信息技术高级研修班", start)
        workflow.perform(submitted, "submit", _staff("xmhy"))
        returned = _new(call, _staff("qzwb"), "数字文博与人工智能应用高级研修班", start)
        workflow.perform(returned, "submit", _staff("qzwb"))
        workflow.perform(returned, "return", _reviewer_of(_staff("qzwb")), reason="请补充授课专家的职称信息。")
        approved = _new(call, _staff("fzxx"), "大数据与智能制造融合高级研修班", start)
        workflow.perform(approved, "submit", _staff("fzxx"))
        workflow.perform(approved, "approve", _reviewer_of(_staff("fzxx")), reason="同意推荐。")
        forwarded = _forward(_new(call, _staff("zhongye"), "智慧农业数字技术高级研修班", start), _staff("zhongye"))
    return [draft, submitted, returned, approved, forwarded]


@transaction.atomic
def seed_today(today=None):
    """Add the day's demo (see the module's docstring); returns what it made, or {} if already there."""
    today = today or clock.today()
    if Application.objects.filter(title__endswith=MARK).exists():
        return {}
    made = {}
    made["ready_to_close"] = _programme(
        today,
        "slyx",
        "智慧医疗与医学人工智能高级研修班",
        today - timedelta(days=12),
        enrolment_deadline=today - timedelta(days=14),
        enrol_on=today - timedelta(days=16),
        attend=True,
    )
    with _at(today, 9):  # its certificates are in the register of its call (decision 0027)
        certificates.issue(made["ready_to_close"], _staff("slyx"))
    running_start = today - timedelta(days=1)
    made["running"] = _programme(
        today,
        "fjcz",
        "船舶智能制造与数字化设计高级研修班",
        running_start,
        enrolment_deadline=running_start - timedelta(days=2),
        enrol_on=running_start - timedelta(days=4),
        attend=True,
    )
    _check_in_this_morning(made["running"], _staff("fjcz"), today)
    made["enrolling"] = _programme(
        today,
        "xmhy",
        "海洋装备数字孪生技术高级研修班",
        today + timedelta(days=21),
        enrolment_deadline=today + timedelta(days=14),
        enrol_on=today - timedelta(days=1),
        attend=False,
    )
    made["change"] = _change_requested(made["enrolling"], today)
    open_call = call_for(open_call_year(today))
    made["open_call"] = open_call
    made["steps"] = _applications_at_every_step(open_call, today)
    made["publicity"] = _publicity_under_way(open_call, made["steps"][-1], today)
    with _at(today, 9):
        quality.refresh_all()  # the hosts' quality scores beside their applications (decision 0027)
    return made


PENDING_USCC = uscc_with_check("91350600MA3000013")


def seed_pending_registration():
    """An institution that registered itself on the public page and waits for 漳州市人社局 (`zz_rsj`)
    to confirm it (decision 0023); its administrator `zzxcl` may log in and fill a draft. Once."""
    if Institution.objects.filter(uscc=PENDING_USCC).exists():
        return None
    signup = {
        "uscc": PENDING_USCC,
        "name": "漳州新材料研究院有限公司",
        "type": "enterprise",
        "authority": Authority.objects.get(code="350600-RS"),
        "base_status": "none",
        "can_issue_training_invoice": True,
        "contact_person": "林注册",
        "mobile": "13800005555",
        "email": "zzxcl@example.invalid",
        "username": "zzxcl",
        "password1": DEMO_PASSWORD,
    }
    signup["mobile_code"] = codes.issue(CodePurpose.REGISTER_MOBILE, signup["mobile"], client="demo")
    signup["email_code"] = codes.issue(CodePurpose.REGISTER_EMAIL, signup["email"], client="demo")
    return registration.register(signup, _demo_scan("盖章授权书.pdf"))


def _change_requested(programme, today):
    """The enrolling class's host asks to move it to another venue: pending with the office."""
    programme.refresh_from_db()
    with _at(today, 9):
        return programmes.confirm_arrangements(
            programme,
            _staff("xmhy"),
            start_date=programme.start_date,
            end_date=programme.end_date,
            venue="厦门市海沧区海洋装备产业园培训中心",
            schedule=programme.schedule,
            experts=programme.experts,
            capacity=programme.capacity,
            reason="原定会议中心档期冲突，改在产业园培训中心，便于现场教学。",
        )


def _publicity_under_way(call, forwarded, today):
    """The forwarded application staged as a provincial programme and shown in a 公示 from today."""
    officer = User.objects.filter(role=Role.PROVINCE_OFFICER, is_active=True).order_by("pk").first()
    current = publicity.latest(call)
    if publicity.under_way(current, today):  # seeded on a day inside the fixed history's own 公示
        return current
    with _at(today, 9):
        decisions.stage(forwarded, Outcome.PROVINCIAL_ORDINARY, actor=officer)
        return publicity.start(call, officer, contact=PUBLICITY_CONTACT)
