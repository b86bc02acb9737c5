"""The one door for every state change of an application.

`perform(application, action, actor, reason=...)` runs the transition named
`action` from TRANSITIONS through the shared state machine (core/workflow.py):
who may act, the state, the rules and the deadline are checked, then the row
is saved, the audit entry written and the people concerned notified.
Nothing else changes `Application.state`.
"""

from django.db.models import Prefetch
from django.urls import reverse

from yanxiu.accounts.models import Role, User
from yanxiu.audit.log import record
from yanxiu.core.refusal import Refused
from yanxiu.notifications.service import notify
from yanxiu.reference.models import CompetentDepartment
from yanxiu.workflow import Transition, Workflow

from ..enums import ApplicationState as S
from ..models import Application, TopicClaim
from .checks import CheckReport
from .snapshot import snapshot


def _host_staff(application):
    return User.objects.filter(institution_id=application.institution_id, role=Role.INSTITUTION_STAFF, is_active=True)


def _authority_reviewers(application):
    return User.objects.filter(
        authority_id=application.institution.authority_id, role=Role.AUTHORITY_REVIEWER, is_active=True
    )


def _rules_pass(application, now):
    """The submission's assessment: the rules' report, refused while it has errors or unexplained
    warnings. The workflow computes it once, on the row it has locked, and hands it to _on_submit."""
    report = CheckReport.for_application(application, now)
    if report.errors:
        first = report.errors[0]
        more = f"等{len(report.errors)}项" if len(report.errors) > 1 else ""
        raise Refused(f"还有未通过的规则检查{more}：{first.message}")
    if report.unexplained_warnings:
        first = report.unexplained_warnings[0]
        raise Refused(f"以下提醒需要填写说明理由后才能提交：{first.message}")
    return report


def _on_submit(application, actor, now, reason, *, assessed):
    # Keep what the checks said at submission (`assessed`: _rules_pass's report), for the reviewers' lists.
    report = assessed
    return {
        "submitted_at": now,
        "check_summary": [dict(r.as_dict(), reason=str(report.reasons.get(r.code, ""))) for r in report.warnings],
    }


def _on_withdraw(application, actor, now, reason):
    return {"submitted_at": None, "check_summary": []}


def _on_approve(application, actor, now, reason):
    return {"authority_opinion": reason, "authority_opinion_at": now}


def _on_reopen(application, actor, now, reason):
    return {"authority_opinion": "", "authority_opinion_at": None, "authority_rank": None}


def _in_a_sending_batch(application, now):
    if application.batch_id is None or application.batch.state != "submitted":
        raise Refused("申报须随主管部门的批次一起报送省人社厅。")


def _host_and_authority(application):
    return _host_staff(application) | _authority_reviewers(application)


def _is_national(application, now):
    if application.tier != "national":
        raise Refused("只有国家级申报可以推荐申报国家级。")


def _provincial_department_for(application):
    name = application.domain.provincial_department if application.domain_id else ""
    return CompetentDepartment.objects.filter(level=CompetentDepartment.Level.PROVINCIAL, name=name).first()


def _fallback_to_provincial(application, actor, now, reason):
    """附件4 第1条: a national application not selected becomes provincial without
    reapplying; its 附件2 is written from its 附件1 data."""
    if application.tier != "national":
        return {}
    changes = {"tier": "provincial", "fallback_from_national": True, "recruitment_scope": "province"}
    department = _provincial_department_for(application)
    if department is not None:
        changes["competent_department"] = department
    return changes


def _province_officers(application=None):
    return User.objects.filter(role=Role.PROVINCE_OFFICER, is_active=True)


def _report_fallback(application, actor, reason):
    """After the fallback: the provincial rules run again, and the host, its authority and
    the province office are told what they say (decision 0009)."""
    application = Application.objects.select_related("call", "institution").get(pk=application.pk)
    report = CheckReport.for_application(application)
    problems = report.problems
    record(
        application,
        action="fallback_checks",
        label="转入省级后按省级规则检查",
        actor=actor,
        data={"results": [r.as_dict() for r in problems]},
    )
    if problems:
        listed = "\n".join(f"- {r.message}" for r in problems)
        body = (
            f"“{application}”已转入省级项目，按省级规则重新检查，有{len(problems)}项需要注意：\n{listed}\n"
            "承办单位可在申报页面调整办班时间、学员人数和招收范围，无需重新申报。"
        )
    else:
        body = f"“{application}”已转入省级项目，按省级规则重新检查，全部通过。"
    notify(
        _host_staff(application) | _authority_reviewers(application) | _province_officers(),
        f"【研修申报】{application}：转入省级后的规则检查",
        body,
        reverse("applications:detail", args=[application.pk]),
    )


# What the checks read on the locked row (submit's assessment), each in one query.
ASSESSED_PREFETCH = (
    "call__tier_rules",
    "sessions",
    "lecturers",
    Prefetch("topic_claims", queryset=TopicClaim.objects.select_related("area")),
    "institution__programme_records",
    "warning_reasons",
)


def _locked(queryset, transition):
    """The application's row locked, with its call, institution and catalogue entries; for a
    transition that runs the checks, what they read as well."""
    queryset = queryset.select_related(
        "call", "institution", "institution__authority", "domain", "competent_department"
    )
    return queryset.prefetch_related(*ASSESSED_PREFETCH) if transition.assess else queryset


def _snapshot_data(application):
    return {"snapshot": snapshot(application)}


TRANSITIONS_LIST = [
    Transition(
        "submit",
        "提交主管部门",
        (S.DRAFT, S.RETURNED),
        S.SUBMITTED,
        "applications.submit_application",
        assess=_rules_pass,
        recipients=_authority_reviewers,
        effects=_on_submit,
    ),
    Transition(
        "withdraw",
        "撤回",
        (S.SUBMITTED,),
        S.DRAFT,
        "applications.withdraw_application",
        reason_label="撤回说明",
        recipients=_authority_reviewers,
        effects=_on_withdraw,
    ),
    Transition(
        "return",
        "退回修改",
        (S.SUBMITTED,),
        S.RETURNED,
        "applications.return_application",
        reason_required=True,
        reason_label="退回意见",
        recipients=_host_staff,
        audit_data=_snapshot_data,
    ),
    Transition(
        "approve",
        "审核通过",
        (S.SUBMITTED,),
        S.AUTHORITY_APPROVED,
        "applications.approve_application",
        reason_required=True,
        reason_label="审核意见",
        recipients=_host_staff,
        effects=_on_approve,
    ),
    Transition(
        "decline",
        "不予推荐",
        (S.SUBMITTED,),
        S.AUTHORITY_DECLINED,
        "applications.decline_application",
        reason_required=True,
        reason_label="不予推荐理由",
        recipients=_host_staff,
    ),
    Transition(
        "reopen",
        "撤销审核结论",
        (S.AUTHORITY_APPROVED, S.AUTHORITY_DECLINED),
        S.SUBMITTED,
        "applications.reopen_application",
        reason_required=True,
        reason_label="撤销理由",
        recipients=_host_staff,
        effects=_on_reopen,
    ),
    # Done through the authority's batch (yanxiu.batches), never on their own.
    Transition(
        "forward",
        "报送省人社厅",
        (S.AUTHORITY_APPROVED,),
        S.FORWARDED,
        "applications.forward_application",
        guards=(_in_a_sending_batch,),
        recipients=_host_staff,
        manual=False,
        via="batch",
        via_label="随主管部门的报送批次",
    ),
    Transition(
        "recall",
        "省人社厅退回批次",
        (S.FORWARDED,),
        S.AUTHORITY_APPROVED,
        "applications.recall_application",
        reason_required=True,
        reason_label="退回理由",
        manual=False,
        via="batch",
        via_label="由省人社厅退回整个批次",
    ),
    # The province's decisions, published together (yanxiu.selection), and the ministry's answer.
    Transition(
        "decide_national_candidate",
        "推荐申报国家级",
        (S.FORWARDED,),
        S.NATIONAL_CANDIDATE,
        "applications.decide_application",
        guards=(_is_national,),
        recipients=_host_and_authority,
        manual=False,
        via="publication",
        via_label="由省人社厅发布遴选结果",
    ),
    Transition(
        "decide_demonstration",
        "入选省级示范项目",
        (S.FORWARDED,),
        S.PROVINCIAL_DEMONSTRATION,
        "applications.decide_application",
        recipients=_host_and_authority,
        effects=_fallback_to_provincial,
        manual=False,
        via="publication",
        via_label="由省人社厅发布遴选结果",
    ),
    Transition(
        "decide_ordinary",
        "入选省级普通项目",
        (S.FORWARDED,),
        S.PROVINCIAL_ORDINARY,
        "applications.decide_application",
        recipients=_host_and_authority,
        effects=_fallback_to_provincial,
        manual=False,
        via="publication",
        via_label="由省人社厅发布遴选结果",
    ),
    Transition(
        "decide_not_selected",
        "未入选",
        (S.FORWARDED,),
        S.NOT_SELECTED,
        "applications.decide_application",
        recipients=_host_and_authority,
        manual=False,
        via="publication",
        via_label="由省人社厅发布遴选结果",
    ),
    Transition(
        "ministry_select",
        "人社部入选国家级",
        (S.NATIONAL_CANDIDATE,),
        S.MINISTRY_SELECTED,
        "applications.record_ministry_answer",
        recipients=_host_and_authority,
        manual=False,
        via="ministry_answer",
        via_label="由省人社厅登记人社部结果",
    ),
    Transition(
        "ministry_reject",
        "人社部未入选，转入省级",
        (S.NATIONAL_CANDIDATE,),
        S.FORWARDED,
        "applications.record_ministry_answer",
        recipients=_host_and_authority,
        effects=_fallback_to_provincial,
        after=_report_fallback,
        manual=False,
        via="ministry_answer",
        via_label="由省人社厅登记人社部结果",
    ),
]

APPLICATION_WORKFLOW = Workflow(
    Application,
    TRANSITIONS_LIST,
    describe=lambda a: f"{a}（{a.institution.name}，{a.get_tier_display()}）",
    link=lambda a: reverse("applications:detail", args=[a.pk]),
    locked=_locked,
)
TRANSITIONS = APPLICATION_WORKFLOW.transitions


def why_not(application, action, actor, now=None):
    return APPLICATION_WORKFLOW.why_not(application, action, actor, now)


def available_actions(application, actor):
    return APPLICATION_WORKFLOW.available(application, actor)


def perform(application, action, actor, *, reason=""):
    """A manual action (a button on the application's page)."""
    return APPLICATION_WORKFLOW.perform(application, action, actor, reason=reason)


def perform_within(operation, application, action, actor, *, reason=""):
    """A step of the batch, the publication or the ministry's answer (Transition.via)."""
    return APPLICATION_WORKFLOW.perform_within(operation, application, action, actor, reason=reason)
