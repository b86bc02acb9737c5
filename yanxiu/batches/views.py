from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yanxiu.accounts.rules import forbid_unless
from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.calls.enums import Tier
from yanxiu.calls.models import Call
from yanxiu.core import confirm
from yanxiu.core.downloads import stored_file
from yanxiu.core.errors import refusal_returns_to
from yanxiu.core.params import int_list, int_param
from yanxiu.core.refusal import Refused
from yanxiu.core.uploads import SCAN_TYPES, validate_attachment

from .domain import operations
from .domain.operations import BATCH_WORKFLOW
from .models import Batch, BatchScan, BatchState


def _batch(request, pk):
    queryset = Batch.objects.visible_to(request.user).select_related("call", "authority")
    return get_object_or_404(queryset, pk=pk)


def _owned_batch(request, pk):
    """The batch, for changes: only its own authority may change it (while it is being put together)."""
    batch = _batch(request, pk)
    forbid_unless(request.user, "batches.edit_batch", batch)
    return batch


def _to_list(request, *args, **kwargs):
    return reverse("batches:list")


def _to_detail(request, pk, **kwargs):
    return reverse("batches:detail", args=[pk])


@login_required
def batch_list(request):
    user = request.user
    forbid_unless(user, "batches.list_batches")
    batches = Batch.objects.visible_to(user).with_numbers().select_related("call", "authority").order_by("-created_at")
    rows = []
    if user.has_perm("batches.create_batch"):
        for call in Call.objects.filter(is_open=True).prefetch_related("tier_rules"):
            rows.extend(
                (call, rule, operations.why_no_new_batch(call, rule.tier, user.authority))
                for rule in call.tier_rules.all()
            )
    return render(request, "batches/list.html", {"batches": batches, "rows": rows, "tiers": Tier.choices})


@login_required
@require_POST
@refusal_returns_to(_to_list)
def create(request):
    forbid_unless(request.user, "batches.create_batch")
    call = get_object_or_404(Call, pk=int_param(request.POST.get("call"), "年度通知"))
    batch = operations.create_batch(call=call, tier=request.POST.get("tier"), actor=request.user)
    return redirect("batches:detail", pk=batch.pk)


@login_required
def detail(request, pk):
    return render(request, "batches/detail.html", _detail_context(request, _batch(request, pk)))


def _detail_context(request, batch, *, ticked=None, members_error=""):
    """The batch page; after a refused change of members, with the user's ticks and the reason."""
    user = request.user
    members = list(batch.applications.select_related("institution", "domain").order_by("authority_rank", "pk"))
    pool = []
    can_edit = user.has_perm("batches.edit_batch", batch)
    if can_edit and batch.is_editable:
        pool = [a for a in operations.approved_pool(batch.call, batch.tier, batch.authority) if a.batch_id is None]
    scans = {scan.application_id: scan for scan in batch.scans.all()}
    actions = [
        {"transition": t, "refusal": BATCH_WORKFLOW.why_not(batch, t.action, user)}
        for t in BATCH_WORKFLOW.available(batch, user)
    ]
    choices = [(a, a.pk in ticked if ticked is not None else True) for a in members]
    choices += [(a, ticked is not None and a.pk in ticked) for a in pool]
    return {
        "batch": batch,
        "members": members,
        "pool": pool,
        "choices": choices,
        "members_error": members_error,
        "can_delete": batch.state == BatchState.DRAFT and not members and can_edit,
        "scans": scans,
        "actions": actions,
        "missing": operations.missing_scans(batch),
        # Once sent, the batch's own applications count against the quota too.
        "quota_left": operations.quota_left(
            batch.call, batch.tier, batch.authority, batch if batch.is_editable else None
        ),
        "history": AuditEntry.objects.for_object(batch),
        "can_edit": can_edit,
    }


@login_required
@require_POST
@refusal_returns_to(_to_detail)
def members(request, pk):
    batch = _owned_batch(request, pk)
    ids = int_list(request.POST.getlist("application"), "申报编号")
    chosen = Application.objects.visible_to(request.user).filter(pk__in=ids).select_related("institution")
    if len(chosen) != len(set(ids)):
        raise Refused("所选申报中有不属于本主管部门的项目。")
    try:
        operations.set_members(batch, chosen, actor=request.user)
    except Refused as refusal:
        # The page comes back with the user's ticks and the reason beside them.
        context = _detail_context(request, batch, ticked=set(ids), members_error=refusal.reason)
        return render(request, "batches/detail.html", context, status=409)
    messages.success(request, "批次项目已更新。")
    return redirect("batches:detail", pk=pk)


@login_required
@require_POST
@refusal_returns_to(_to_detail)
def delete(request, pk):
    batch = _owned_batch(request, pk)
    if not confirm.confirmed(request):
        operations.why_not_delete(batch, request.user)
        return confirm.ask(
            request,
            title="确认删除批次",
            summary=f"将删除“{batch}”。批次中没有项目，删除后可以重新新建。",
            consequences=["删除会记入本主管部门的操作记录。"],
            button="确认删除",
            back_url=reverse("batches:detail", args=[batch.pk]),
            danger=True,
        )
    name = operations.delete_empty_draft(batch, actor=request.user)
    messages.success(request, f"已删除“{name}”。")
    return redirect("batches:list")


@login_required
@require_POST
@refusal_returns_to(_to_detail)
def upload(request, pk):
    batch = _owned_batch(request, pk)
    files = request.FILES
    if getattr(request, "upload_too_large", False):
        messages.error(request, "文件过大，未上传。")
        return redirect("batches:detail", pk=pk)
    uploaded = files.get("file")
    application = None
    if request.POST.get("application"):
        application = get_object_or_404(batch.applications.all(), pk=int_param(request.POST["application"], "申报编号"))
    if uploaded is None:
        raise Refused("请选择要上传的文件。")
    try:
        ext = validate_attachment(uploaded, SCAN_TYPES)
    except ValidationError as invalid:
        raise Refused("；".join(invalid.messages)) from None
    operations.upload_scan(batch, application=application, uploaded=uploaded, ext=ext, actor=request.user)
    messages.success(request, f"已上传“{uploaded.name}”。")
    return redirect("batches:detail", pk=pk)


@login_required
def download_scan(request, pk, scan_pk):
    batch = _batch(request, pk)
    scan = get_object_or_404(BatchScan, pk=scan_pk, batch=batch)
    return stored_file(scan.file, scan.original_name)


def _member_line(application):
    """A batch member on the confirmation: "第1名 title（institution）", or 未排序 (never "—.")."""
    place = f"第{application.authority_rank}名" if application.authority_rank else "未排序"
    return f"{place} {application.title}（{application.institution.name}）"


@login_required
@require_POST
@refusal_returns_to(_to_detail)
def act(request, pk, action):
    """Only the actions the batch page offers this user (BATCH_WORKFLOW.available)."""
    batch = _batch(request, pk)
    BATCH_WORKFLOW.check_offered(batch, action, request.user)
    if (
        action == "submit"
        and not confirm.confirmed(request)
        and not BATCH_WORKFLOW.why_not(batch, action, request.user)
    ):
        members = list(
            batch.applications.select_related("institution").order_by(
                F("authority_rank").asc(nulls_last=True), "submitted_at", "pk"
            )
        )
        unranked = sum(1 for a in members if not a.authority_rank)
        return confirm.ask(
            request,
            title="确认报送省人社厅",
            summary=f"将把本批次的{len(members)}项{batch.get_tier_display()}申报报送省人社厅。",
            consequences=[_member_line(a) for a in members]
            + ["报送后不能再修改批次；如需修改，须由省人社厅退回。省人社厅经办人会收到通知。"],
            warnings=[f"有{unranked}项尚未排序。如需体现推荐顺序，请返回后在“排序”页面排好顺序再报送。"]
            if unranked
            else [],
            button=f"确认报送{len(members)}项",
            back_url=reverse("batches:detail", args=[batch.pk]),
        )
    BATCH_WORKFLOW.perform(batch, action, request.user, reason=request.POST.get("reason", "")[:2000])
    messages.success(request, f"已{BATCH_WORKFLOW.transitions[action].label}。")
    return redirect("batches:detail", pk=pk)


@login_required
def ranking(request, call_pk, tier):
    forbid_unless(request.user, "batches.rank_applications")
    call = get_object_or_404(Call, pk=call_pk)
    if tier not in Tier.values:
        raise Http404
    pool = list(operations.approved_pool(call, tier, request.user.authority))
    if request.method == "POST":
        try:
            order = sorted(pool, key=lambda a: (int(request.POST.get(f"rank-{a.pk}") or 10**6), a.pk))
            operations.save_ranking(call=call, tier=tier, actor=request.user, ordered_ids=[a.pk for a in order])
            messages.success(request, "排序已保存。")
            return redirect("batches:ranking", call_pk=call.pk, tier=tier)
        except (Refused, ValueError) as problem:
            messages.error(request, str(problem) if isinstance(problem, Refused) else "排序须填写数字。")
    return render(
        request,
        "batches/ranking.html",
        {
            "call": call,
            "tier": tier,
            "tier_label": Tier(tier).label,
            "pool": pool,
            "quota": call.tier_rule(tier).authority_quota,
        },
    )
