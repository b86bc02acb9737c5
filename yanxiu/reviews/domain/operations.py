"""What an expert does: submit (or revise) a review, declare a conflict.

Each operation checks who acts, the state and the round's deadline (via
clock.now()), then saves, writes the audit entry and notifies — in one
transaction, with the assignment row locked.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from yanxiu.accounts.models import Role, User
from yanxiu.accounts.rules import refusal_for
from yanxiu.core import clock
from yanxiu.core.dates import chinese_deadline
from yanxiu.core.refusal import Refused
from yanxiu.core.validators import validate_plain_text
from yanxiu.notifications.service import notify
from yanxiu.workflow import Transition, Workflow

from ..enums import AssignmentState, Recommendation
from ..models import Assignment, Review, Score
from . import scoring
from .assignment import call_backup
from .history import log_on_applications
from .standings import refresh_standings, stored_total

COMMENT_MAX = 2000
REASON_MAX = 500


def _province_officers():
    return User.objects.filter(role=Role.PROVINCE_OFFICER, is_active=True)


def why_not_review(assignment, actor, now=None):
    """Why `actor` may not submit or revise a review for this assignment now, or None."""
    if not actor.has_perm("reviews.review_assignment", assignment):
        return refusal_for("reviews.review_assignment")
    if assignment.state == AssignmentState.CONFLICT:
        return "您已对该申报申明回避，不能评分。"
    if (now or clock.now()) > assignment.round.deadline_end:
        return f"本轮评审已于{chinese_deadline(assignment.round.deadline)}截止，不能再提交或修改评审意见。"
    return None


def why_not_declare_conflict(assignment, actor, now=None):
    if not actor.has_perm("reviews.declare_conflict", assignment):
        return refusal_for("reviews.declare_conflict")
    if assignment.state == AssignmentState.CONFLICT:
        return "您已对该申报申明回避。"
    if assignment.state == AssignmentState.SUBMITTED:
        return "您已提交评审意见；如需回避，请联系省人社厅经办人。"
    if (now or clock.now()) > assignment.round.deadline_end:
        return f"本轮评审已于{chinese_deadline(assignment.round.deadline)}截止。"
    return None


def _plain(text, label, limit, required=True):
    text = (text or "").strip()
    if required and not text:
        raise Refused(f"请填写{label}。")
    if len(text) > limit:
        raise Refused(f"{label}不能超过{limit}字。")
    try:
        validate_plain_text(text)
    except ValidationError as invalid:
        raise Refused(f"{label}：{invalid.messages[0]}") from None
    return text


def clean_scores(criteria, scores):
    """Each criterion's score as a Decimal within 0..max with at most one decimal; Chinese refusals."""
    cleaned = {}
    for criterion in criteria:
        raw = scores.get(criterion.pk)
        if raw is None or raw == "":
            raise Refused(f"请为“{criterion.name}”评分。")
        if isinstance(raw, float):
            raw = str(raw)
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            raise Refused(f"“{criterion.name}”的得分应为数字。") from None
        if not value.is_finite() or value < 0 or value > criterion.max_score:
            raise Refused(f"“{criterion.name}”的得分应在0至{criterion.max_score}分之间。")
        if value != value.quantize(Decimal("0.1")):
            raise Refused(f"“{criterion.name}”的得分最多保留一位小数。")
        cleaned[criterion.pk] = value.quantize(Decimal("0.1"))
    unknown = set(scores) - set(cleaned)
    if unknown:
        raise Refused("评分项与本轮评分标准不一致，请刷新页面后重新评分。")
    return cleaned


def _audit_review(assignment):
    review = Review.objects.get(assignment=assignment)
    criteria = list(assignment.round.criteria.all())
    values = {s.criterion_id: s.value for s in review.scores.all()}
    total = scoring.review_total(values, [scoring.Weighting(c.pk, c.weight, c.max_score) for c in criteria])
    return {
        "total": str(total),
        "recommendation": review.recommendation,
        "scores": {c.name: str(values[c.pk]) for c in criteria},
    }


def _round_open(assignment, now):
    if now > assignment.round.deadline_end:
        raise Refused(f"本轮评审已于{chinese_deadline(assignment.round.deadline)}截止。")


def _on_conflict(assignment, actor, now, reason):
    return {"conflict_reason": reason, "conflict_declared_at": now}


def _after_conflict(assignment, actor, reason):
    refresh_standings(assignment.round, [assignment.application_id])
    log_on_applications({assignment.application_id: 1}, "review_conflict", assignment.round)
    backup = call_backup(assignment, actor=assignment.round.created_by)
    follow_up = f"已由替补专家{backup.expert}补位。" if backup else "请为该申报补充分配评审专家。"
    notify(
        _province_officers(),
        f"【专家评审】{assignment.expert}申明回避",
        f"{assignment.round}：评审专家{assignment.expert}对“{assignment.application}”申明回避。\n回避理由：{reason}\n"
        + follow_up,
        reverse("reviews:round_assignments", args=[assignment.round_id]),
    )


# The assignment's one door (yanxiu/workflow.py): who, state, deadline, the row, the audit entry.
ASSIGNMENT_WORKFLOW = Workflow(
    Assignment,
    [
        Transition(
            "submit_review",
            "提交评审意见",
            (AssignmentState.ASSIGNED,),
            AssignmentState.SUBMITTED,
            "reviews.review_assignment",
            guards=(_round_open,),
            audit_data=_audit_review,
            manual=False,
            via="review",
            via_label="在评审页面填写评分",
        ),
        Transition(
            "revise_review",
            "修改评审意见",
            (AssignmentState.SUBMITTED,),
            AssignmentState.SUBMITTED,
            "reviews.review_assignment",
            guards=(_round_open,),
            audit_data=_audit_review,
            manual=False,
            via="review",
            via_label="在评审页面填写评分",
        ),
        Transition(
            "declare_conflict",
            "申明回避",
            (AssignmentState.ASSIGNED,),
            AssignmentState.CONFLICT,
            "reviews.declare_conflict",
            reason_required=True,
            reason_label="回避理由",
            guards=(_round_open,),
            effects=_on_conflict,
            after=_after_conflict,
        ),
    ],
    describe=lambda a: f"{a.round}：{a.application}",
    link=lambda a: reverse("reviews:task", args=[a.pk]),
)


def submit_review(assignment, actor, *, scores, comment, recommendation):
    """Submit, or revise before the deadline, the expert's review. `scores` maps criterion id → score.

    The review's content is saved under the assignment's lock, then the state
    changes through ASSIGNMENT_WORKFLOW (audit entry with the total), in one transaction."""
    comment = _plain(comment, "评审意见", COMMENT_MAX)
    if recommendation not in Recommendation.values:
        raise Refused("请选择推荐意见（推荐 / 可考虑 / 不推荐）。")
    now = clock.now()
    with transaction.atomic():
        current = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related("round", "application", "expert")
            .get(pk=assignment.pk)
        )
        refusal = why_not_review(current, actor, now)
        if refusal:
            raise Refused(refusal)
        criteria = list(current.round.criteria.all())
        values = clean_scores(criteria, scores)
        total, total_exact = stored_total(values, criteria)
        review = Review.objects.filter(assignment=current).first()
        revising = review is not None
        if revising:
            review.comment, review.recommendation, review.revised_at = comment, recommendation, now
            review.total, review.total_exact = total, total_exact
            review.save(update_fields=["comment", "recommendation", "revised_at", "total", "total_exact"])
            review.scores.all().delete()
        else:
            review = Review.objects.create(
                assignment=current,
                comment=comment,
                recommendation=recommendation,
                submitted_at=now,
                total=total,
                total_exact=total_exact,
            )
        Score.objects.bulk_create(Score(review=review, criterion=c, value=values[c.pk]) for c in criteria)
        ASSIGNMENT_WORKFLOW.perform_within("review", current, "revise_review" if revising else "submit_review", actor)
        assignment.state = AssignmentState.SUBMITTED
        refresh_standings(current.round, [current.application_id])
        if not revising:
            log_on_applications({current.application_id: 1}, "review_submitted", current.round)
        if not revising and not current.round.assignments.filter(state=AssignmentState.ASSIGNED).exists():
            notify(
                _province_officers(),
                f"【专家评审】{current.round}：评审意见已全部提交",
                f"{current.round}的全部评审任务均已提交评审意见（或申明回避），可以查看评审结果。",
                reverse("reviews:results", args=[current.round_id]),
            )
    return review


def declare_conflict(assignment, actor, *, reason):
    reason = _plain(reason, "回避理由", REASON_MAX)
    refusal = why_not_declare_conflict(assignment, actor)
    if refusal:
        raise Refused(refusal)
    return ASSIGNMENT_WORKFLOW.perform(assignment, "declare_conflict", actor, reason=reason)
