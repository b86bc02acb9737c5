"""Assigning applications to experts, by hand or automatically.

Conflict rules are named predicates over (expert profile, application,
declared conflicts): an expert never reviews an application of their own
institution, of an institution under their authority, one they declared
a conflict for, one whose schedule they lecture in, or one whose applicant
asked for them to be avoided (avoidance.py). Manual and automatic assignment
(optimum and draw) use the same checks.

Automatic assignment fills every application of the round up to N active
assignments at once (conflict declarations do not count), as an optimisation
(`matching.solve_optimal`: maximum total affinity under the loads) or as a
reproducible random draw (`matching.draw`), and refuses with the reasons when
it cannot be done. Backups (替补) are kept for each application.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from yanxiu.accounts.models import Role, User
from yanxiu.audit.log import record
from yanxiu.audit.models import AuditEntry
from yanxiu.core import clock
from yanxiu.core.dates import chinese_deadline
from yanxiu.core.jobs import JobState, expire_if_stale
from yanxiu.core.refusal import Refused
from yanxiu.notifications.service import notify

from .. import rules as perms
from ..enums import ACTIVE_ASSIGNMENT_STATES, AssignmentState
from ..models import Assignment, AssignmentJob, BackupExpert, ExpertProfile, ReviewRound
from . import avoidance, matching
from .history import log_on_applications
from .pool import applications_in_round
from .standings import refresh_standings

# --- conflict rules --------------------------------------------------------------------


def same_institution(profile, application, declared):
    return profile.institution_id is not None and profile.institution_id == application.institution_id


def same_authority(profile, application, declared):
    return application.institution.authority_id in profile.authority_ids


def declared_conflict(profile, application, declared):
    return (application.pk, profile.user_id) in declared


def applicant_avoidance(profile, application, declared):
    """The applicant asked that this expert not review its application (avoidance.py: by the
    office's match, else by exact name and employer)."""
    return any(avoidance.avoids(request, profile) for request in application.avoidance_requests.all())


def lectures_in_programme(profile, application, declared):
    """An expert who lectures in the programme's own schedule judges their own course."""
    name = (profile.user.display_name or "").strip()
    return bool(name) and any(lecturer.name.strip() == name for lecturer in application.lecturers.all())


@dataclass(frozen=True)
class ConflictRule:
    code: str
    applies: Callable
    message: str  # formatted with expert=
    label: str = ""  # the check's name, shown beside each avoided pair


CONFLICT_RULES = (
    ConflictRule("same_institution", same_institution, "{expert}与该申报的承办单位为同一单位，应当回避。", "同一单位"),
    ConflictRule(
        "same_authority", same_authority, "{expert}与该申报的承办单位属同一主管部门，应当回避。", "同一主管部门"
    ),
    ConflictRule("declared_conflict", declared_conflict, "{expert}已对该申报申明回避。", "专家申明回避"),
    ConflictRule("lectures_in_programme", lectures_in_programme, "{expert}是该项目的授课专家，应当回避。", "授课专家"),
    ConflictRule(
        "applicant_avoidance",
        applicant_avoidance,
        "申报单位申请{expert}回避（理由已报省人社厅）。",
        "申报单位申请回避",
    ),
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


def in_pool(year):
    """Experts in the pool in `year`: active accounts, available this year, within their active years."""
    return (
        ExpertProfile.objects.filter(user__is_active=True, user__role=Role.EXPERT, available=True)
        .filter(Q(active_from__isnull=True) | Q(active_from__lte=year))
        .filter(Q(active_until__isnull=True) | Q(active_until__gte=year))
    )


def available_experts(year=None):
    """The experts automatic assignment may use (and the office picks from by hand)."""
    return (
        in_pool(year or clock.now().year)
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
        refresh_standings(review_round, [application.pk])
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
        refresh_standings(review_round, [current.application_id])
        record(review_round, action="unassign", label="移除评审任务", actor=actor, data=data)
        log_on_applications({current.application_id: 1}, "review_unassigned", review_round)
        notify(
            [current.expert],
            "【专家评审】一项评审任务已取消",
            f"{review_round}：您对“{current.application}”的评审任务已由省人社厅取消，无需评审。",
            reverse("reviews:mine"),
        )


# --- automatic ---------------------------------------------------------------------------------


METHODS = {"optimal": "最优分配", "draw": "随机抽取"}


@dataclass
class AutoAssignResult:
    created: list = field(default_factory=list)
    method: str = "optimal"
    seed: str = ""
    max_load: int = 0
    quality: dict = field(default_factory=dict)
    backups: int = 0

    @property
    def message(self):
        if not self.created:
            return "每项申报的评审专家均已足额，无需分配。"
        text = f"已{METHODS[self.method]}{len(self.created)}项评审任务（每位专家最多{self.max_load}项）"
        if self.method == "draw":
            text += f"，抽取种子“{self.seed}”（凭此种子可复核抽取结果）"
        if self.quality:
            text += f"；{self.quality['domain_matched']}/{self.quality['applications']}项申报的专家全部熟悉其领域"
        if self.backups:
            text += f"；已为每项申报准备替补专家，共{self.backups}人次"
        return text + "。"


def build_problem(review_round, *, min_load=0, max_load=None, one_per_authority=False):
    """The round as plain data for `matching`: what each application still needs, each expert's load,
    and every pair the conflict rules (or an existing task) rule out."""
    applications = list(
        applications_in_round(review_round)
        .select_related("institution", "domain")
        .prefetch_related("lecturers", "topic_claims", "avoidance_requests")
        .order_by("pk")
    )
    profiles = list(available_experts(review_round.call.year))
    existing = list(Assignment.objects.filter(round=review_round).values_list("application_id", "expert_id", "state"))
    load = Counter(expert_id for _, expert_id, state in existing if state in ACTIVE_ASSIGNMENT_STATES)
    active = Counter(app_id for app_id, _, state in existing if state in ACTIVE_ASSIGNMENT_STATES)
    declared = declared_pairs([a.pk for a in applications])
    forbidden = {(app_id, expert_id) for app_id, expert_id, _ in existing}
    for application in applications:
        forbidden.update((application.pk, p.user_id) for p in profiles if conflicts(p, application, declared))
    apps = [
        matching.AppNode(
            id=a.pk,
            need=max(0, review_round.reviews_per_application - active[a.pk]),
            domain_id=a.domain_id,
            authority_id=a.institution.authority_id,
            text=" ".join([a.title, a.purpose, *(c.explanation for c in a.topic_claims.all())]),
            label=a.title or f"申报{a.pk}",
            domain_label=a.domain.name if a.domain_id else "",
        )
        for a in applications
    ]
    experts = [
        matching.ExpertNode(
            id=p.user_id,
            domain_ids=frozenset(d.pk for d in p.domains.all()),
            primary_domain_id=p.primary_domain_id,
            keywords=p.keyword_list,
            authority_id=p.authority_id or (p.institution.authority_id if p.institution_id else None),
            load=load[p.user_id],
            label=str(p.user),
        )
        for p in profiles
    ]
    problem = matching.Problem(
        apps, experts, forbidden, min_load=min_load, max_load=max_load or 0, one_per_authority=one_per_authority
    )
    return problem, {a.pk: a for a in applications}


def _solve(problem, method, seed):
    if method == "draw":
        pairs, _reserves = matching.draw(problem, seed)
        return pairs
    return matching.solve_optimal(problem)


def _default_max_load(problem):
    """Without a maximum from the office: twice an even share (the optimum balances loads itself),
    never less than what an expert already holds."""
    if not problem.experts:
        raise matching.Infeasible(["尚无可参加本年度评审的专家：请先在专家库中添加专家。"])
    total = sum(a.need for a in problem.applications) + sum(e.load for e in problem.experts)
    fair = -(-total // len(problem.experts))
    return max(2 * fair + 1, problem.min_load, *(e.load + 1 for e in problem.experts))


def auto_assign(
    review_round,
    *,
    actor,
    method="optimal",
    seed="",
    min_load=0,
    max_load=None,
    one_per_authority=False,
    backups=2,
):
    """Give every application of the round its N experts at once, or refuse with the reasons.

    `optimal` maximises total affinity (domain first, then keywords) under the loads and the
    conflict rules; `draw` draws at random from the domain's eligible experts, replayable from
    `seed`. Existing tasks stay. Backups (替补) are kept per application.
    """
    _require_officer(actor)
    if method not in METHODS:
        raise Refused("分配方式不正确。")
    if method == "draw" and not (seed or "").strip():
        raise Refused("随机抽取须填写抽取种子（如会议编号加随机数），以便复核。", errors={"seed": "请填写抽取种子。"})
    if max_load is not None and max_load < max(min_load, 1):
        raise Refused("任务上限不能小于最低任务量，且至少为1。", errors={"max_load": "任务上限不能小于最低任务量。"})
    now = clock.now()
    with transaction.atomic():
        review_round = _lock(review_round)
        refusal = why_not_open(review_round, now)
        if refusal:
            raise Refused(refusal)
        problem, applications = build_problem(
            review_round, min_load=min_load, max_load=max_load, one_per_authority=one_per_authority
        )
        try:
            if max_load is None:
                problem.max_load = _default_max_load(problem)
            pairs = _solve(problem, method, seed)
        except matching.Infeasible as infeasible:
            raise Refused(
                "无法完成分配，未作任何改动：" + "；".join(infeasible.reasons), code="assignment.infeasible"
            ) from None
        if method == "draw":
            _pairs, reserves = matching.draw(problem, seed, backups=backups)
        else:
            reserves = matching.backups_for(problem, pairs, backups)
        report = matching.quality(problem, pairs)
        result = AutoAssignResult(
            method=method, seed=seed, max_load=problem.max_load, quality=report.as_dict() if pairs else {}
        )
        result.created = [
            Assignment(
                round=review_round,
                application=applications[app_id],
                expert_id=expert_id,
                assigned_by=actor,
                assigned_at=now,
                is_automatic=True,
            )
            for app_id, expert_id in pairs
        ]
        Assignment.objects.bulk_create(result.created)
        BackupExpert.objects.filter(round=review_round).delete()
        BackupExpert.objects.bulk_create(
            [
                BackupExpert(round=review_round, application_id=app_id, expert_id=expert_id, rank=rank)
                for app_id, experts in reserves.items()
                for rank, expert_id in enumerate(experts, start=1)
            ]
        )
        result.backups = sum(len(v) for v in reserves.values())
        refresh_standings(review_round, {a.application_id for a in result.created})
        log_on_applications(Counter(a.application_id for a in result.created), "review_assigned", review_round)
        record(
            review_round,
            action="auto_assign",
            label=f"自动分配评审任务（{METHODS[method]}）",
            actor=actor,
            data={
                "method": method,
                "seed": seed,
                "min_load": min_load,
                "max_load": problem.max_load,
                "one_per_authority": one_per_authority,
                "created": [list(pair) for pair in pairs],
                "backups": {str(k): v for k, v in reserves.items()},
                "quality": result.quality,
            },
        )
        new_counts = Counter(expert_id for _, expert_id in pairs)
        if new_counts:
            _notify_new_tasks(review_round, new_counts)
    return result


def latest_report(review_round):
    """The last automatic assignment's record (method, seed, loads, quality), for the round's page."""
    entry = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ReviewRound), object_id=review_round.pk, action="auto_assign"
        )
        .order_by("-pk")
        .first()
    )
    return entry.data if entry else None


def call_backup(assignment, *, actor):
    """After a conflict declaration, give the application its first backup who may still take it."""
    for backup in BackupExpert.objects.filter(
        round=assignment.round, application=assignment.application
    ).select_related("expert"):
        if why_not_assign(assignment.round, assignment.application, backup.expert) is None:
            backup.delete()
            created = Assignment.objects.create(
                round=assignment.round,
                application=assignment.application,
                expert=backup.expert,
                assigned_by=actor,
                assigned_at=clock.now(),
                is_automatic=True,
            )
            refresh_standings(assignment.round, [assignment.application_id])
            record(
                created,
                action="assign_backup",
                label="替补专家补位",
                actor=actor,
                to_state=created.state,
                data={"replaces": assignment.expert_id, "application": assignment.application_id},
            )
            log_on_applications({assignment.application_id: 1}, "review_assigned", assignment.round)
            _notify_new_tasks(assignment.round, {backup.expert_id: 1})
            return created
    return None


# --- large rounds: solved in the background ---------------------------------------------------------

# A round with more places to fill than this is solved by the worker (tasks.solve_assignment);
# smaller rounds are solved in the request (a few seconds at most).
BACKGROUND_FROM = 600


def places_to_fill(review_round):
    """How many expert places the round's applications still need (one count query per state)."""
    applications = applications_in_round(review_round).count()
    active = Assignment.objects.filter(round=review_round, state__in=ACTIVE_ASSIGNMENT_STATES).count()
    return max(applications * review_round.reviews_per_application - active, 0)


def runs_in_background(review_round):
    return places_to_fill(review_round) >= BACKGROUND_FROM


def start_assignment_job(review_round, *, actor, enqueue, **options):
    """Record a background automatic assignment with `options` (auto_assign's) and its audit entry;
    `enqueue(job pk)` (the task's, passed by the caller: tasks sit above the domain) runs after commit.
    The worker calls auto_assign itself, so the result is the one the request would have made."""
    _require_officer(actor)
    if options.get("method", "optimal") not in METHODS:
        raise Refused("分配方式不正确。")
    if options.get("method") == "draw" and not (options.get("seed") or "").strip():
        raise Refused("随机抽取须填写抽取种子（如会议编号加随机数），以便复核。", errors={"seed": "请填写抽取种子。"})
    refusal = why_not_open(review_round, clock.now())
    if refusal:
        raise Refused(refusal)
    running = AssignmentJob.objects.filter(round=review_round, state__in=(JobState.QUEUED, JobState.RUNNING))
    if any(expire_if_stale(job).is_running for job in running):
        raise Refused("本轮已有一项自动分配正在后台进行，请等待其完成。")
    with transaction.atomic():
        job = AssignmentJob.objects.create(
            round=review_round, requested_by=actor, options=options, created_at=clock.now()
        )
        record(
            review_round,
            action="start_auto_assign",
            label=f"开始后台自动分配（{METHODS[options.get('method', 'optimal')]}）",
            actor=actor,
            data={"job": job.pk, "options": options},
        )
        transaction.on_commit(lambda: enqueue(job.pk))
    return job
