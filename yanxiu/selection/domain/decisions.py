"""The province office's selection: stage decisions (拟入选), review them
together, publish them at once; record the ministry's answer on national
candidates (a rejected candidate falls back to the provincial pool)."""

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery

from yanxiu.accounts.rules import require
from yanxiu.applications.domain import workflow
from yanxiu.applications.enums import ApplicationState
from yanxiu.applications.models import Application
from yanxiu.audit.log import record, record_change
from yanxiu.core import clock, compiled
from yanxiu.core.refusal import Refused
from yanxiu.reviews.domain.results import ListedApplication
from yanxiu.reviews.domain.standings import refresh_for_applications
from yanxiu.reviews.enums import ACTIVE_ASSIGNMENT_STATES, AssignmentState
from yanxiu.reviews.models import Assignment

from ..models import Decision, Outcome
from . import findings, plan_issue, publicity

ACTION_FOR_OUTCOME = {
    Outcome.NATIONAL_CANDIDATE: "decide_national_candidate",
    Outcome.PROVINCIAL_DEMONSTRATION: "decide_demonstration",
    Outcome.PROVINCIAL_ORDINARY: "decide_ordinary",
    Outcome.NOT_SELECTED: "decide_not_selected",
}


def pool(call):
    """Applications sent up by the authorities and still waiting for a decision."""
    return (
        Application.objects.filter(call=call, state=ApplicationState.FORWARDED)
        .select_related("institution", "institution__authority", "domain")
        .order_by("-fallback_from_national", "tier", "authority_code", "authority_rank", "pk")  # no join to sort
    )


@dataclass(slots=True)
class Waiting(ListedApplication):
    """An application of the pool as its page shows it: plain values, read with the page (issue 13)."""

    call_id: int
    state: str
    fallback_from_national: bool
    authority_rank: int | None
    authority_name: str
    start_date: object  # a date, or None
    quality_score: object  # the host's quality score (organisations.HostQuality), a Decimal or None
    quality_summary: str | None
    staged: str | None  # the outcome of its staged decision, if any


WAITING_FIELDS = (  # in the order of Waiting's fields, the staged outcome last
    "pk",
    "title",
    "tier",
    "institution__name",
    "call_id",
    "state",
    "fallback_from_national",
    "authority_rank",
    "institution__authority__name",
    "start_date",
    "institution__quality__score",
    "institution__quality__summary",
)


class WaitingList:
    """The pool as a sequence for Paginator: counted on the applications alone, a slice read as
    [Waiting] in the pool's order with each staged outcome, in one query."""

    def __init__(self, call):
        self.call = call

    def count(self):
        return pool(self.call).count()

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        # The page is sorted and cut on the applications alone, read from index
        # application_pool_order without a sort; then only its rows are read with their host,
        # authority and staged outcome, by a query compiled once per process (issue 26). Sorting
        # the joined call cost PostgreSQL a join of every waiting row and an outcome look-up each.
        ids = list(pool(self.call).values_list("pk", flat=True)[window])
        found = {row["pk"]: row for row in compiled.by_ids("selection.waiting", _waiting_values, ids)}
        return [Waiting(*found[pk].values()) for pk in ids if pk in found]


def _waiting_values(ids):
    outcome = Decision.objects.filter(application=OuterRef("pk"), published_at__isnull=True).values("outcome")
    return (
        Application.objects.filter(pk__in=ids)
        .order_by()
        .values(*WAITING_FIELDS, staged=Subquery(outcome.order_by()[:1]))
    )


def staged(call):
    """The call's staged decisions (`call`: a Call or its id)."""
    return Decision.objects.filter(application__call=call, published_at__isnull=True).select_related(
        "application", "application__institution"
    )


def staged_summary(call_id):
    """(count, latest staged_at, highest id) of `staged(call_id)`'s rows, in one plain statement:
    the pool's version (its ETag, read on every request, 304s included) and its count. Compiling the
    same aggregate through the ORM cost more than the rest of a 304 (issue 26)."""
    quote = connection.ops.quote_name
    sql = (
        f"SELECT COUNT(d.id), MAX(d.staged_at), MAX(d.id) FROM {quote(Decision._meta.db_table)} d "  # noqa: S608 (table names)
        f"JOIN {quote(Application._meta.db_table)} a ON a.id = d.application_id "
        "WHERE a.call_id = %s AND d.published_at IS NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [call_id])
        return cursor.fetchone()


def stage(application, outcome, *, actor, note=""):
    require(actor, "selection.select")
    if outcome not in Outcome.values:
        raise Refused("遴选结果不正确。")
    if application.state != ApplicationState.FORWARDED:
        raise Refused(f"“{application}”当前状态为“{application.get_state_display()}”，不在待遴选范围内。")
    if outcome == Outcome.NATIONAL_CANDIDATE and application.tier != "national":
        raise Refused("只有国家级申报（附件1）可以推荐申报国家级。")
    with transaction.atomic():
        before = Decision.objects.filter(application=application, published_at__isnull=True).first()
        decision, _ = Decision.objects.update_or_create(
            application=application,
            published_at__isnull=True,
            defaults={"outcome": outcome, "note": note[:300], "staged_by": actor, "staged_at": clock.now()},
        )
        record_change(  # on the decision, not the application: the host must not see it before publication
            decision,
            action="stage_decision",
            label="拟定遴选结果",
            actor=actor,
            before=_staged_values(before),
            after=_staged_values(decision),
        )
    return decision


def _staged_values(decision):
    return {"outcome": decision.outcome, "note": decision.note} if decision is not None else {}


def unstage(decision, *, actor):
    require(actor, "selection.select")
    if not decision.is_staged:
        raise Refused("已发布的遴选结果不能撤销。")
    with transaction.atomic():
        record_change(
            decision,
            action="unstage_decision",
            label="撤销拟定的遴选结果",
            actor=actor,
            before=_staged_values(decision),
            after={},
        )
        decision.delete()


def reason_field(decision):
    """The name of the confirmation page's field holding a flagged decision's reason."""
    return f"reason-{decision.pk}"


def publish(call, *, actor, reasons=None, without_publicity=""):
    """Publish every staged decision of the call at once; each notifies its host and authority.

    Only after a 公示 of exactly these decisions has ended with every objection handled, or, without
    one, with a reason (`without_publicity`), which the plan document and the audit entry keep
    (`publicity.check_publishable`, decision 0026).

    A decision that puts a flagged application into the plan (a fallback with findings under the
    provincial rules, or a start date that has passed: `findings.needing_reason`) needs a reason,
    given in `reasons` ({decision id: text}); it becomes the decision's note and the audit's reason."""
    require(actor, "selection.publish")
    reasons = {int(k): str(v).strip()[:300] for k, v in (reasons or {}).items()}
    now = clock.now()
    with transaction.atomic():
        decisions = list(staged(call).select_for_update())
        if not decisions:
            raise Refused("没有待发布的遴选结果。")
        try:
            shown, unshown = publicity.check_publishable(call, decisions, without_publicity=without_publicity), {}
        except Refused as refused:
            if not refused.errors:
                raise
            shown, unshown = None, refused.errors  # said together with the missing reasons below
        waived = "" if shown else without_publicity.strip()[:300]
        flagged = findings.needing_reason(decisions, now)
        missing = {
            reason_field(d): "请填写将此项目列入计划的理由。"
            for d in decisions
            if d.pk in flagged and not reasons.get(d.pk)
        }
        if unshown and not missing:
            raise Refused(errors=unshown, code="selection.publicity_needed")
        if missing:
            missing.update(unshown)
            raise Refused(
                f"有{len(missing)}个项目办班日期已过或不符合省级规则，请逐项填写列入计划的理由后再发布。",
                code="selection.reason_needed",
                errors=missing,
            )
        for decision in decisions:
            if decision.pk in flagged:
                decision.note = reasons[decision.pk]
            workflow.perform_within(
                "publication", decision.application, ACTION_FOR_OUTCOME[decision.outcome], actor, reason=decision.note
            )
            decision.published_at = now
            decision.save(update_fields=["published_at", "note"])
        plan_issue.note_publication(call, publicity=shown, waived=waived)
        record(
            call,
            action="publish_decisions",
            label="发布遴选结果",
            actor=actor,
            reason=waived,
            data={
                "decisions": [d.pk for d in decisions],
                "publicity": shown.pk if shown else None,
                "without_publicity": waived,
                "flagged": {
                    str(d.pk): {"findings": [r.code for r in flagged[d.pk]], "reason": d.note}
                    for d in decisions
                    if d.pk in flagged
                },
            },
        )
    return decisions


def record_ministry_answer(application, *, selected, actor, note=""):
    require(actor, "selection.record_ministry_answer")
    action = "ministry_select" if selected else "ministry_reject"
    with transaction.atomic():
        result = workflow.perform_within("ministry_answer", application, action, actor, reason=note)
        if not selected:  # the application moves to the provincial tier: its review standings follow
            refresh_for_applications([application.pk])
    return result


def incomplete_rounds(decisions_):
    """Review rounds that still wait for experts on any of these applications: [(round, done, all)]."""
    ids = [d.application_id for d in decisions_]
    found = {}
    for assignment in Assignment.objects.filter(
        application_id__in=ids, state__in=ACTIVE_ASSIGNMENT_STATES
    ).select_related("round"):
        done, total = found.get(assignment.round, (0, 0))
        found[assignment.round] = (done + (assignment.state == AssignmentState.SUBMITTED), total + 1)
    return [(r, done, total) for r, (done, total) in found.items() if done < total]
