"""Thin views: load, check the role and scope, act through the domain layer, render.

Experts reach only their own assignments (others: 404); every other page is
the province office's (others: 403).
"""

import hashlib
import secrets
from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yanxiu.accounts.domain import changes as account_changes
from yanxiu.accounts.models import User
from yanxiu.applications.models import Application
from yanxiu.audit.conditional import conditional
from yanxiu.calls.enums import Tier
from yanxiu.core import clock, jobs
from yanxiu.core.errors import refusal_returns_to, show_on_form
from yanxiu.core.http import no_store
from yanxiu.core.masks import mask_email, mask_phone
from yanxiu.core.net import client_ip_or_none
from yanxiu.core.refusal import Refused
from yanxiu.organisations.models import HostQuality, ProgrammeRecord

from . import rules as perms
from .domain import assignment as assigning
from .domain import avoidance, operations
from .domain import experts as experts_domain
from .domain import rounds as round_ops
from .domain.experts import create_expert, reset_expert_password, update_expert
from .domain.pool import applications_in_round
from .domain.results import TierRanking, page_rows, round_results
from .enums import ACTIVE_ASSIGNMENT_STATES, AssignmentState
from .interfaces import expert_pool
from .interfaces.expert_view import form_for_expert
from .interfaces.export import XLSX_MIME, build_workbook
from .interfaces.forms import (
    AssignForm,
    AutoAssignForm,
    AvoidanceForm,
    ConflictForm,
    CriterionFormSet,
    ExpertEditForm,
    ExpertForm,
    MatchForm,
    NewRoundForm,
    PoolFilterForm,
    PoolImportForm,
    ReviewForm,
    RoundForm,
    criterion_rows,
)
from .interfaces.ranking_rows import ranking_comments, ranking_rows
from .models import ApplicantAvoidance, Assignment, AssignmentJob, BackupExpert, ExpertProfile, ReviewRound
from .tasks import solve_assignment


def _require_officer(request):
    if not perms.is_province_officer(request.user):
        raise PermissionDenied("只有省人社厅经办人可以管理专家评审。")


def _require_expert(request):
    if not perms.is_expert(request.user):
        raise PermissionDenied("只有评审专家可以查看评审任务。")


def _round(request, pk):
    _require_officer(request)
    return get_object_or_404(ReviewRound.objects.select_related("call"), pk=pk)


def _own_assignment(request, pk):
    """The expert's own assignment; 404 for anyone else's."""
    _require_expert(request)
    return get_object_or_404(
        Assignment.objects.select_related(
            "round",
            "round__call",
            "application",
            "application__call",
            "application__institution",
            "application__institution__authority",
            "application__domain",
            "application__competent_department",
        ),
        pk=pk,
        expert=request.user,
    )


# --- experts ---------------------------------------------------------------------------------


@login_required
def mine(request):
    _require_expert(request)
    assignments = (
        Assignment.objects.filter(expert=request.user)
        .select_related("round", "round__call", "application", "application__institution", "application__domain")
        .order_by("-round__deadline", "round_id", "state", "application_id")
    )
    now = clock.now()
    rows = [{"assignment": a, "open": now <= a.round.deadline_end} for a in assignments]
    return render(
        request,
        "reviews/mine.html",
        {
            "rows": rows,
            "has_profile": ExpertProfile.objects.filter(user=request.user).exists(),
            "pending": sum(1 for r in rows if r["assignment"].state == AssignmentState.ASSIGNED),
        },
    )


@login_required
def task(request, pk):
    assignment = _own_assignment(request, pk)
    review_round = assignment.round
    criteria = list(review_round.criteria.all())
    review = getattr(assignment, "review", None) if assignment.state == AssignmentState.SUBMITTED else None
    refusal = operations.why_not_review(assignment, request.user)
    status = 200
    if request.method == "POST":
        form = ReviewForm(request.POST, criteria=criteria)
        if refusal:
            messages.error(request, refusal)
            return redirect("reviews:task", pk=pk)
        if form.is_valid():
            try:
                operations.submit_review(
                    assignment,
                    request.user,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    recommendation=form.cleaned_data["recommendation"],
                )
                messages.success(request, "评审意见已提交。截止前仍可修改。")
                return redirect("reviews:mine")
            except Refused as refused:
                show_on_form(form, refused)
        status = 400
    else:
        form = ReviewForm(initial=ReviewForm.initial_for(review), criteria=criteria)
    return render(
        request,
        "reviews/task.html",
        {
            "assignment": assignment,
            "round": review_round,
            "application": assignment.application,
            "official": form_for_expert(assignment.application, review_round.anonymous),
            # The rubric weighs 往年组织实施情况 (通知三（一）): the host's record of past years.
            "past_record": ProgrammeRecord.objects.filter(
                institution_id=assignment.application.institution_id
            ).order_by("-year", "pk"),
            "quality": HostQuality.objects.filter(institution_id=assignment.application.institution_id).first(),
            "form": form,
            "review": review,
            "refusal": refusal,
            "conflict_refusal": operations.why_not_declare_conflict(assignment, request.user),
            "conflict_form": ConflictForm(),
        },
        status=status,
    )


@login_required
@require_POST
@refusal_returns_to(lambda request, pk: reverse("reviews:task", args=[pk]))
def declare_conflict(request, pk):
    assignment = _own_assignment(request, pk)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        raise Refused("请填写回避理由（不超过500字）。")
    operations.declare_conflict(assignment, request.user, reason=form.cleaned_data["reason"])
    messages.success(request, "已申明回避，省人社厅将另行安排评审专家。")
    return redirect("reviews:mine")


# --- province office: rounds -------------------------------------------------------------------


@login_required
def rounds(request):
    _require_officer(request)
    items = ReviewRound.objects.select_related("call").annotate(
        assigned=Count("assignments", filter=Q(assignments__state__in=ACTIVE_ASSIGNMENT_STATES)),
        submitted=Count("assignments", filter=Q(assignments__state=AssignmentState.SUBMITTED)),
        conflicts=Count("assignments", filter=Q(assignments__state=AssignmentState.CONFLICT)),
    )
    return render(request, "reviews/rounds.html", {"rounds": items, "now": clock.now()})


@login_required
def round_create(request):
    _require_officer(request)
    form = NewRoundForm(request.POST or None, initial={"name": "", "reviews_per_application": 3})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        call = data.pop("call")
        try:
            review_round = round_ops.create_round(call=call, actor=request.user, **data)
        except Refused as refused:
            show_on_form(form, refused)
        else:
            messages.success(request, "评审轮次已创建，评分标准已按通知的遴选原则预设，可按需调整。")
            return redirect("reviews:round_settings", pk=review_round.pk)
    return render(request, "reviews/round_form.html", {"form": form}, status=400 if form.errors else 200)


def _criteria_formset(review_round, data=None):
    if data is not None:
        return CriterionFormSet(data, prefix="criteria")
    initial = [
        {"name": c.name, "weight": c.weight, "max_score": c.max_score, "description": c.description}
        for c in review_round.criteria.all()
    ]
    return CriterionFormSet(prefix="criteria", initial=initial)


def _settings_page(request, review_round, form, formset, status=200):
    return render(
        request,
        "reviews/round_settings.html",
        {
            "round": review_round,
            "form": form,
            "formset": formset,
            "rubric_refusal": round_ops.why_not_change_rubric(review_round),
            "tab": "settings",
        },
        status=status,
    )


@login_required
def round_settings(request, pk):
    review_round = _round(request, pk)
    form = RoundForm(request.POST or None, instance=ReviewRound.objects.get(pk=pk))
    if request.method == "POST":
        if form.is_valid():
            try:
                round_ops.update_round(
                    review_round,
                    actor=request.user,
                    **{name: form.cleaned_data[name] for name in RoundForm.Meta.fields},
                )
                messages.success(request, "已保存。")
                return redirect("reviews:round_settings", pk=pk)
            except Refused as refused:
                show_on_form(form, refused)
        return _settings_page(request, review_round, form, _criteria_formset(review_round), status=400)
    return _settings_page(request, review_round, form, _criteria_formset(review_round))


@login_required
@require_POST
def round_criteria(request, pk):
    review_round = _round(request, pk)
    formset = _criteria_formset(review_round, request.POST)
    if formset.is_valid():
        try:
            round_ops.set_criteria(review_round, criterion_rows(formset), actor=request.user)
            messages.success(request, "评分标准已保存。")
            return redirect("reviews:round_settings", pk=pk)
        except Refused as refused:
            messages.error(request, str(refused))
    else:
        messages.error(request, "评分标准填写有误，请检查标红处。")
    return _settings_page(request, review_round, RoundForm(instance=review_round), formset, status=400)


# --- province office: assignments ---------------------------------------------------------------


@login_required
def round_assignments(request, pk):
    review_round = _round(request, pk)
    applications = list(
        applications_in_round(review_round)
        .select_related("institution", "institution__authority", "domain")
        .order_by("tier", "institution__name", "pk")
    )
    assignments = list(
        Assignment.objects.filter(round=review_round).select_related("expert", "expert__expert_profile").order_by("pk")
    )
    profiles = list(assigning.available_experts(review_round.call.year))
    declared = assigning.declared_pairs([a.pk for a in applications])
    # Every rule set-wise, once for the page: {application id: {expert id: [rules, in rule order]}}.
    avoided = defaultdict(lambda: defaultdict(list))
    for rule, pairs in assigning.conflicting_pairs(profiles, applications, declared).items():
        for application_id, expert_id in pairs:
            avoided[application_id][expert_id].append(rule)
    by_application = defaultdict(list)
    for a in assignments:
        by_application[a.application_id].append(a)
    load = Counter(a.expert_id for a in assignments if a.state in ACTIVE_ASSIGNMENT_STATES)
    backups = defaultdict(list)
    for backup in BackupExpert.objects.filter(round=review_round).select_related("expert"):
        backups[backup.application_id].append(backup.expert)
    report = assigning.latest_report(review_round)
    left_out = (report or {}).get("quality", {}).get("left_out", {})
    # A reason holds while the expert's load is what the run left it (a backup called or a task given
    # by hand since makes it stale); records from before loads were kept show it as they are.
    left_out_loads = (report or {}).get("left_out_loads")
    rows = []
    for application in applications:
        mine = by_application.get(application.pk, [])
        taken = {a.expert_id for a in mine}
        active = sum(1 for a in mine if a.state in ACTIVE_ASSIGNMENT_STATES)
        rows.append(
            {
                "application": application,
                "assignments": mine,
                "active": active,
                "missing": max(review_round.reviews_per_application - active, 0),
                "eligible": [
                    p for p in profiles if p.user_id not in taken and p.user_id not in avoided[application.pk]
                ],
                "avoided": [
                    (p, rule.message.format(expert=p.user), rule)
                    for p in profiles
                    for rule in avoided[application.pk].get(p.user_id, ())
                ],
                "backups": backups.get(application.pk, []),
            }
        )
    return render(
        request,
        "reviews/round_assignments.html",
        {
            "round": review_round,
            "rows": rows,
            "tab": "assignments",
            "experts": [
                (
                    p,
                    load[p.user_id],
                    left_out.get(str(p.user_id), "")
                    if left_out_loads is None or left_out_loads.get(str(p.user_id)) == load[p.user_id]
                    else "",
                )
                for p in profiles
            ],
            "closed": assigning.why_not_open(review_round, clock.now()),
            "assign_form": AssignForm(),
            "auto_form": AutoAssignForm(),
            "report": report,
            "job": review_round.assignment_jobs.first(),
        },
    )


def _to_assignments(request, pk, **kwargs):
    return reverse("reviews:round_assignments", args=[pk])


@login_required
@require_POST
@refusal_returns_to(_to_assignments)
def auto_assign(request, pk):
    review_round = _round(request, pk)
    form = AutoAssignForm(request.POST)
    if not form.is_valid():
        raise Refused("；".join(e for errors in form.errors.values() for e in errors))
    if assigning.runs_in_background(review_round):
        job = assigning.start_assignment_job(
            review_round, actor=request.user, enqueue=solve_assignment.enqueue, **form.options()
        )
        messages.success(request, "本轮待分配的任务较多，已交由后台计算，完成后结果显示在本页。")
        return redirect("reviews:assignment_job", pk=pk, job_pk=job.pk)
    result = assigning.auto_assign(review_round, actor=request.user, **form.options())
    messages.success(request, result.message)
    return redirect("reviews:round_assignments", pk=pk)


@login_required
@no_store
def assignment_job(request, pk, job_pk):
    """A background assignment's status: queued, solving, done (with the result) or failed (with why)."""
    review_round = _round(request, pk)
    job = jobs.expire_if_stale(get_object_or_404(AssignmentJob, pk=job_pk, round=review_round))
    return render(request, "reviews/assignment_job.html", {"round": review_round, "job": job, "tab": "assignments"})


@login_required
@require_POST
@refusal_returns_to(_to_assignments)
def assign(request, pk):
    review_round = _round(request, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择评审专家。")
        return redirect("reviews:round_assignments", pk=pk)
    application = get_object_or_404(
        applications_in_round(review_round).select_related("institution"), pk=form.cleaned_data["application"]
    )
    expert = get_object_or_404(User, pk=form.cleaned_data["expert"])
    assigning.assign(review_round, application, expert, actor=request.user)
    messages.success(request, f"已将“{application}”分配给{expert}评审。")
    return redirect("reviews:round_assignments", pk=pk)


@login_required
@require_POST
@refusal_returns_to(_to_assignments)
def unassign(request, pk, assignment_pk):
    review_round = _round(request, pk)
    assignment = get_object_or_404(Assignment.objects.select_related("round"), pk=assignment_pk, round=review_round)
    assigning.unassign(assignment, actor=request.user)
    messages.success(request, "已移除该评审任务。")
    return redirect("reviews:round_assignments", pk=pk)


# --- province office: results ---------------------------------------------------------------------


RESULTS_PER_PAGE = 100


@login_required
@conditional()
def results(request, pk):
    """One tier's ranking, a page at a time, read from the stored standings; ranks are over the whole round."""
    review_round = _round(request, pk)
    rankings = TierRanking.of_round(review_round)
    if request.GET.get("tier") in rankings:
        tier = request.GET["tier"]
    else:  # the first tier that has applications
        tier = next((t for t in review_round.tiers if rankings[t].count()), review_round.tiers[0])
    page = Paginator(rankings[tier], RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    labels = dict(Tier.choices)
    items = page_rows(review_round, page.object_list)
    return render(
        request,
        "reviews/results.html",
        {
            "round": review_round,
            "tab": "results",
            "tier": tier,
            "tier_label": labels[tier],
            "items": items,
            "rows_html": ranking_rows(items, basis=review_round.ranking_basis),
            "comments_html": ranking_comments(items),
            "page": page,
            "tiers": [(t, labels[t], rankings[t].count()) for t in review_round.tiers],
        },
    )


@login_required
def export(request, pk):
    review_round = _round(request, pk)
    content = build_workbook(round_results(review_round))
    response = HttpResponse(content, content_type=XLSX_MIME)
    filename = f"review-round-{review_round.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- province office: expert accounts --------------------------------------------------------------


def _require_pool_manager(request):
    if not request.user.has_perm("reviews.manage_expert_pool"):
        raise PermissionDenied("只有省人社厅经办人可以管理专家库。")


def _pool_filters(request):
    form = PoolFilterForm(request.GET or None)
    filters = experts_domain.PoolFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = experts_domain.PoolFilter(
            q=data.get("q") or "",
            domain=data.get("domain"),
            authority=data.get("authority"),
            availability=data.get("availability") or "",
        )
    return form, filters


EXPERTS_PER_PAGE = 50


@login_required
@no_store
def experts(request):
    """专家库: search and filter; contacts masked; the year's availability."""
    _require_pool_manager(request)
    form, filters = _pool_filters(request)
    year = experts_domain.current_year()
    page = Paginator(experts_domain.pool(filters, year), EXPERTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "profile": p,
            "phone": mask_phone(p.user.phone),
            "email": mask_email(p.user.email),
            "in_pool": p.in_pool_this_year,
            "others": [d for d in p.domains.all() if d.pk != p.primary_domain_id],
        }
        for p in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reviews/experts.html",
        {
            "rows": rows,
            "page": page,
            "form": form,
            "year": year,
            "query": query.urlencode(),
            "import_form": PoolImportForm(),
            "import_report": request.session.pop("expert-import-report", None),
        },
    )


@login_required
@no_store
def experts_export(request):
    _require_pool_manager(request)
    _form, filters = _pool_filters(request)
    year = experts_domain.current_year()
    content = expert_pool.export_pool(experts_domain.pool(filters, year), lambda p: p.in_pool_this_year)
    response = HttpResponse(content, content_type=expert_pool.XLSX_MIME)
    response["Content-Disposition"] = 'attachment; filename="expert-pool.xlsx"'
    return response


IMPORT_SESSION = "expert-import"


def _stash_path(token):
    return f"reviews/imports/{token}.xlsx"


@login_required
@require_POST
@no_store
def experts_import(request):
    """Step one: check every row and show the report; a file without errors waits for confirmation."""
    _require_pool_manager(request)
    upload = request.FILES.get("file")
    if getattr(request, "upload_too_large", False) or upload is None:
        messages.error(request, "请选择不超过大小限制的专家库文件（.xlsx）。")
        return redirect("reviews:experts")
    if upload.size > expert_pool.MAX_BYTES:
        messages.error(request, f"文件过大：专家库文件不能超过{expert_pool.MAX_BYTES // (1024 * 1024)} MB。")
        return redirect("reviews:experts")
    data = upload.read()
    report = expert_pool.validate_pool_file(data)
    if not report.ok:
        messages.error(request, "专家库未导入：请按报告修改后重新上传，整个文件都没有导入。")
        request.session["expert-import-report"] = report.as_dict()
        return redirect("reviews:experts")
    token = secrets.token_urlsafe(16)
    default_storage.save(_stash_path(token), ContentFile(data))
    request.session[IMPORT_SESSION] = {"token": token, "sha256": hashlib.sha256(data).hexdigest()}
    return render(request, "reviews/experts_import.html", {"report": report.as_dict(), "token": token})


@login_required
@require_POST
@no_store
def experts_import_confirm(request):
    """Step two: the checked file, applied whole or not at all."""
    _require_pool_manager(request)
    stashed = request.session.pop(IMPORT_SESSION, None)
    if not stashed or request.POST.get("token") != stashed["token"]:
        messages.error(request, "导入已失效，请重新上传专家库文件。")
        return redirect("reviews:experts")
    path = _stash_path(stashed["token"])
    try:
        with default_storage.open(path) as stored:
            data = stored.read()
    except OSError:
        messages.error(request, "导入已失效，请重新上传专家库文件。")
        return redirect("reviews:experts")
    finally:
        default_storage.delete(path)
    if hashlib.sha256(data).hexdigest() != stashed["sha256"]:
        messages.error(request, "导入已失效，请重新上传专家库文件。")
        return redirect("reviews:experts")
    try:
        report = expert_pool.import_pool(data, actor=request.user)
    except Refused as refused:
        messages.error(request, f"专家库未导入，未作任何改动：{refused}")
        return redirect("reviews:experts")
    if not report.ok:  # changed meanwhile (e.g. a user name taken): nothing applied
        messages.error(request, "专家库未导入：数据已有变化，请按报告修改后重新上传，整个文件都没有导入。")
        request.session["expert-import-report"] = report.as_dict()
        return redirect("reviews:experts")
    if request.POST.get("invite"):
        invited = experts_domain.invite_experts(report.created_accounts, actor=request.user, request=request)
        messages.success(
            request,
            f"已导入专家库：新增{report.created}位、更新{report.updated}位。"
            f"已向{len(invited.sent)}位新增专家发送邀请邮件（设置密码的链接）{_skipped(invited)}。",
        )
        return redirect("reviews:experts")
    messages.success(
        request,
        f"已导入专家库：新增{report.created}位、更新{report.updated}位。"
        "新增的专家可在专家库中逐位“发送邀请”（邮件链接自行设置密码），或在其页面“重置密码”后将临时密码告知本人。",
    )
    return redirect("reviews:experts")


def _skipped(invited):
    if not invited.skipped:
        return ""
    return "；未邀请：" + "、".join(f"{user}（{why}）" for user, why in invited.skipped)


def _to_experts(request, *args, **kwargs):
    return reverse("reviews:experts")


@login_required
@require_POST
@refusal_returns_to(_to_experts)
def expert_invite(request, pk):
    """One expert of the pool gets a link to set the password (again: the earlier link stops working)."""
    _require_pool_manager(request)
    profile = get_object_or_404(ExpertProfile.objects.select_related("user"), pk=pk)
    invitation = account_changes.invite_expert(request.user, profile.user, request=request)
    messages.success(
        request, f"已向评审专家{profile.user}发送邀请邮件，链接{invitation.expires_at:%Y-%m-%d}前有效，只能使用一次。"
    )
    if request.POST.get("back") == "expert":
        return redirect("reviews:expert_edit", pk=pk)
    return redirect("reviews:experts")


@login_required
def expert_create(request):
    _require_pool_manager(request)
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            user, password = create_expert(actor=request.user, **data)
        except Refused as refused:
            show_on_form(form, refused)
        else:
            messages.success(
                request,
                f"已添加评审专家{user}，登录用户名：{user.username}，初始密码：{password}（仅显示一次，请转告专家；专家首次登录时须修改密码）。",
            )
            return redirect("reviews:experts")
    return render(request, "reviews/expert_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def expert_reset_password(request, pk):
    _require_pool_manager(request)
    profile = get_object_or_404(ExpertProfile.objects.select_related("user"), pk=pk)
    try:
        password = reset_expert_password(profile, actor=request.user, request=request)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            f"已重置评审专家{profile.user}的密码，临时密码：{password}（仅显示一次，请转告专家；专家登录时须修改密码）。",
        )
    return redirect("reviews:expert_edit", pk=profile.pk)


@login_required
@no_store
def expert_edit(request, pk):
    """An expert's record: details (contacts masked, whole on request, logged) and history."""
    _require_pool_manager(request)
    profile = get_object_or_404(
        ExpertProfile.objects.select_related("user", "institution", "authority", "primary_domain"), pk=pk
    )
    form = ExpertEditForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            update_expert(profile, actor=request.user, **form.cleaned_data)
        except Refused as refused:
            show_on_form(form, refused)
        else:
            messages.success(request, f"已保存评审专家{profile.user}的信息。")
            return redirect("reviews:expert_edit", pk=profile.pk)
    year = experts_domain.current_year()
    return render(
        request,
        "reviews/expert_form.html",
        {
            "form": form,
            "profile": profile,
            "masked": {"phone": mask_phone(profile.user.phone), "email": mask_email(profile.user.email)},
            "history": experts_domain.history(profile),
            "in_pool": experts_domain.is_in_pool(profile, year),
            "year": year,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@no_store
def expert_contacts(request, pk):
    """The whole phone and e-mail, for the office; every view is written to the audit trail."""
    _require_pool_manager(request)
    profile = get_object_or_404(ExpertProfile.objects.select_related("user"), pk=pk)
    whole = experts_domain.reveal_contacts(profile, actor=request.user, client_address=client_ip_or_none(request))
    return render(request, "reviews/expert_contacts.html", {"profile": profile, "whole": whole})


# --- applicant-declared avoidance ---------------------------------------------------------------------


@login_required
def applicant_avoidance(request, application_pk):
    """The host staff name up to two experts to avoid, while the application is a draft or returned."""
    application = get_object_or_404(Application.objects.select_related("institution", "batch"), pk=application_pk)
    if not (
        perms.is_institution_staff(request.user) and request.user.has_perm("applications.see_application", application)
    ):
        raise PermissionDenied("只有承办单位经办人可以为本单位的申报申请回避专家。")
    requests = list(application.avoidance_requests.all())
    form = AvoidanceForm(request.POST or None, requests=requests)
    refusal = avoidance.why_not_declare(application, request.user)
    status = 200
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect("reviews:applicant_avoidance", application_pk=application.pk)
        if form.is_valid():
            try:
                avoidance.declare(application, form.rows(), actor=request.user)
            except Refused as refused:
                show_on_form(form, refused)
            else:
                messages.success(request, "已保存申请回避的专家；省人社厅分配评审专家时将予以回避。")
                return redirect("reviews:applicant_avoidance", application_pk=application.pk)
        status = 400
    return render(
        request,
        "reviews/applicant_avoidance.html",
        {"application": application, "form": form, "requests": requests, "refusal": refusal},
        status=status,
    )


@login_required
def avoidance_requests(request):
    """Every applicant's request, for the office: matched to a pool expert automatically or by hand."""
    _require_pool_manager(request)
    items = list(
        ApplicantAvoidance.objects.select_related(
            "application", "application__institution", "expert", "matched_by"
        ).order_by("-declared_at", "-pk")[:500]
    )
    profiles = list(
        ExpertProfile.objects.select_related("user", "institution").order_by("user__display_name", "user_id")
    )
    rows = []
    for item in items:
        automatic = [p for p in profiles if avoidance.profile_matches(item, p)]
        rows.append(
            {
                "request": item,
                "automatic": automatic,
                "candidates": avoidance.candidates(item, profiles),
            }
        )
    return render(request, "reviews/avoidance_requests.html", {"rows": rows, "form": MatchForm()})


@login_required
@require_POST
@refusal_returns_to(lambda request, pk: reverse("reviews:avoidance_requests"))
def avoidance_match(request, pk):
    _require_pool_manager(request)
    item = get_object_or_404(ApplicantAvoidance, pk=pk)
    form = MatchForm(request.POST)
    if not form.is_valid():
        raise Refused("请选择对应的专家。")
    expert = None
    username = form.cleaned_data.get("username")
    if username:
        expert = User.objects.filter(username=username, expert_profile__isnull=False).first()
        if expert is None:
            raise Refused(f"专家库中没有登录用户名为“{username}”的专家。")
    elif form.cleaned_data["expert"]:
        expert = get_object_or_404(User, pk=form.cleaned_data["expert"], expert_profile__isnull=False)
    avoidance.set_match(item, expert, actor=request.user)
    messages.success(request, f"已确认“{item}”对应{expert}。" if expert else f"“{item}”改为按姓名和工作单位自动对应。")
    return redirect("reviews:avoidance_requests")
