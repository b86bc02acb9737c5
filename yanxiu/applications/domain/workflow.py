"""The one door for every state change of an application.

`perform(application, action, actor, reason=...)` looks the action up in
TRANSITIONS, checks who may act, the current state, the rules and the
deadline, then saves, writes the audit entry and notifies — in that order,
in one transaction. Nothing else changes `Application.state`.
"""

from dataclasses import dataclass, field
from typing import Callable

from django.db import transaction
from django.urls import reverse

from yanxiu.accounts.models import Role, User
from yanxiu.audit.log import record
from yanxiu.core import clock
from yanxiu.notifications.service import notify

from .. import rules as perms
from ..enums import ApplicationState as S
from ..models import Application
from .checks import CheckReport, fmt_date


class TransitionRefused(Exception):
    """Raised with a Chinese message saying why the action is not possible."""


def _host_staff(application):
    return User.objects.filter(institution_id=application.institution_id, role=Role.INSTITUTION_STAFF, is_active=True)


def _authority_reviewers(application):
    return User.objects.filter(
        authority_id=application.institution.authority_id, role=Role.AUTHORITY_REVIEWER, is_active=True
    )


def _rules_pass(application, now):
    report = CheckReport.for_application(application, now)
    if report.errors:
        first = report.errors[0]
        more = f"等{len(report.errors)}项" if len(report.errors) > 1 else ""
        raise TransitionRefused(f"还有未通过的规则检查{more}：{first.message}")
    if report.unexplained_warnings:
        first = report.unexplained_warnings[0]
        raise TransitionRefused(f"以下提醒需要填写说明理由后才能提交：{first.message}")


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple
    target: str
    may: Callable
    who: str  # shown when refused
    reason_required: bool = False
    guards: tuple = ()
    recipients: Callable | None = None
    stamps_submission: bool = False
    extra_messages: dict = field(default_factory=dict)


TRANSITIONS = {
    t.action: t
    for t in [
        Transition(
            "submit", "提交主管部门", (S.DRAFT, S.RETURNED), S.SUBMITTED,
            perms.is_host_staff, "只有承办单位经办人可以提交本单位的申报",
            guards=(_rules_pass,), recipients=_authority_reviewers, stamps_submission=True,
        ),
        Transition(
            "withdraw", "撤回", (S.SUBMITTED,), S.DRAFT,
            perms.is_host_staff, "只有承办单位经办人可以撤回本单位的申报",
            recipients=_authority_reviewers,
        ),
        Transition(
            "return", "退回修改", (S.SUBMITTED,), S.RETURNED,
            perms.is_reviewing_authority, "只有该单位的主管部门可以退回",
            reason_required=True, recipients=_host_staff,
        ),
        Transition(
            "approve", "审核通过", (S.SUBMITTED,), S.AUTHORITY_APPROVED,
            perms.is_reviewing_authority, "只有该单位的主管部门可以审核",
            reason_required=True, recipients=_host_staff,
        ),
        Transition(
            "decline", "不予推荐", (S.SUBMITTED,), S.AUTHORITY_DECLINED,
            perms.is_reviewing_authority, "只有该单位的主管部门可以审核",
            reason_required=True, recipients=_host_staff,
        ),
    ]
}

REASON_LABELS = {"return": "退回意见", "approve": "审核意见", "decline": "不予推荐理由", "withdraw": "撤回说明"}


def why_not(application, action, actor, now=None):
    """The reason `actor` may not perform `action` now, or None if they may."""
    transition = TRANSITIONS[action]
    if not transition.may(actor, application):
        return transition.who + "。"
    if application.state not in transition.sources:
        return f"当前状态为“{application.get_state_display()}”，不能{transition.label}。"
    for guard in transition.guards:
        try:
            guard(application, now or clock.now())
        except TransitionRefused as refusal:
            return str(refusal)
    return None


def available_actions(application, actor):
    """Actions the user could take in principle (their role and the state fit)."""
    return [
        t for t in TRANSITIONS.values() if t.may(actor, application) and application.state in t.sources
    ]


def perform(application, action, actor, *, reason=""):
    transition = TRANSITIONS[action]
    now = clock.now()
    reason = (reason or "").strip()
    if transition.reason_required and not reason:
        raise TransitionRefused(f"请填写{REASON_LABELS.get(action, '说明')}。")
    if len(reason) > 2000:
        raise TransitionRefused("说明不能超过2000字。")
    with transaction.atomic():
        # Lock the row (a no-op on SQLite, which serialises writers) and re-read
        # the state, so two reviewers acting at once cannot both succeed.
        current = Application.objects.select_for_update().select_related("call", "institution").get(pk=application.pk)
        refusal = why_not(current, action, actor, now)
        if refusal:
            raise TransitionRefused(refusal)
        previous = current.state
        changes = {"state": transition.target, "version": current.version + 1}
        if transition.stamps_submission:
            changes["submitted_at"] = now
        updated = Application.objects.filter(pk=current.pk, state=previous).update(**changes)
        if not updated:
            raise TransitionRefused("该申报刚被他人处理，请刷新页面后查看最新状态。")
        for name, value in changes.items():
            setattr(application, name, value)
        record(
            application, action=action, label=transition.label, actor=actor,
            from_state=previous, to_state=transition.target, reason=reason,
        )
        if transition.recipients:
            _notify(application, transition, actor, reason, now)
    return application


def _notify(application, transition, actor, reason, now):
    subject = f"【研修申报】{application}：{transition.label}"
    body = (
        f"{actor.organisation_name} {actor} 于{fmt_date(now.date())}对申报“{application}”"
        f"（{application.institution.name}，{application.get_tier_display()}）执行了“{transition.label}”。"
    )
    if reason:
        body += f"\n{REASON_LABELS.get(transition.action, '说明')}：{reason}"
    notify(transition.recipients(application), subject, body, reverse("applications:detail", args=[application.pk]))
