import hashlib
import secrets

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yanxiu.accounts.rules import permission_required
from yanxiu.applications.enums import ApplicationState
from yanxiu.applications.models import Application
from yanxiu.audit.conditional import conditional
from yanxiu.calls.models import Call
from yanxiu.core import clock, confirm
from yanxiu.core.dates import chinese_date
from yanxiu.core.downloads import DOCX, XLSX, ZIP, attachment
from yanxiu.core.errors import refusal_returns_to
from yanxiu.core.http import no_store
from yanxiu.core.refusal import Refused
from yanxiu.documents.views import pdf_or_progress
from yanxiu.organisations.models import DeadlineExtension
from yanxiu.reviews.domain.results import call_standings_by_round

from .domain import decisions, findings, publicity
from .domain import extensions as extensions_domain
from .domain import plan_issue as plan_issue_domain
from .forms import ExtensionForm, HandlingForm, ObjectionForm, PlanIssueForm, PublicityForm
from .interfaces import ministry_answer as answer_sheet
from .interfaces import plan as plan_outputs
from .interfaces.pool_rows import pool_rows
from .models import Decision, Objection, Outcome


def review_scores(call, applications):
    """Each application's results in every review round of the call, oldest first: [(round, result)].
    A second round never hides the first (issue 12)."""
    return call_standings_by_round(call, applications)


def _to_pool(request, call_pk, **kwargs):
    return reverse("selection:pool", args=[call_pk])


@permission_required("selection.select")
def index(request):
    return render(request, "selection/index.html", {"calls": Call.objects.all()})


def _staged(request, call_pk):
    """(count, latest time, highest id) of the call's staged decisions, read once a request: the
    pool's version, and the page shows the count. (Staging is audited, so it also moves the data
    version; the count stays in the pool's version.)"""
    if getattr(request, "_staged", None) is None:
        request._staged = decisions.staged_summary(call_pk)
    return request._staged


@permission_required("selection.select")
@conditional(_staged)
def pool(request, call_pk):
    call = get_object_or_404(Call, pk=call_pk)
    page = Paginator(decisions.WaitingList(call), 100).get_page(request.GET.get("page"))
    waiting = page.object_list
    scores = review_scores(call, waiting)
    rows = [(a, a.staged, scores.get(a.pk)) for a in waiting]
    today = clock.today()
    # Only fallbacks and started programmes are read again: a page of neither costs no query.
    flagged = findings.findings(
        [a.pk for a in waiting if a.fallback_from_national or (a.start_date and a.start_date <= today)]
    )
    return render(
        request,
        "selection/pool.html",
        {
            "call": call,
            "rows": rows,
            "rows_html": pool_rows(request, call, rows, Outcome.choices, flagged),
            "flagged_count": len(flagged),
            "page": page,
            "staged_count": _staged(request, call_pk)[0],
            "outcomes": Outcome.choices,
        },
    )


@permission_required("selection.select")
@require_POST
@refusal_returns_to(_to_pool)
def stage(request, call_pk, pk):
    application = get_object_or_404(Application, pk=pk, call_id=call_pk)
    outcome = request.POST.get("outcome", "")
    if outcome:
        decisions.stage(application, outcome, actor=request.user, note=request.POST.get("note", ""))
    else:
        decision = Decision.objects.filter(application=application, published_at__isnull=True).first()
        if decision:
            decisions.unstage(decision, actor=request.user)
    return redirect("selection:pool", call_pk=call_pk)


def _publicity_warnings(shown):
    if shown is None:
        return ["这些遴选结果未经公示：须填写理由，理由写入年度计划文件和操作记录。"]
    if publicity.under_way(shown):
        return [f"公示期至{chinese_date(shown.ends_on)}，期满后才能发布。"]
    return []


def _flag_lines(results):
    return [r.message for r in results]


@permission_required("selection.publish")
@require_POST
@refusal_returns_to(_to_pool)
def publish(request, call_pk):
    call = get_object_or_404(Call, pk=call_pk)
    staged = list(decisions.staged(call))
    flagged = findings.needing_reason(staged)
    reasons = {d.pk: request.POST.get(decisions.reason_field(d), "") for d in staged if d.pk in flagged}
    shown = publicity.covering(call, staged)
    waiver = request.POST.get(publicity.WAIVER_FIELD, "")
    refusal = None
    if confirm.confirmed(request):
        try:
            published = decisions.publish(call, actor=request.user, reasons=reasons, without_publicity=waiver)
        except Refused as refused:
            if not refused.errors:
                raise
            refusal = refused  # the page again, with what was typed and the error at each reason
        else:
            messages.success(request, f"已发布{len(published)}项遴选结果，并已通知相关单位。")
            return redirect("selection:pool", call_pk=call_pk)
    by_outcome = {}
    for decision in staged:
        by_outcome[decision.get_outcome_display()] = by_outcome.get(decision.get_outcome_display(), 0) + 1
    errors = refusal.errors if refusal else {}
    return confirm.ask(
        request,
        title="确认发布遴选结果",
        summary=f"将发布{call.year}年{len(staged)}项遴选结果，相关承办单位和主管部门会立即收到通知。",
        consequences=[f"{label}：{count}项" for label, count in by_outcome.items()]
        + ["发布后结果不能撤销；入选项目列入年度计划。"],
        warnings=[
            f"评审轮次“{r.name}”尚未完成：这些申报的评审已交{done}/{total}份。"
            for r, done, total in decisions.incomplete_rounds(staged)
        ]
        + _publicity_warnings(shown)
        + (
            [
                f"有{len(flagged)}个拟列入计划的项目办班日期已过或不符合省级规则（见下），须逐项填写理由，理由记入遴选说明和操作记录。"
            ]
            if flagged
            else []
        ),
        inputs=(
            []
            if shown
            else [
                confirm.Input(
                    name=publicity.WAIVER_FIELD,
                    label="未经公示直接下达的理由（遴选结果应先公示，期满后下达计划）",
                    lines=[],
                    value=waiver,
                    error=errors.get(publicity.WAIVER_FIELD, ""),
                )
            ]
        )
        + [
            confirm.Input(
                name=decisions.reason_field(d),
                label=f"“{d.application}”（{d.application.institution.name}，拟定为{d.get_outcome_display()}）"
                + ("，国家级未入选转入省级" if d.application.fallback_from_national else "")
                + "：列入计划的理由",
                lines=_flag_lines(flagged[d.pk]),
                value=reasons.get(d.pk, ""),
                error=errors.get(decisions.reason_field(d), ""),
            )
            for d in staged
            if d.pk in flagged
        ],
        error=str(refusal) if refusal else "",
        button=f"确认发布{len(staged)}项",
        back_url=reverse("selection:pool", args=[call.pk]),
    )


@permission_required("selection.record_ministry_answer")
def ministry(request, call_pk):
    call = get_object_or_404(Call, pk=call_pk)
    candidates = Application.objects.filter(
        call=call, state__in=[ApplicationState.NATIONAL_CANDIDATE, ApplicationState.MINISTRY_SELECTED]
    ).select_related("institution")
    fallen_back = Application.objects.filter(call=call, fallback_from_national=True).select_related("institution")
    return render(
        request, "selection/ministry.html", {"call": call, "candidates": candidates, "fallen_back": fallen_back}
    )


@permission_required("selection.record_ministry_answer")
@require_POST
@refusal_returns_to(lambda request, call_pk, pk: reverse("selection:ministry", args=[call_pk]))
def ministry_answer(request, call_pk, pk):
    application = get_object_or_404(Application, pk=pk, call_id=call_pk)
    selected = request.POST.get("selected") == "yes"
    if not confirm.confirmed(request):
        return confirm.ask(
            request,
            title="确认登记人社部结果",
            summary=f"将登记“{application}”（{application.institution.name}）："
            + ("人社部入选国家级计划。" if selected else "人社部未入选。"),
            consequences=["承办单位和主管部门会收到通知。"]
            + ([] if selected else ["项目自动转入省级待遴选，按省级规则重新检查，承办单位无需重新申报。"]),
            button="确认登记",
            back_url=reverse("selection:ministry", args=[call_pk]),
            danger=not selected,
        )
    decisions.record_ministry_answer(
        application, selected=selected, actor=request.user, note=request.POST.get("note", "")
    )
    messages.success(request, "已登记人社部结果。" if selected else "已登记：人社部未入选，项目已自动转入省级待遴选。")
    return redirect("selection:ministry", call_pk=call_pk)


def _plan_page(request, call, form=None, status=200):
    issue = plan_outputs.plan_issue(call)
    return render(
        request,
        "selection/plan.html",
        {
            "call": call,
            "sections": plan_outputs.plan(call),
            "columns": [label for _, label in plan_outputs.COLUMNS],
            "issue": issue,
            "form": form or (PlanIssueForm(instance=issue) if issue else None),
        },
        status=status,
    )


@permission_required("selection.view_plan")
def annual_plan(request, call_pk):
    return _plan_page(request, get_object_or_404(Call, pk=call_pk))


@permission_required("selection.view_plan")
@require_POST
def plan_issue(request, call_pk):
    """The plan's 发文字号 and 抄送 (its date is the publication's day)."""
    call = get_object_or_404(Call, pk=call_pk)
    form = PlanIssueForm(request.POST, instance=plan_outputs.plan_issue(call))
    if form.is_valid():
        try:
            plan_issue_domain.update(
                call,
                document_number=form.cleaned_data["document_number"],
                copy_to=form.cleaned_data["copy_to"],
                actor=request.user,
            )
        except Refused as refusal:
            form.add_error("document_number" if "document_number" in refusal.errors else None, str(refusal))
        else:
            messages.success(request, "已保存年度计划的发文信息。")
            return redirect("selection:plan", call_pk=call.pk)
    return _plan_page(request, call, form=form, status=400)


@permission_required("selection.view_plan")
def plan_download(request, call_pk, fmt):
    call = get_object_or_404(Call, pk=call_pk)
    name = plan_outputs.title(call)
    if fmt == "xlsx":
        return attachment(plan_outputs.plan_xlsx(call), f"{name}.xlsx", XLSX)
    if fmt == "docx":
        return attachment(plan_outputs.plan_docx(call), f"{name}.docx", DOCX)
    if fmt == "pdf":
        # Made by the worker from the .docx's exact bytes and cached (decision 0007).
        return pdf_or_progress(
            request, lambda: plan_outputs.plan_docx(call), f"{name}.pdf", reverse("selection:plan", args=[call.pk])
        )
    raise Http404("不支持的格式。")


@permission_required("selection.grant_extension")
def extensions(request):
    form = ExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            extension = extensions_domain.grant(
                call=data["call"],
                tier=data["tier"],
                until=data["until"],
                reason=data["reason"],
                actor=request.user,
                institution=data.get("institution"),
                authority=data.get("authority"),
            )
        except Refused as refusal:
            for field, message in refusal.errors.items():
                form.add_error(field if field in form.fields else None, message)
            if not refusal.errors:
                form.add_error(None, str(refusal))
        else:
            messages.success(request, f"已批准：{extension}。已通知相关承办单位和主管部门。")
            return redirect("selection:extensions")
    items = DeadlineExtension.objects.select_related("call", "institution", "authority", "granted_by")
    return render(request, "selection/extensions.html", {"form": form, "extensions": items})


# --- the ministry's answer by file (issue 25; decision 0031) --------------------------------------

ANSWER_SESSION = "ministry-answer-import"
ANSWER_PERM = "selection.record_ministry_answer"


def _answer_stash(token):
    return f"selection/imports/{token}.xlsx"


def _ministry_package(request, call_pk):
    call = get_object_or_404(Call, pk=call_pk)
    return attachment(answer_sheet.recommendation_package(call), f"{call.year}年推荐申报国家级材料包.zip", ZIP)


ministry_package = permission_required(ANSWER_PERM)(_ministry_package)


@require_POST
@no_store
def _ministry_import(request, call_pk):
    """Step one: every row checked and shown; a sound file waits for confirmation, stashed by token and hash."""
    call = get_object_or_404(Call, pk=call_pk)
    upload = request.FILES.get("file")
    if getattr(request, "upload_too_large", False) or upload is None or upload.size > answer_sheet.MAX_BYTES:
        messages.error(request, "请选择不超过大小限制的人社部结果文件（.xlsx）。")
        return redirect("selection:ministry", call_pk=call.pk)
    data = upload.read()
    report = answer_sheet.read_answer(call, data)
    if not report.ok:
        messages.error(request, "人社部结果未导入：请按报告修改后重新上传，整个文件都没有导入。")
        for line in report.messages()[:50]:
            messages.error(request, line)
        return redirect("selection:ministry", call_pk=call.pk)
    token = secrets.token_urlsafe(16)
    default_storage.save(_answer_stash(token), ContentFile(data))
    request.session[ANSWER_SESSION] = {"token": token, "sha256": hashlib.sha256(data).hexdigest(), "call": call.pk}
    return render(request, "selection/ministry_import.html", {"call": call, "report": report, "token": token})


ministry_import = permission_required(ANSWER_PERM)(_ministry_import)


@require_POST
@no_store
def _ministry_import_confirm(request, call_pk):
    """Step two: the checked file, every answer recorded through the one door, or none."""
    call = get_object_or_404(Call, pk=call_pk)
    stashed = request.session.pop(ANSWER_SESSION, None)
    expired = "导入已失效，请重新上传人社部结果文件。"
    if not stashed or request.POST.get("token") != stashed["token"] or stashed["call"] != call.pk:
        messages.error(request, expired)
        return redirect("selection:ministry", call_pk=call.pk)
    path = _answer_stash(stashed["token"])
    try:
        with default_storage.open(path) as stored:
            data = stored.read()
    except OSError:
        messages.error(request, expired)
        return redirect("selection:ministry", call_pk=call.pk)
    finally:
        default_storage.delete(path)
    if hashlib.sha256(data).hexdigest() != stashed["sha256"]:
        messages.error(request, expired)
        return redirect("selection:ministry", call_pk=call.pk)
    try:
        report = answer_sheet.apply_answer(call, data, actor=request.user)
    except Refused as refused:
        messages.error(request, f"人社部结果未导入，未作任何改动：{refused}")
        return redirect("selection:ministry", call_pk=call.pk)
    if not report.ok:  # changed meanwhile (an answer recorded by hand): nothing applied
        messages.error(request, "人社部结果未导入：数据已有变化，请重新上传，整个文件都没有导入。")
        return redirect("selection:ministry", call_pk=call.pk)
    chosen = sum(1 for row in report.rows if row.selected)
    messages.success(
        request, f"已导入人社部结果：入选{chosen}项，未入选{report.applied - chosen}项（已自动转入省级待遴选）。"
    )
    return redirect("selection:ministry", call_pk=call.pk)


ministry_import_confirm = permission_required(ANSWER_PERM)(_ministry_import_confirm)


# --- 公示 (decision 0026) ----------------------------------------------------------------------


def _publicity_page(request, call, *, start_form=None, objection_form=None, status=200):
    current = publicity.latest(call)
    return render(
        request,
        "selection/publicity.html",
        {
            "call": call,
            "current": current,
            "under_way": publicity.under_way(current),
            "objections": current.objections.select_related("application", "recorded_by", "handled_by")
            if current
            else [],
            "staged_count": decisions.staged(call).count(),
            "start_form": start_form or PublicityForm(),
            "objection_form": objection_form
            or (ObjectionForm(publicity=current, initial={"received_on": clock.today()}) if current else None),
            "handling_form": HandlingForm(),
            "public_url": request.build_absolute_uri(reverse("selection_public:publicity")),
        },
        status=status,
    )


def _form_refused(form, refusal):
    for field, message in (refusal.errors or {None: refusal.reason}).items():
        form.add_error(field if field in form.fields else None, message)


publicises = permission_required("selection.publicise")
records_objections = permission_required("selection.record_objection")


@publicises
def publicity_page(request, call_pk):
    return _publicity_page(request, get_object_or_404(Call, pk=call_pk))


@publicises
@require_POST
def publicity_start(request, call_pk):
    call = get_object_or_404(Call, pk=call_pk)
    form = PublicityForm(request.POST)
    if form.is_valid():
        try:
            found = publicity.start(call, request.user, **form.cleaned_data)
        except Refused as refusal:
            _form_refused(form, refusal)
        else:
            messages.success(request, f"已发布公示，公示期至{chinese_date(found.ends_on)}。")
            return redirect("selection:publicity", call_pk=call.pk)
    return _publicity_page(request, call, start_form=form, status=400)


@records_objections
@require_POST
def objection_record(request, call_pk):
    call = get_object_or_404(Call, pk=call_pk)
    current = publicity.latest(call)
    if current is None:
        raise Http404("尚未发布公示。")
    form = ObjectionForm(request.POST, publicity=current)
    if form.is_valid():
        data = dict(form.cleaned_data)
        wanted = data.pop("application")
        data["application"] = Application.objects.filter(pk=wanted).first() if wanted else None
        try:
            publicity.record_objection(current, request.user, **data)
        except Refused as refusal:
            _form_refused(form, refusal)
        else:
            messages.success(request, "已登记异议。")
            return redirect("selection:publicity", call_pk=call.pk)
    return _publicity_page(request, call, objection_form=form, status=400)


@records_objections
@require_POST
@refusal_returns_to(lambda request, call_pk, pk: reverse("selection:publicity", args=[call_pk]))
def objection_handle(request, call_pk, pk):
    objection = get_object_or_404(Objection, pk=pk, publicity__call_id=call_pk)
    publicity.handle_objection(objection, request.user, handling=request.POST.get("handling", ""))
    messages.success(request, "已登记处理情况。")
    return redirect("selection:publicity", call_pk=call_pk)
