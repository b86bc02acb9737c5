"""Assigning applications to experts, by hand or automatically.

Conflict rules are named predicates over (expert profile, application,
declared conflicts): an expert never reviews an application of their own
institution, of an institution under their authority, or one they declared
a conflict for. Manual and automatic assignment use the same checks.

Automatic assignment fills every application of the round up to N active
assignments (conflict declarations do not count), taking the least-loaded
eligible experts first; among equally loaded experts it prefers one who knows
the application's professional domain, then the earliest account (stable).
The most constrained applications (fewest eligible experts) are served first.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse

from yanxiu.accounts.models import Role, User
from yanxiu.audit.log import record
from yanxiu.core import clock
from yanxiu.core.dates import chinese_deadline
from yanxiu.core.refusal import Refused
from yanxiu.notifications.service import notify

from .. import rules as perms
from ..enums import ACTIVE_ASSIGNMENT_STATES, AssignmentState
from ..models import Assignment, ExpertProfile, ReviewRound
from .history import log_on_applications
from .pool import applications_in_round

# --- conflict rules --------------------------------------------------------------------


def same_institution(profile, application, declared):
    return profile.institution_id is not None and profile.institution_id == application.institution_id


def same_authority(profile, application, declared):
    return application.institution.authority_id in profile.authority_ids


def declared_conflict(profile, application, declared):
    return (application.pk, profile.user_id) in declared


@dataclass(frozen=True)
class ConflictRule:
    code: str
    applies: Callable
    message: str  # formatted with expert=


CONFLICT_RULES = (
    ConflictRule("same_institution", same_institution, "{expert}与该申报的承办单位为同一单位，应当回避。"),
    ConflictRule("same_authority", same_authority, "{expert}与该申报的承办单位属同一主管部门，应当回避。"),
    ConflictRule("declared_conflict", declared_conflict, "{expert}已对该申报申明回避。"),
)


def conflicts(profile, application, declared=frozenset()):
    """The conflict rules that keep this expert from this application."""
    return [rule for rule in CONFLICT_RULES if rule.applies(profile, application, declared)]


def declared_pairs(application_ids):
    """(application id, expert id) of every declared conflict, in any round."""
    return frozenset(
        Assignment.objects.filter(application_id__in=application_ids, state=AssignmentState.CONFLICT).values_list(
            "application_id", "expert_id"
        )
    )


def available_experts():
    return (
        ExpertProfile.objects.filter(user__is_active=True, user__role=Role.EXPERT)
        .select_related("user", "institution", "authority")
        .prefetch_related("domains")
        .order_by("user_id")
    )


# --- checks shared by manual and automatic assignment -------------------------------------------


def _require_officer(actor):
    if not perms.is_province_officer(actor):
        raise Refused("只有省人社厅经办人可以分配评审任务。")


def why_not_open(review_round, now):
    if now > review_round.deadline_end:
        return f"本轮评审已于{chinese_deadline(review_round.deadline)}截止，请先延长评审截止日期。"
    return None


def why_not_assign(review_round, application, expert, now=None):
    """Why `expert` (a User) may not be assigned `application` now, or None."""
    refusal = why_not_open(review_round, now or clock.now())
    if refusal:
        return refusal
    if not applications_in_round(review_round).filter(pk=application.pk).exists():
        return "该申报不在本轮评审范围内（须为本轮年度和级别、且已由主管部门报送省人社厅的申报）。"
    profile = ExpertProfile.objects.filter(user=expert).select_related("institution").first()
    if profile is None or not expert.is_active or expert.role != Role.EXPERT:
        return f"{expert}不是可用的评审专家（须为启用的专家账号并已填写专家信息）。"
    existing = Assignment.objects.filter(round=review_round, application=application, expert=expert).first()
    if existing and existing.state == AssignmentState.CONFLICT:
        return f"{expert}已对该申报申明回避。"
    if existing:
        return f"{expert}已在评审该申报。"
    found = conflicts(profile, application, declared_pairs([application.pk]))
    if found:
        return found[0].message.format(expert=expert)
    active = Assignment.objects.filter(
        round=review_round, application=application, state__in=ACTIVE_ASSIGNMENT_STATES
    ).count()
    if active >= review_round.reviews_per_application:
        return (
            f"该申报已有{active}位评审专家，达到本轮每项申报的评审人数；"
            "如需增加，请先修改本轮的“每项申报评审专家人数”。"
        )
    return None


def _lock(review_round):
    """Serialise assignment changes of one round (a no-op on SQLite, which serialises writers)."""
    return ReviewRound.objects.select_for_update().get(pk=review_round.pk)


def _notify_new_tasks(review_round, counts):
    experts = User.objects.filter(pk__in=counts)
    for expert in experts:
        notify(
            [expert],
            f"【专家评审】您有{counts[expert.pk]}项新的评审任务",
            f"{review_round}：您有{counts[expert.pk]}项新的评审任务，请于{chinese_deadline(review_round.deadline)}前完成评审。"
            "如与申报单位存在利害关系，请申明回避。",
            reverse("reviews:mine"),
        )


# --- manual -----------------------------------------------------------------------------------


def assign(review_round, application, expert, *, actor):
    _require_officer(actor)
    with transaction.atomic():
        review_round = _lock(review_round)
        refusal = why_not_assign(review_round, application, expert)
        if refusal:
            raise Refused(refusal)
        assignment = Assignment.objects.create(
            round=review_round,
            application=application,
            expert=expert,
            assigned_by=actor,
            assigned_at=clock.now(),
            is_automatic=False,
        )
        record(
            assignment,
            action="assign",
            label="分配评审任务",
            actor=actor,
            to_state=assignment.state,
            data={"round": review_round.pk, "application": application.pk, "expert": expert.pk},
        )
        log_on_applications({application.pk: 1}, "review_assigned", review_round)
        _notify_new_tasks(review_round, {expert.pk: 1})
    return assignment


def why_not_unassign(assignment):
    if assignment.state == AssignmentState.SUBMITTED:
        return "该专家已提交评审意见，不能移除。"
    if assignment.state == AssignmentState.CONFLICT:
        return "回避申明须保留备查，不能移除。"
    return None


def unassign(assignment, *, actor):
    _require_officer(actor)
    with transaction.atomic():
        review_round = _lock(assignment.round)
        current = Assignment.objects.select_related("application", "expert").get(pk=assignment.pk)
        refusal = why_not_unassign(current)
        if refusal:
            raise Refused(refusal)
        data = {"application": current.application_id, "expert": current.expert_id, "assignment": current.pk}
        current.delete()
        record(review_round, action="unassign", label="移除评审任务", actor=actor, data=data)
        log_on_applications({current.application_id: 1}, "review_unassigned", review_round)
        notify(
            [current.expert],
            "【专家评审】一项评审任务已取消",
            f"{review_round}：您对“{current.application}”的评审任务已由省人社厅取消，无需评审。",
            reverse("reviews:mine"),
        )


# --- automatic ---------------------------------------------------------------------------------


@dataclass
class AutoAssignResult:
    created: list = field(default_factory=list)
    shortfalls: list = field(default_factory=list)  # (application, missing count)

    @property
    def message(self):
        text = f"已自动分配{len(self.created)}项评审任务。"
        if self.shortfalls:
            missing = sum(m for _, m in self.shortfalls)
            text += f"另有{len(self.shortfalls)}项申报因可回避专家不足，仍缺{missing}位评审专家，请增加专家后再分配。"
        return text


def auto_assign(review_round, *, actor):
    _require_officer(actor)
    now = clock.now()
    with transaction.atomic():
        review_round = _lock(review_round)
        refusal = why_not_open(review_round, now)
        if refusal:
            raise Refused(refusal)
        applications = list(applications_in_round(review_round).select_related("institution").order_by("pk"))
        profiles = list(available_experts())
        existing = list(
            Assignment.objects.filter(round=review_round).values_list("application_id", "expert_id", "state")
        )
        taken = {(app_id, expert_id) for app_id, expert_id, _ in existing}
        load = Counter(expert_id for _, expert_id, state in existing if state in ACTIVE_ASSIGNMENT_STATES)
        active = Counter(app_id for app_id, _, state in existing if state in ACTIVE_ASSIGNMENT_STATES)
        declared = declared_pairs([a.pk for a in applications])
        domains = {p.user_id: {d.pk for d in p.domains.all()} for p in profiles}

        eligible = {
            a.pk: [p for p in profiles if (a.pk, p.user_id) not in taken and not conflicts(p, a, declared)]
            for a in applications
        }
        result = AutoAssignResult()
        new_counts = Counter()
        for application in sorted(applications, key=lambda a: (len(eligible[a.pk]), a.pk)):
            need = review_round.reviews_per_application - active[application.pk]
            if need <= 0:
                continue
            candidates = sorted(
                eligible[application.pk],
                key=lambda p: (load[p.user_id], application.domain_id not in domains[p.user_id], p.user_id),
            )
            for profile in candidates[:need]:
                result.created.append(
                    Assignment(
                        round=review_round,
                        application=application,
                        expert_id=profile.user_id,
                        assigned_by=actor,
                        assigned_at=now,
                        is_automatic=True,
                    )
                )
                load[profile.user_id] += 1
                new_counts[profile.user_id] += 1
            if len(candidates) < need:
                result.shortfalls.append((application, need - len(candidates)))
        Assignment.objects.bulk_create(result.created)
        log_on_applications(Counter(a.application_id for a in result.created), "review_assigned", review_round)
        record(
            review_round,
            action="auto_assign",
            label="自动分配评审任务",
            actor=actor,
            data={
                "created": [[a.application_id, a.expert_id] for a in result.created],
                "shortfalls": [[a.pk, missing] for a, missing in result.shortfalls],
            },
        )
        if new_counts:
            _notify_new_tasks(review_round, new_counts)
    return result
