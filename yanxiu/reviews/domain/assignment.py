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

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from yanxiu.accounts.models import Role, User
from yanxiu.accounts.rules import is_expert, require
from yanxiu.applications.models import Lecturer, TopicClaim
from yanxiu.audit.log import record
from yanxiu.audit.models import AuditEntry
from yanxiu.core import clock
from yanxiu.core.bulk import insert_rows
from yanxiu.core.dates import chinese_deadline
from yanxiu.core.jobs import JobState, expire_if_stale
from yanxiu.core.refusal import Refused
from yanxiu.notifications.service import notify, notify_each

from ..enums import ACTIVE_ASSIGNMENT_STATES, AssignmentState
from ..models import ApplicantAvoidance, Assignment, AssignmentJob, BackupExpert, ExpertProfile, ReviewRound
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


# The same rules set-wise, over every (application, expert) pair of a round at once: index the experts
# by institution, authority and name, then look each application up (one pass, no pair-by-pair test).
# tests/reviews/test_conflict_sets.py checks each against its predicate above on varied data.


def _index(profiles, keys):
    index = defaultdict(list)
    for profile in profiles:
        for key in keys(profile):
            index[key].append(profile.user_id)
    return index


def same_institution_pairs(profiles, applications, declared):
    index = _index(profiles, lambda p: [p.institution_id] if p.institution_id is not None else [])
    return {(a.pk, e) for a in applications for e in index.get(a.institution_id, ())}


def same_authority_pairs(profiles, applications, declared):
    index = _index(profiles, lambda p: p.authority_ids)
    return {(a.pk, e) for a in applications for e in index.get(a.institution.authority_id, ())}


def declared_conflict_pairs(profiles, applications, declared):
    experts = {p.user_id for p in profiles}
    ids = {a.pk for a in applications}
    return {(a, e) for a, e in declared if a in ids and e in experts}


def applicant_avoidance_pairs(profiles, applications, declared):
    experts = {p.user_id for p in profiles}
    by_name = defaultdict(list)
    for profile in profiles:
        by_name[avoidance.normalise(profile.user.display_name)].append(profile)
    pairs = set()
    requests = ApplicantAvoidance.objects.filter(application_id__in=[a.pk for a in applications])
    for request in requests:
        if request.expert_id is not None:
            if request.expert_id in experts:
                pairs.add((request.application_id, request.expert_id))
            continue
        for profile in by_name.get(avoidance.normalise(request.name), ()):
            if avoidance.avoids(request, profile):
                pairs.add((request.application_id, profile.user_id))
    return pairs


def lectures_in_programme_pairs(profiles, applications, declared):
    index = _index(profiles, lambda p: [n] if (n := (p.user.display_name or "").strip()) else [])
    lecturers = Lecturer.objects.filter(application_id__in=[a.pk for a in applications]).values_list(
        "application_id", "name"
    )
    return {(application_id, e) for application_id, name in lecturers for e in index.get(name.strip(), ())}


@dataclass(frozen=True)
class ConflictRule:
    code: str
    applies: Callable
    message: str  # formatted with expert=
    label: str = ""  # the check's name, shown beside each avoided pair
    pairs: Callable = (
        None  # (profiles, applications, declared) -> {(application id, expert id)}: the same rule set-wise
    )


CONFLICT_RULES = (
    ConflictRule(
        "same_institution",
        same_institution,
        "{expert}与该申报的承办单位为同一单位，应当回避。",
        "同一单位",
        same_institution_pairs,
    ),
    ConflictRule(
        "same_authority",
        same_authority,
        "{expert}与该申报的承办单位属同一主管部门，应当回避。",
        "同一主管部门",
        same_authority_pairs,
    ),
    ConflictRule(
        "declared_conflict", declared_conflict, "{expert}已对该申报申明回避。", "专家申明回避", declared_conflict_pairs
    ),
    ConflictRule(
        "lectures_in_programme",
        lectures_in_programme,
        "{expert}是该项目的授课专家，应当回避。",
        "授课专家",
        lectures_in_programme_pairs,
    ),
    ConflictRule(
        "applicant_avoidance",
        applicant_avoidance,
        "申报单位申请{expert}回避（理由已报省人社厅）。",
        "申报单位申请回避",
        applicant_avoidance_pairs,
    ),
)


def conflicts(profile, application, declared=frozenset()):
    """The conflict rules that keep this expert from this application."""
    return [rule for rule in CONFLICT_RULES if rule.applies(profile, application, declared)]


def conflicting_pairs(profiles, applications, declared=frozenset()):
    """{rule: {(application id, expert id)}} for every rule, computed set-wise (the same answers as
    `conflicts` pair by pair), a few queries whatever the size. Applications need `institution`
    loaded, profiles `user` and `institution`."""
    return {rule: rule.pairs(profiles, applications, declared) for rule in CONFLICT_RULES}


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
    if profile is None or not is_expert(expert):
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
    """Each expert their own count, in one insert (notify_each)."""
    deadline, link = chinese_deadline(review_round.deadline), reverse("reviews:mine")
    notify_each(
        (
            expert,
            f"【专家评审】您有{counts[expert.pk]}项新的评审任务",
            (
                f"{review_round}：您有{counts[expert.pk]}项新的评审任务，请于{deadline}前完成评审。"
                "如与申报单位存在利害关系，请申明回避。"
            ),
            link,
        )
        for expert in User.objects.filter(pk__in=counts).order_by("pk")
    )


# --- manual -----------------------------------------------------------------------------------


def assign(review_round, application, expert, *, actor):
    require(actor, "reviews.manage_rounds")
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
    require(actor, "reviews.manage_rounds")
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


class NewTask(NamedTuple):
    """A task an automatic assignment created (written in bulk, so without a model instance)."""

    application_id: int
    expert_id: int


@dataclass
class AutoAssignResult:
    created: list = field(default_factory=list)  # [NewTask]
    method: str = "optimal"
    seed: str = ""
    max_load: int = 0
    quality: dict = field(default_factory=dict)
    backups: int = 0
    default_note: str = ""

    @property
    def message(self):
        if not self.created:
            return "每项申报的评审专家均已足额，无需分配。"
        limit = self.default_note or f"每位专家最多{self.max_load}项"
        text = f"已{METHODS[self.method]}{len(self.created)}项评审任务（{limit}）"
        if self.method == "draw":
            text += f"，抽取种子“{self.seed}”（凭此种子可复核抽取结果）"
        if self.quality:
            text += f"；{self.quality['domain_matched']}/{self.quality['applications']}项申报的专家全部熟悉其领域"
        if self.backups:
            text += f"；已为每项申报准备替补专家，共{self.backups}人次"
        return text + "。"


def _spread_authority(own, institutions):
    """The authority the spread rule counts an expert under: their own, else their institution's."""
    return own if own is not None else institutions


def build_problem(review_round, *, min_load=0, max_load=None, one_per_authority=False):
    """The round as plain data for `matching`: what each application still needs (and the authorities
    of the experts it already has), each expert's load, and every pair the conflict rules (computed
    set-wise) or an existing task rule out."""
    applications = list(applications_in_round(review_round).select_related("institution", "domain").order_by("pk"))
    claims = defaultdict(list)
    for application_id, explanation in (
        TopicClaim.objects.filter(application_id__in=[a.pk for a in applications])
        .order_by("pk")
        .values_list("application_id", "explanation")
    ):
        claims[application_id].append(explanation)
    profiles = list(available_experts(review_round.call.year))
    existing = list(
        Assignment.objects.filter(round=review_round).values_list(
            "application_id",
            "expert_id",
            "state",
            "expert__expert_profile__authority_id",
            "expert__expert_profile__institution__authority_id",
        )
    )
    load = Counter(expert_id for _, expert_id, state, *_ in existing if state in ACTIVE_ASSIGNMENT_STATES)
    active = Counter(app_id for app_id, _, state, *_ in existing if state in ACTIVE_ASSIGNMENT_STATES)
    held = defaultdict(set)
    for app_id, _, state, own, through_institution in existing:
        authority = _spread_authority(own, through_institution)
        if state in ACTIVE_ASSIGNMENT_STATES and authority is not None:
            held[app_id].add(authority)
    declared = declared_pairs([a.pk for a in applications])
    forbidden = {(app_id, expert_id) for app_id, expert_id, *_ in existing}
    for pairs in conflicting_pairs(profiles, applications, declared).values():
        forbidden |= pairs
    apps = [
        matching.AppNode(
            id=a.pk,
            need=max(0, review_round.reviews_per_application - active[a.pk]),
            domain_id=a.domain_id,
            authority_id=a.institution.authority_id,
            text=" ".join([a.title, a.purpose, *claims[a.pk]]),
            label=a.title or f"申报{a.pk}",
            domain_label=a.domain.name if a.domain_id else "",
            held_authorities=frozenset(held[a.pk]),
        )
        for a in applications
    ]
    experts = [
        matching.ExpertNode(
            id=p.user_id,
            domain_ids=frozenset(d.pk for d in p.domains.all()),
            primary_domain_id=p.primary_domain_id,
            keywords=p.keyword_list,
            authority_id=_spread_authority(p.authority_id, p.institution.authority_id if p.institution_id else None),
            load=load[p.user_id],
            label=str(p.user),
        )
        for p in profiles
    ]
    problem = matching.Problem(
        apps, experts, forbidden, min_load=min_load, max_load=max_load or 0, one_per_authority=one_per_authority
    )
    return problem, {a.pk: a for a in applications}


def _solve(problem, method, seed, backups, max_load):
    """Solve under the office's maximum or, without one, the default (an even share plus a fifth, see
    matching.default_max_load), loosened only when the round cannot be filled under it. Returns
    (pairs, backups, what the report says about a default maximum: Chinese, empty for the office's)."""
    if not problem.experts:
        raise matching.Infeasible(["尚无可参加本年度评审的专家：请先在专家库中添加专家。"])

    def run():
        if method == "draw":
            return matching.draw(problem, seed, backups=backups)
        pairs = matching.solve_optimal(problem)
        return pairs, matching.backups_for(problem, pairs, backups)

    if max_load is not None:
        problem.max_load = max_load
        return (*run(), "")
    share = problem.even_share()
    problem.max_load = default = matching.default_max_load(problem)
    try:
        return (*run(), f"未填写任务上限：按平均任务量{share}项加两成，每位专家最多{default}项")
    except matching.Infeasible:
        loosened = matching.loosen_max_load(problem)
        if loosened is None:  # not even without a limit: explain under the loosest one
            raise matching.Infeasible(matching.explain(problem)) from None
    return (
        *run(),
        f"未填写任务上限：按平均任务量{share}项加两成应为{default}项，因回避和分散规则放宽到{loosened}项",
    )


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
    conflict rules; `draw` draws at random under the same rules (domain experts first), replayable
    from `seed`. Existing tasks stay and count for loads and the spread rule. Backups (替补) are kept
    per application, each within the maximum load and the spread rule.
    """
    require(actor, "reviews.manage_rounds")
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
        problem, _applications = build_problem(review_round, min_load=min_load, one_per_authority=one_per_authority)
        try:
            pairs, reserves, default_note = _solve(problem, method, seed, backups, max_load)
        except matching.Infeasible as infeasible:
            raise Refused(
                "无法完成分配，未作任何改动：" + "；".join(infeasible.reasons), code="assignment.infeasible"
            ) from None
        report = matching.quality(problem, pairs, method) if pairs else None
        result = AutoAssignResult(
            method=method,
            seed=seed,
            max_load=problem.max_load,
            quality=report.as_dict() if report else {},
            default_note=default_note,
        )
        result.created = [NewTask(app_id, expert_id) for app_id, expert_id in pairs]
        # Tens of thousands of rows: written without a model instance each (core.bulk).
        insert_rows(
            Assignment,
            ("application_id", "expert_id"),
            pairs,
            round_id=review_round.pk,
            assigned_by_id=actor.pk,
            assigned_at=now,
            is_automatic=True,
        )
        BackupExpert.objects.filter(round=review_round).delete()
        insert_rows(
            BackupExpert,
            ("application_id", "expert_id", "rank"),
            [
                (app_id, expert_id, rank)
                for app_id, experts in reserves.items()
                for rank, expert_id in enumerate(experts, start=1)
            ],
            round_id=review_round.pk,
        )
        result.backups = sum(len(v) for v in reserves.values())
        refresh_standings(review_round, {a.application_id for a in result.created})
        log_on_applications(Counter(a.application_id for a in result.created), "review_assigned", review_round)
        loads = Counter({e.id: e.load for e in problem.experts})
        loads.update(expert_id for _, expert_id in pairs)
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
                "default_max_load": default_note,
                "one_per_authority": one_per_authority,
                "created": [list(pair) for pair in pairs],
                "backups": {str(k): v for k, v in reserves.items()},
                "quality": result.quality,
                # Each left-out expert's load after the run: the page shows the reason only while it holds.
                "left_out_loads": {str(e): loads[e] for e in report.left_out} if report else {},
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


def _expert_authority(expert_id):
    row = (
        ExpertProfile.objects.filter(user_id=expert_id).values_list("authority_id", "institution__authority_id").first()
    )
    return _spread_authority(*row) if row else None


def why_not_backup(backup, review_round, rules):
    """Why this backup may not take the application now under the last automatic assignment's rules
    (`rules`: its record, with max_load and one_per_authority), or None. Conflicts, the round's state
    and N are why_not_assign's."""
    refusal = why_not_assign(review_round, backup.application, backup.expert)
    if refusal:
        return refusal
    if not rules:
        return None
    held = Assignment.objects.filter(round=review_round, expert=backup.expert, state__in=ACTIVE_ASSIGNMENT_STATES)
    if rules.get("max_load") and held.count() >= rules["max_load"]:
        return f"{backup.expert}本轮已有{held.count()}项任务，达到任务上限{rules['max_load']}项。"
    if rules.get("one_per_authority"):
        authority = _expert_authority(backup.expert_id)
        others = Assignment.objects.filter(
            round=review_round, application=backup.application, state__in=ACTIVE_ASSIGNMENT_STATES
        ).values_list("expert_id", flat=True)
        if authority is not None and any(_expert_authority(e) == authority for e in others):
            return f"该申报已有与{backup.expert}同一主管部门的评审专家（每个主管部门最多一位）。"
    return None


def call_backup(assignment, *, actor):
    """After a conflict declaration, give the application its first backup who may still take it:
    no conflict, below the maximum load and within the spread rule of the last automatic assignment."""
    rules = latest_report(assignment.round)
    for backup in BackupExpert.objects.filter(
        round=assignment.round, application=assignment.application
    ).select_related("expert", "application", "application__institution"):
        if why_not_backup(backup, assignment.round, rules) is None:
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
    require(actor, "reviews.manage_rounds")
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
