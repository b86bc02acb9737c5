"""Everything an authority does with its approved applications, and the batch's
one door for state changes (BATCH_WORKFLOW)."""

import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse

from yanxiu.accounts.models import Role, User
from yanxiu.accounts.rules import require
from yanxiu.applications.domain import workflow as application_workflow
from yanxiu.applications.domain.deadlines import authority_deadline, batch_deadline
from yanxiu.applications.enums import ApplicationState
from yanxiu.applications.models import Application
from yanxiu.audit.log import record
from yanxiu.calls.enums import Tier
from yanxiu.core import clock
from yanxiu.core.dates import chinese_date
from yanxiu.core.refusal import Refused
from yanxiu.organisations.models import DeadlineExtension
from yanxiu.workflow import Transition, Workflow

from .. import rules as perms
from ..models import Batch, BatchScan, BatchState


def approved_pool(call, tier, authority):
    """Approved applications of the authority not yet sent up, in the authority's order."""
    return (
        Application.objects.filter(
            call=call, tier=tier, institution__authority=authority, state=ApplicationState.AUTHORITY_APPROVED
        )
        .select_related("institution", "domain", "batch")
        .order_by("authority_rank", "submitted_at", "pk")
    )


def quota_left(call, tier, authority, batch=None):
    """How many more applications the authority may send for the tier; None = no quota."""
    quota = call.tier_rule(tier).authority_quota
    if quota is None:
        return None
    sent = Application.objects.filter(
        call=call, tier=tier, institution__authority=authority, state=ApplicationState.FORWARDED
    )
    if batch is not None:
        sent = sent.exclude(batch=batch)
    return quota - sent.count()


def last_sending_day(call, tier, authority):
    """The last moment any batch of the authority could still be sent for the tier: its own
    deadline, or the latest extension granted to it or to one of its institutions."""
    own = authority_deadline(call, tier, authority)
    extended = (
        DeadlineExtension.objects.filter(call_id=call.pk, tier=tier, institution__authority_id=authority.pk)
        .order_by("-until")
        .values_list("until", flat=True)
        .first()
    )
    return max(own, extended) if extended else own


def why_no_new_batch(call, tier, authority, now=None):
    """Why the authority cannot start a batch for the call's tier ("" when it can)."""
    if not call.is_open:
        return f"{call.year}年度通知未开放，不能新建批次。"
    end = last_sending_day(call, tier, authority)
    if (now or clock.now()) > end:
        return f"{call.year}年{Tier(tier).label}项目报送已于{chinese_date(end.date())}截止，不能新建批次。"
    return ""


def create_batch(*, call, tier, actor):
    require(actor, "batches.create_batch")
    if tier not in Tier.values:
        raise Refused("级别不正确。")
    closed = why_no_new_batch(call, tier, actor.authority)
    if closed:
        raise Refused(closed, code="batch.closed")
    refusal = Refused("已有一个编制中的同级别批次，请先完成或报送它。", code="batch.one_draft")
    if Batch.objects.filter(
        call=call, tier=tier, authority_id=actor.authority_id, state__in=[BatchState.DRAFT, BatchState.RETURNED]
    ).exists():
        raise refusal
    try:
        with transaction.atomic():
            # The constraint one_editable_batch_per_tier catches a double click the check above missed.
            batch = Batch.objects.create(call=call, tier=tier, authority_id=actor.authority_id, created_by=actor)
            record(batch, action="create", label="创建批次", actor=actor, to_state=BatchState.DRAFT)
    except IntegrityError:
        raise refusal from None
    return batch


def why_not_delete(batch, actor):
    """Refused unless the batch is the actor's authority's, never sent, and empty."""
    if not perms.is_batch_authority(actor, batch):
        raise Refused("只有本主管部门可以删除批次。")
    if batch.state != BatchState.DRAFT:
        raise Refused(f"批次当前状态为“{batch.get_state_display()}”，不能删除。")
    if batch.applications.exists():
        raise Refused("批次中还有项目，请先移出全部项目再删除。")


@transaction.atomic
def delete_empty_draft(batch, *, actor):
    """An authority's batch that was never sent and holds no application can be deleted
    (started by mistake, or for a tier it will not send). Its scans go with it; the deletion
    is audited on the authority, since the batch is gone."""
    batch = Batch.objects.select_for_update().select_related("call", "authority").get(pk=batch.pk)
    why_not_delete(batch, actor)
    described = str(batch)
    for scan in batch.scans.all():
        scan.file.delete(save=False)
    batch.scans.all().delete()
    record(
        batch.authority,
        action="delete_batch",
        label="删除空批次",
        actor=actor,
        data={"batch": batch.pk, "name": described, "call": batch.call.year, "tier": batch.tier},
    )
    batch.delete()
    return described


@transaction.atomic
def set_members(batch, applications, *, actor):
    """The batch holds exactly `applications` (all approved, of its authority, call and tier).

    Locks are taken in one order everywhere — the batch row, then its
    applications — as the batch's submit does, so the two never deadlock; the
    state is read again under the lock."""
    if not perms.is_batch_authority(actor, batch):
        raise Refused("只有本主管部门可以修改批次。")
    batch.state = Batch.objects.select_for_update().values_list("state", flat=True).get(pk=batch.pk)
    if not batch.is_editable:
        raise Refused(f"批次当前状态为“{batch.get_state_display()}”，不能修改。")
    wanted = [a.pk for a in applications]
    chosen = list(
        Application.objects.select_for_update(of=("self",))
        .filter(pk__in=wanted)
        .select_related("institution")
        .order_by("pk")
    )
    for application in chosen:
        if (application.call_id, application.tier, application.institution.authority_id) != (
            batch.call_id,
            batch.tier,
            batch.authority_id,
        ):
            raise Refused(f"“{application}”不属于本批次的年度、级别或主管部门。")
        if application.state != ApplicationState.AUTHORITY_APPROVED:
            raise Refused(f"“{application}”尚未审核通过，不能加入批次。")
        if application.batch_id not in (None, batch.pk):
            raise Refused(f"“{application}”已在另一个批次中。")
    left = quota_left(batch.call, batch.tier, batch.authority, batch)
    if left is not None and len(chosen) > left:
        raise Refused(
            f"超出限报数量：本年度{batch.get_tier_display()}项目还可报送{max(left, 0)}项，已选{len(chosen)}项。"
        )
    ids = [a.pk for a in chosen]
    Application.objects.filter(batch=batch).exclude(pk__in=ids).update(batch=None)
    Application.objects.filter(pk__in=ids).update(batch=batch)
    BatchScan.objects.filter(batch=batch, application__isnull=False).exclude(application_id__in=ids).delete()
    record(batch, action="members", label="调整批次项目", actor=actor, data={"applications": ids})


def save_ranking(*, call, tier, actor, ordered_ids):
    """The authority's order of preference for its approved applications (1 = first)."""
    require(actor, "batches.rank_applications")
    pool = {a.pk: a for a in approved_pool(call, tier, actor.authority)}
    if sorted(ordered_ids) != sorted(pool):
        raise Refused("排序须包含全部已审核通过、尚未报送的申报，且每项只出现一次。")
    with transaction.atomic():
        for rank, pk in enumerate(ordered_ids, start=1):
            Application.objects.filter(pk=pk).update(authority_rank=rank)
        record(
            actor.authority,
            action="rank",
            label="调整推荐排序",
            actor=actor,
            data={"call": call.year, "tier": tier, "order": list(ordered_ids)},
        )


def upload_scan(batch, *, application, uploaded, ext, actor):
    if not perms.is_batch_authority(actor, batch):
        raise Refused("只有本主管部门可以上传盖章扫描件。")
    with transaction.atomic():
        # Under the batch's lock: a scan never lands in a batch being submitted.
        batch.state = Batch.objects.select_for_update().values_list("state", flat=True).get(pk=batch.pk)
        if not batch.is_editable:
            raise Refused("批次已报送，不能再修改扫描件。")
        if application is not None and application.batch_id != batch.pk:
            raise Refused("该申报不在本批次中。")
        for old in BatchScan.objects.filter(batch=batch, application=application):
            old.file.delete(save=False)
            old.delete()
        scan = BatchScan(
            batch=batch,
            application=application,
            original_name=uploaded.name[:200],
            extension=ext,
            stored_token=secrets.token_hex(16),
            size=uploaded.size,
            uploaded_by=actor,
        )
        scan.file.save("scan", uploaded, save=False)
        scan.save()
        what = f"“{application}”的盖章申报表" if application else "盖章汇总表"
        record(batch, action="scan", label="上传盖章扫描件", actor=actor, reason=f"{what}：{scan.original_name}")
    return scan


def missing_scans(batch):
    """What still has to be scanned before the batch can go: the summary, and each provincial form."""
    scanned = set(batch.scans.values_list("application_id", flat=True))
    missing = [] if None in scanned else ["盖章的汇总表（附件3）"]
    if batch.tier == Tier.PROVINCIAL:
        missing += [f"“{a}”的盖章申报表（附件2）" for a in batch.applications.all() if a.pk not in scanned]
    return missing


# --- the batch's door -------------------------------------------------------------------


def _not_empty(batch, now):
    if not batch.applications.exists():
        raise Refused("批次中还没有项目。")


def _all_approved(batch, now):
    pending = batch.applications.exclude(state=ApplicationState.AUTHORITY_APPROVED)
    if pending.exists():
        raise Refused(f"“{pending.first()}”当前不是审核通过状态，请移出批次。")


def _within_quota(batch, now):
    left = quota_left(batch.call, batch.tier, batch.authority, batch)
    count = batch.applications.count()
    if left is not None and count > left:
        raise Refused(f"超出限报数量：还可报送{max(left, 0)}项，本批次{count}项。")


def _scans_complete(batch, now):
    missing = missing_scans(batch)
    if missing:
        raise Refused("请先上传" + "、".join(missing[:3]) + ("等" if len(missing) > 3 else "") + "。")


def _before_deadline(batch, now):
    institutions = {a.institution_id: a.institution for a in batch.applications.select_related("institution")}
    end = batch_deadline(batch.call, batch.tier, batch.authority, institutions.values())
    if now > end:
        raise Refused(
            f"{batch.get_tier_display()}项目报送已于{chinese_date(end.date())}截止。如确有特殊情况，请联系省人社厅申请延期。"
        )


def _forward_applications(batch, actor, reason):
    for application in batch.applications.select_related("institution", "batch"):
        application_workflow.perform_within("batch", application, "forward", actor)


def _recall_applications(batch, actor, reason):
    for application in batch.applications.filter(state=ApplicationState.FORWARDED).select_related(
        "institution", "batch"
    ):
        application_workflow.perform_within("batch", application, "recall", actor, reason=reason)


def _province_officers(batch):
    return User.objects.filter(role=Role.PROVINCE_OFFICER, is_active=True)


def _authority_reviewers(batch):
    return User.objects.filter(role=Role.AUTHORITY_REVIEWER, authority_id=batch.authority_id, is_active=True)


def _on_submit(batch, actor, now, reason):
    return {"submitted_at": now}


BATCH_WORKFLOW = Workflow(
    Batch,
    [
        Transition(
            "submit",
            "报送省人社厅",
            (BatchState.DRAFT, BatchState.RETURNED),
            BatchState.SUBMITTED,
            "batches.submit_batch",
            guards=(_not_empty, _all_approved, _within_quota, _scans_complete, _before_deadline),
            recipients=_province_officers,
            effects=_on_submit,
            after=_forward_applications,
        ),
        Transition(
            "return",
            "退回批次",
            (BatchState.SUBMITTED,),
            BatchState.RETURNED,
            "batches.return_batch",
            reason_required=True,
            reason_label="退回理由",
            recipients=_authority_reviewers,
            after=_recall_applications,
        ),
        Transition(
            "accept",
            "接收批次",
            (BatchState.SUBMITTED,),
            BatchState.ACCEPTED,
            "batches.accept_batch",
            recipients=_authority_reviewers,
        ),
    ],
    describe=str,
    link=lambda b: reverse("batches:detail", args=[b.pk]),
)
