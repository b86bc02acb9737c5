"""Creating and changing review rounds and their rubric (province office only)."""

from dataclasses import dataclass

from django.db import transaction

from yanxiu.accounts.rules import require
from yanxiu.audit.log import record
from yanxiu.core import clock
from yanxiu.core.refusal import Refused

from ..enums import DEFAULT_CRITERIA
from ..models import Criterion, Review, ReviewRound
from .standings import refresh_standings

ROUND_FIELDS = (
    "name",
    "scope",
    "deadline",
    "reviews_per_application",
    "anonymous",
    "disagreement_threshold",
    "ranking_basis",
)


def default_criteria(review_round):
    return [
        Criterion(
            round=review_round, name=name, weight=weight, max_score=max_score, description=description, sort_order=i
        )
        for i, (name, weight, max_score, description) in enumerate(DEFAULT_CRITERIA, start=1)
    ]


def create_round(*, call, actor, **fields):
    """A new round with the notice's selection principles as its rubric."""
    require(actor, "reviews.manage_rounds")
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"unknown round fields: {sorted(unknown)}")
    with transaction.atomic():
        review_round = ReviewRound(call=call, created_by=actor, created_at=clock.now(), **fields)
        review_round.full_clean()
        review_round.save()
        Criterion.objects.bulk_create(default_criteria(review_round))
        record(
            review_round,
            action="create_round",
            label="创建评审轮次",
            actor=actor,
            data={"call": call.year, "scope": review_round.scope, "deadline": review_round.deadline.isoformat()},
        )
    return review_round


def update_round(review_round, *, actor, **fields):
    require(actor, "reviews.manage_rounds")
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"unknown round fields: {sorted(unknown)}")
    changes = {name: value for name, value in fields.items() if getattr(review_round, name) != value}
    if "scope" in changes and review_round.assignments.exists():
        raise Refused("本轮已分配评审任务，不能再修改评审范围。")
    if not changes:
        return review_round
    with transaction.atomic():
        before = {name: str(getattr(review_round, name)) for name in changes}
        for name, value in changes.items():
            setattr(review_round, name, value)
        review_round.full_clean()
        review_round.save()
        if {"disagreement_threshold", "ranking_basis"} & set(changes):
            refresh_standings(review_round)  # the flags, or the order (raw or normalised totals)
        record(
            review_round,
            action="update_round",
            label="修改评审轮次",
            actor=actor,
            data={"before": before, "after": {name: str(value) for name, value in changes.items()}},
        )
    return review_round


@dataclass
class CriterionRow:
    name: str
    weight: int
    max_score: int
    description: str = ""


def why_not_change_rubric(review_round):
    if Review.objects.filter(assignment__round=review_round).exists():
        return "已有专家提交评分，评分标准不能再修改。"
    return None


def set_criteria(review_round, rows, *, actor):
    """Replace the rubric. Weights must sum to 100; refused once scores exist."""
    require(actor, "reviews.manage_rounds")
    refusal = why_not_change_rubric(review_round)
    if refusal:
        raise Refused(refusal)
    rows = [r for r in rows if r.name.strip()]
    if not rows:
        raise Refused("至少需要一个评分项。")
    names = [r.name.strip() for r in rows]
    if len(set(names)) != len(names):
        raise Refused("评分项名称不能重复。")
    total = sum(r.weight for r in rows)
    if total != 100:
        raise Refused(f"各评分项权重之和应为100，现为{total}。")
    if any(r.weight < 1 or r.max_score < 1 for r in rows):
        raise Refused("权重和满分都应为正整数。")
    with transaction.atomic():
        before = [[c.name, c.weight, c.max_score] for c in review_round.criteria.all()]
        review_round.criteria.all().delete()
        criteria = [
            Criterion(
                round=review_round,
                name=r.name.strip(),
                weight=r.weight,
                max_score=r.max_score,
                description=r.description.strip(),
                sort_order=i,
            )
            for i, r in enumerate(rows, start=1)
        ]
        for criterion in criteria:
            criterion.full_clean(exclude=["round"])
        Criterion.objects.bulk_create(criteria)
        refresh_standings(review_round)
        record(
            review_round,
            action="set_criteria",
            label="修改评分标准",
            actor=actor,
            data={"before": before, "after": [[c.name, c.weight, c.max_score] for c in criteria]},
        )
    return criteria
