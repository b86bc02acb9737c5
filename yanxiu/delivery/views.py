"""Thin views for hosts, authorities (read only) and the province office.
Every programme is loaded through Programme.objects.visible_to(user)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from yanxiu.accounts.rules import forbid_unless
from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.calls.enums import Tier
from yanxiu.calls.models import Call
from yanxiu.core import clock, confirm, jobs
from yanxiu.core.downloads import DOCX, XLSX, attachment, stored_file
from yanxiu.core.errors import refusal_returns_to, show_on_form
from yanxiu.core.http import no_store
from yanxiu.core.jobs import JobState
from yanxiu.core.net import client_ip_or_none
from yanxiu.core.params import int_list
from yanxiu.core.refusal import Refused
from yanxiu.documents.views import pdf_or_progress
from yanxiu.reference.models import TrainingCostStandard

from . import forms
from .domain import (
    attendance,
    certificates,
    checkin,
    closing,
    enrolment,
    money,
    personal_data,
    programmes,
    register,
    survey,
)
from .enums import ATTENDANCE_HALF_DAY_CHOICES, AccountsKind, ChangeState, EnrolmentState, ProgrammeState
from .interfaces import docs, qr, roster
from .interfaces.register import export_register
from .models import (
    Accounts,
    Certificate,
    CertificateJob,
    CheckIn,
    PersonalDataAccess,
    Programme,
    ProgrammeChange,
    Trainee,
)
from .tasks import build_certificates


def _programme(request, pk):
    queryset = Programme.objects.visible_to(request.user).select_related(
        "application", "application__call", "application__institution", "application__institution__authority"
    )
    return get_object_or_404(queryset, pk=pk)


def _programme_for(request, pk, perm):
    """The programme if the user may see it (else 404) and holds `perm` on it (else 403, its sentence)."""
    programme = _programme(request, pk)
    forbid_unless(request.user, perm, programme)
    return programme


def _host_programme(request, pk):
    return _programme_for(request, pk, "delivery.run_programme")


def _host_or_officer(request, pk):
    return _programme_for(request, pk, "delivery.view_trainees")


def _to(name):
    return lambda request, pk, **kwargs: reverse(name, args=[pk])


@login_required
def programme_list(request):
    forbid_unless(request.user, "delivery.list_programmes")
    calls = list(Call.objects.order_by("-year"))
    year = request.GET.get("year", "")
    queryset = Programme.objects.visible_to(request.user).for_list().order_by("start_date", "pk")
    if year.isdigit():
        queryset = queryset.filter(application__call__year=int(year))
    # The statistics page links here with these filters (its cards count the same rows).
    state, tier, authority = (request.GET.get(key, "") for key in ("state", "tier", "authority"))
    if state in ProgrammeState.values:
        queryset = queryset.filter(state=state)
    if tier in Tier.values:
        queryset = queryset.filter(application__tier=tier)
    if authority.isdigit():  # within the rows the user may see (an authority's own: nothing else)
        queryset = queryset.filter(application__institution__authority_id=int(authority))
    pending_changes = (
        ProgrammeChange.objects.filter(state=ChangeState.PENDING).count()
        if request.user.has_perm("delivery.decide_change")
        else 0
    )
    return render(
        request,
        "delivery/list.html",
        {"programmes": queryset, "calls": calls, "year": year, "pending_changes": pending_changes},
    )


@login_required
def programme_detail(request, pk):
    return _detail_page(request, _programme(request, pk))


def _detail_page(request, programme, *, arrangements=None, notice=None, status=200):
    """The programme's page; a refused form comes back with what was typed (`arrangements`, `notice`)."""
    host = request.user.has_perm("delivery.run_programme", programme)
    arrangements = arrangements or forms.ArrangementsForm(
        initial={
            "start_date": programme.start_date,
            "end_date": programme.end_date,
            "venue": programme.venue,
            "capacity": programme.capacity,
            "schedule": programme.schedule,
            "experts": programme.experts,
        }
    )
    notice = notice or forms.EnrolmentNoticeForm(
        initial={
            "notice": programme.enrolment_notice,
            "deadline": programme.enrolment_deadline,
            "open": programme.enrolment_open,
            "waiting_list": programme.waiting_list,
        }
    )
    return render(
        request,
        "delivery/detail.html",
        {
            "programme": programme,
            "host": host,
            "arrangements": arrangements,
            "notice": notice,
            "changes": programme.changes.select_related("requested_by", "decided_by"),
            "change_labels": programmes.CONTROLLED_FIELDS,
            "counts": enrolment.counts(programme),
            "actions": programmes.PROGRAMME_WORKFLOW.available(programme, request.user),
            **programmes.closing_status(programme, programmes.clock.today()),
            "history": AuditEntry.objects.for_object(programme).order_by("-created_at", "-id")[:30],
            "public_url": request.build_absolute_uri(reverse("delivery_public:programme", args=[programme.pk])),
        },
        status=status,
    )


@login_required
@require_POST
def arrangements(request, pk):
    programme = _programme_for(request, pk, "delivery.change_arrangements")
    form = forms.ArrangementsForm(request.POST)
    if form.is_valid():
        try:
            change = programmes.confirm_arrangements(programme, request.user, **form.cleaned_data)
        except Refused as refusal:
            programme.refresh_from_db()  # the refused change is rolled back; the form keeps what was typed
            show_on_form(form, refusal)
        else:
            messages.success(request, "已提交变更申请，待省人社厅审批。" if change else "开班安排已确认。")
            return redirect("delivery:programme", pk=pk)
    messages.error(request, "开班安排未保存：" + "；".join(e for errors in form.errors.values() for e in errors))
    return _detail_page(request, programme, arrangements=form, status=400)


@login_required
@require_POST
def enrolment_notice(request, pk):
    programme = _programme_for(request, pk, "delivery.publish_enrolment")
    form = forms.EnrolmentNoticeForm(request.POST)
    if form.is_valid():
        try:
            programmes.publish_enrolment(
                programme,
                request.user,
                notice=form.cleaned_data["notice"],
                deadline=form.cleaned_data["deadline"],
                open_=form.cleaned_data["open"],
                waiting_list=form.cleaned_data["waiting_list"],
            )
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(
                request, "招生通知已发布，公开页面可以报名。" if form.cleaned_data["open"] else "已关闭报名。"
            )
            return redirect("delivery:programme", pk=pk)
    messages.error(request, "招生通知未保存：" + "；".join(e for errors in form.errors.values() for e in errors))
    return _detail_page(request, programme, notice=form, status=400)


@login_required
@require_POST
@refusal_returns_to(_to("delivery:programme"))
def action(request, pk, name):
    """Only the actions the programme page offers this user (PROGRAMME_WORKFLOW.available)."""
    programme = _programme(request, pk)
    programmes.PROGRAMME_WORKFLOW.check_offered(programme, name, request.user)
    if (
        name == "submit_closing"
        and not confirm.confirmed(request)
        and not programmes.PROGRAMME_WORKFLOW.why_not(programme, name, request.user)
    ):
        approved = programme.trainees.filter(state=EnrolmentState.APPROVED).count()
        late = programmes.lateness_text(programme, programmes.clock.now())
        return confirm.ask(
            request,
            title="确认提交结业材料",
            summary=f"将提交“{programme}”的结业材料（总结报告、照片、经费决算、{approved}名录取学员的名册和考勤）。",
            consequences=["提交后不能再修改结业材料和经费决算；省人社厅审核后确认完成情况，或退回修改。"],
            warnings=[f"已超过结业材料提交期限（{late}），提交后将标记为逾期提交，省人社厅可见。"] if late else [],
            button="确认提交",
            back_url=reverse("delivery:programme", args=[programme.pk]),
        )
    if (
        name == "confirm_completion"
        and not confirm.confirmed(request)
        and not programmes.PROGRAMME_WORKFLOW.why_not(programme, name, request.user)
    ):
        return _confirm_completion(request, programme)
    programmes.perform(programme, name, request.user, reason=request.POST.get("reason", ""))
    messages.success(request, f"已{programmes.PROGRAMME_WORKFLOW.transitions[name].label}。")
    return redirect("delivery:programme", pk=pk)


def _confirm_completion(request, programme):
    """确认按计划完成 is what next year's eligibility reads (通知三（一）): say so before it is written."""
    year = programme.call.year
    late = programme.lateness_text
    return confirm.ask(
        request,
        title="确认按计划完成",
        summary=f"将确认“{programme}”（{programme.institution.name}）已按计划完成。",
        consequences=[
            (
                f"记入{programme.institution.name}{year}年度项目完成情况：{year + 1}年度申报时，"
                "系统据此判断该单位上一年度的项目是否按计划完成（通知三（一）：原则上不推荐未按计划完成任务的单位）。"
            ),
            "承办单位会收到通知；确认后不能撤销，也不能再认定为未按计划完成。",
        ],
        warnings=[f"结业材料{late}提交。"] if late else [],
        button="确认按计划完成",
        back_url=reverse("delivery:programme", args=[programme.pk]),
    )


@login_required
def changes(request):
    forbid_unless(request.user, "delivery.decide_change")
    items = ProgrammeChange.objects.select_related(
        "programme", "programme__application", "programme__application__institution", "requested_by", "decided_by"
    )
    return render(request, "delivery/changes.html", {"changes": items, "labels": programmes.CONTROLLED_FIELDS})


@login_required
@require_POST
@refusal_returns_to(lambda request, change_pk: reverse("delivery:changes"))
def decide_change(request, change_pk):
    forbid_unless(request.user, "delivery.decide_change")
    change = get_object_or_404(ProgrammeChange, pk=change_pk)
    programmes.decide_change(
        change, request.user, approve=request.POST.get("approve") == "yes", note=request.POST.get("note", "")
    )
    messages.success(request, "已审批。")
    return redirect("delivery:changes")


# --- trainees ------------------------------------------------------------------------


@login_required
@refusal_returns_to(_to("delivery:trainees"))
@no_store
def trainees(request, pk):
    programme = _host_or_officer(request, pk)
    host = request.user.has_perm("delivery.run_programme", programme)
    if request.method == "POST":
        forbid_unless(request.user, "delivery.review_enrolment", programme)
        chosen = Trainee.objects.filter(programme=programme, pk__in=int_list(request.POST.getlist("trainee"), "学员"))
        done = enrolment.review(
            programme,
            chosen,
            request.user,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )
        messages.success(request, f"已处理{len(done)}条报名。")
        return redirect("delivery:trainees", pk=pk)
    report = enrolment.review_warnings(programme)
    rows = [(t, report.flags.get(t.pk, [])) for t in programme.trainees.all()]
    return render(
        request,
        "delivery/trainees.html",
        {
            "programme": programme,
            "host": host,
            "rows": rows,
            "results": report.results,
            "counts": enrolment.counts(programme),
            "import_report": request.session.pop(f"import-{pk}", None),
            "full_export_form": forms.FullExportForm(),
        },
    )


@login_required
@no_store
def reveal_id(request, pk, trainee_pk):
    programme = _host_or_officer(request, pk)
    trainee = get_object_or_404(Trainee, pk=trainee_pk, programme=programme)
    whole = personal_data.reveal(
        request.user, programme, [trainee], "查看身份证号", client_address=client_ip_or_none(request)
    )
    return HttpResponse(f'<span class="id-number" data-testid="id-{trainee.pk}">{whole[trainee.pk]}</span>')


@login_required
def roster_template(request, pk):
    _host_programme(request, pk)
    return attachment(roster.template(), "学员名册导入模板.xlsx", XLSX)


@login_required
@require_POST
def roster_import(request, pk):
    programme = _programme_for(request, pk, "delivery.import_roster")
    upload = request.FILES.get("file")
    if getattr(request, "upload_too_large", False) or upload is None:
        messages.error(request, "请选择不超过大小限制的名册文件（.xlsx）。")
        return redirect("delivery:trainees", pk=pk)
    report = roster.import_roster(programme, upload.read(), request.user)
    if report.ok:
        messages.success(request, f"已导入{report.imported}名学员（待审核）。")
    else:
        messages.error(request, "名册未导入：请按报告修改后重新上传，整个文件都没有导入。")
        request.session[f"import-{pk}"] = {
            "file_errors": report.file_errors,
            "rows": report.rows,
            "row_errors": report.row_errors[:500],
            "more": max(len(report.row_errors) - 500, 0),
        }
    return redirect("delivery:trainees", pk=pk)


def _whole_for_export(request, programme, trainees, what):
    """Masked ({}) on GET; whole numbers on a POST stating the purpose, logged; None: the purpose is missing."""
    if request.method != "POST":
        return {}
    form = forms.FullExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "导出完整身份证号和手机号须说明用途（2至200字）。")
        return None
    return personal_data.reveal(
        request.user,
        programme,
        trainees,
        what,
        reason=form.cleaned_data["reason"],
        client_address=client_ip_or_none(request),
    )


@login_required
@no_store
def roster_export(request, pk):
    """Masked by default; whole ID numbers and mobiles with a stated purpose (POST), logged."""
    programme = _host_or_officer(request, pk)
    rows = list(programme.trainees.all())
    whole = _whole_for_export(request, programme, rows, "导出学员名册")
    if whole is None:
        return redirect("delivery:trainees", pk=pk)
    name = f"{programme}-学员名册{'（完整）' if whole else ''}.xlsx"
    return attachment(roster.export_roster(programme, rows, whole), name, XLSX)


# --- attendance and sign-in sheets ---------------------------------------------------


@login_required
@refusal_returns_to(_to("delivery:attendance"))
@no_store
def attendance_view(request, pk):
    programme = _host_or_officer(request, pk)
    host = request.user.has_perm("delivery.run_programme", programme)
    form = forms.AttendanceForm(request.POST or request.GET or None)
    day = half = None
    if form.is_bound and form.is_valid():
        day, half = form.cleaned_data["date"], form.cleaned_data["half_day"]
    if request.method == "POST" and day:
        forbid_unless(request.user, "delivery.record_attendance", programme)
        request.refusal_next = f"{reverse('delivery:attendance', args=[pk])}?date={day:%Y-%m-%d}&half_day={half}"
        present_ids = int_list(request.POST.getlist("present"), "学员")
        present = attendance.record_attendance(programme, day, half, present_ids, request.user)
        messages.success(
            request, f"已记录{day.month}月{day.day}日{dict(ATTENDANCE_HALF_DAY_CHOICES)[half]}考勤：出勤{present}人。"
        )
        return redirect(f"{reverse('delivery:attendance', args=[pk])}?date={day:%Y-%m-%d}&half_day={half}")
    approved = list(programme.trainees.filter(state=EnrolmentState.APPROVED))
    current = attendance.sheet(programme, day, half) if day else {}
    return render(
        request,
        "delivery/attendance.html",
        {
            "programme": programme,
            "host": host,
            "form": form,
            "day": day,
            "half": half,
            "rows": [(t, current.get(t.pk)) for t in approved],
            "slots": attendance.half_days(programme),
            "summaries": attendance.summaries(programme),
        },
    )


@login_required
@no_store
def sign_in_sheets(request, pk, fmt):
    programme = _host_or_officer(request, pk)
    approved = list(programme.trainees.filter(state=EnrolmentState.APPROVED))
    data = docs.sign_in_sheets(programme, approved, attendance.class_days(programme))
    if fmt == "docx":
        return attachment(data, f"{programme}-签到表.docx", DOCX)
    if fmt == "pdf":  # made by the worker, never in the request (decision 0007)
        back = reverse("delivery:sign_in", args=[pk, "docx"])
        return pdf_or_progress(request, lambda: data, f"{programme}-签到表.pdf", back)
    raise Http404


# --- money ----------------------------------------------------------------------------


def _accounts_page(request, application, kind, back_url, editable):
    accounts = Accounts.objects.filter(application=application, kind=kind).first()
    lectures = list(accounts.lectures.select_related("fee_standard")) if accounts else []
    programme = getattr(application, "programme", None)
    counted = money.counted_from_the_class(programme) if kind == AccountsKind.FINAL and programme else None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("当前不能修改。")
        form = forms.AccountsForm(request.POST, instance=accounts, counted=counted)
        formset = forms.LectureFormSet(request.POST, prefix="lecture")
        if form.is_valid() and formset.is_valid():
            fields = {f: form.cleaned_data[f] for f in form.Meta.fields}
            lines = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            try:
                saved = money.save_accounts(application, kind, request.user, fields=fields, lectures=lines)
            except Refused as refusal:
                show_on_form(form, refusal)
            else:
                errors = [r for r in money.check_accounts(saved) if r.is_error]
                if errors:
                    messages.warning(request, f"已保存，但有{len(errors)}项未通过核对。")
                else:
                    messages.success(request, "已保存，核对通过。")
                return redirect(request.path)
    else:
        initial = {}
        if accounts is None:
            programme = getattr(application, "programme", None)
            initial = {"trainees": application.planned_trainees or 0, "days": application.days or 0}
            if programme is not None:
                initial["days"] = programme.days
        form = forms.AccountsForm(instance=accounts, initial=initial, counted=counted)
        formset = forms.LectureFormSet(
            prefix="lecture",
            initial=[
                {
                    "date": line.date,
                    "half_day": line.half_day,
                    "lecturer": line.lecturer,
                    "fee_standard": line.fee_standard_id,
                    "class_hours": line.class_hours,
                    "fee": line.fee,
                }
                for line in lectures
            ],
        )
    readonly = None
    if not editable:  # the office and the authority read: values as text, no inputs
        readonly = {
            "fields": [(bound.label, forms.as_text(bound)) for bound in form],
            "lectures": [
                [forms.as_text(line[name]) for name in line.fields if name != "DELETE"]
                for line in formset.forms
                if line.initial
            ],
        }
    results = money.check_accounts(accounts, lectures) if accounts else []
    limit = None
    if accounts and accounts.cost_standard and accounts.cost_standard.total_per_person_day is not None:
        limit = money.quota_limit(accounts.cost_standard, accounts.trainees, accounts.days)
    return render(
        request,
        "delivery/accounts.html",
        {
            "application": application,
            "kind": AccountsKind(kind),
            "form": form,
            "formset": formset,
            "accounts": accounts,
            "results": results,
            "editable": editable,
            "readonly": readonly,
            "back_url": back_url,
            "limit": limit,
            "fiscal": money.is_fiscal(application),
            "required_standard": money.required_standard(application),
            "counted": counted,
            "comparison": money.compare(
                Accounts.objects.filter(application=application, kind=AccountsKind.BUDGET).first(), accounts
            )
            if kind == AccountsKind.FINAL
            else None,
        },
    )


@login_required
def budget(request, application_pk):
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related("call", "institution"), pk=application_pk
    )
    editable = request.user.has_perm("applications.edit_application", application)
    return _accounts_page(
        request, application, AccountsKind.BUDGET, reverse("applications:detail", args=[application.pk]), editable
    )


@login_required
def final_accounts(request, pk):
    programme = _programme(request, pk)
    editable = request.user.has_perm("delivery.edit_final_accounts", programme)
    return _accounts_page(
        request, programme.application, AccountsKind.FINAL, reverse("delivery:programme", args=[pk]), editable
    )


@login_required
def cost_standards(request, standard_pk=None):
    forbid_unless(request.user, "delivery.enter_cost_standards")
    standard = get_object_or_404(TrainingCostStandard, pk=standard_pk) if standard_pk else None
    form = forms.CostStandardForm(request.POST or None, instance=standard) if standard else None
    if form is not None and request.method == "POST" and form.is_valid():
        saved = money.enter_cost_standard(
            form.instance, request.user, **{name: form.cleaned_data[name] for name in form.Meta.fields}
        )
        messages.success(request, f"已保存“{saved}”。")
        return redirect("delivery:cost_standards")
    return render(
        request,
        "delivery/standards.html",
        {"standards": TrainingCostStandard.objects.all(), "standard": standard, "form": form},
    )


@login_required
def delivery_settings(request, year):
    """A call's delivery settings (credit hours per day, closing deadline, thresholds): the province office's."""
    forbid_unless(request.user, "delivery.change_delivery_settings")
    call = get_object_or_404(Call, year=year)
    form = forms.DeliverySettingsForm(request.POST or None, instance=programmes.settings_for(call))
    if request.method == "POST" and form.is_valid():
        programmes.change_settings(call, request.user, **form.cleaned_data)
        messages.success(request, f"已保存{call.year}年实施与结业设置。")
        return redirect("delivery:settings", year=call.year)
    return render(request, "delivery/settings.html", {"form": form, "call": call})


# --- closing ---------------------------------------------------------------------------


@login_required
@refusal_returns_to(_to("delivery:closing"))
def closing_view(request, pk):
    programme = _programme(request, pk)
    host = request.user.has_perm("delivery.run_programme", programme)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        forbid_unless(request.user, "delivery.upload_closing_file", programme)
        if getattr(request, "upload_too_large", False):
            raise Refused("文件过大。")
        if not form.is_valid():
            raise Refused("请选择材料类别和文件。")
        try:
            closing.upload(programme, form.cleaned_data["kind"], form.cleaned_data["file"], request.user)
        except ValidationError as invalid:  # the content check
            raise Refused("；".join(invalid.messages)) from None
        messages.success(request, "已上传。")
        return redirect("delivery:closing", pk=pk)
    return render(
        request,
        "delivery/closing.html",
        {
            "programme": programme,
            "host": host,
            "form": form,
            "files": programme.files.all(),
            "problems": closing.closing_problems(programme),
            "deadline": programmes.closing_deadline(programme),
            **programmes.closing_status(programme, programmes.clock.today()),
            "submit": programmes.PROGRAMME_WORKFLOW.transitions["submit_closing"],
            "why_not": programmes.PROGRAMME_WORKFLOW.why_not(programme, "submit_closing", request.user),
        },
    )


@login_required
@no_store
def programme_file(request, pk, file_pk):
    programme = _programme(request, pk)
    item = get_object_or_404(programme.files, pk=file_pk)
    return stored_file(item.file, item.original_name)


# --- survey -----------------------------------------------------------------------------


@login_required
def survey_view(request, pk):
    programme = _programme(request, pk)
    url = request.build_absolute_uri(reverse("delivery_public:survey", args=[programme.survey_token]))
    return render(
        request,
        "delivery/survey.html",
        {"programme": programme, "url": url, "qr": qr.svg(url), "stats": survey.statistics(programme)},
    )


# --- certificates ---------------------------------------------------------------------


@login_required
@refusal_returns_to(_to("delivery:certificates"))
@no_store
def certificates_view(request, pk):
    programme = _programme(request, pk)
    host = request.user.has_perm("delivery.run_programme", programme)
    if request.method == "POST":
        forbid_unless(request.user, "delivery.issue_certificates", programme)
        certificates.start_job(programme, request.user, enqueue=build_certificates.enqueue)
        messages.success(request, "已开始生成结业证书。")
        return redirect("delivery:certificates", pk=pk)
    issued = Certificate.objects.filter(trainee__programme=programme).select_related("trainee")
    return render(
        request,
        "delivery/certificates.html",
        {
            "programme": programme,
            "host": host,
            "certificates": issued,
            "jobs": [jobs.expire_if_stale(job) for job in programme.certificate_jobs.all()[:5]],
            "summaries": attendance.summaries(programme),
            "settings": programmes.settings_for(programme.call),
        },
    )


@login_required
@no_store
def certificate_job(request, pk, job_pk):
    programme = _programme(request, pk)
    job = jobs.expire_if_stale(get_object_or_404(CertificateJob, pk=job_pk, programme=programme))
    if request.GET.get("download"):
        if job.state != JobState.DONE:
            raise Http404("证书文件尚未生成。")
        return stored_file(job.file, f"{programme}-结业证书.pdf")
    context = {"programme": programme, "job": job}
    if request.htmx and not job.is_running:
        # The job has just ended: the page's list of certificates is refreshed with it (out of band).
        context["certificates"] = Certificate.objects.filter(trainee__programme=programme).select_related("trainee")
        context["oob"] = True
        return render(request, "delivery/_job_ended.html", context)
    return render(request, "delivery/_job.html", context)


@login_required
@no_store
def credit_hours_export(request, pk):
    """Masked by default; whole ID numbers with a stated purpose (POST), logged."""
    programme = _host_or_officer(request, pk)
    issued = list(Certificate.objects.filter(trainee__programme=programme).select_related("trainee"))
    whole = _whole_for_export(request, programme, [c.trainee for c in issued], "导出学时登记表")
    if whole is None:
        return redirect("delivery:certificates", pk=pk)
    name = f"{programme}-学时登记{'（完整）' if whole else ''}.xlsx"
    return attachment(roster.export_credit_hours(programme, issued, whole), name, XLSX)


@login_required
@no_store
def access_log(request, pk):
    programme = _host_or_officer(request, pk)
    entries = (
        PersonalDataAccess.objects.filter(programme=programme)
        # the template names each viewer's organisation
        .select_related("actor", "actor__institution", "actor__authority")[:200]
    )
    return render(request, "delivery/access_log.html", {"programme": programme, "entries": entries})


# --- QR check-in (decision 0027) --------------------------------------------------------


def _check_in_programme(request, pk):
    return _programme_for(request, pk, "delivery.open_check_in")


def _live(programme, check_in):
    """The QR code of this minute and the count of those present."""
    sheet = attendance.sheet(programme, check_in.date, check_in.half_day)
    approved = list(programme.trainees.filter(state=EnrolmentState.APPROVED))
    link = checkin.url(check_in)
    return {
        "programme": programme,
        "check_in": check_in,
        "qr_svg": mark_safe(qr.scalable_svg(link)),  # noqa: S308  (segno's SVG of our own URL, nothing typed)
        "link": link,
        "present": sum(1 for t in approved if sheet.get(t.pk)),
        "total": len(approved),
        "rows": [(t, bool(sheet.get(t.pk))) for t in approved],
    }


@login_required
@refusal_returns_to(_to("delivery:check_in_list"))
@no_store
def check_in_list(request, pk):
    programme = _check_in_programme(request, pk)
    if request.method == "POST":
        check_in = checkin.open_check_in(programme, request.POST.get("half_day", ""), request.user)
        return redirect("delivery:check_in", pk=pk, check_in_pk=check_in.pk)
    return render(
        request,
        "delivery/check_in_list.html",
        {
            "programme": programme,
            "check_ins": programme.check_ins.all(),
            "can_open": checkin.can_open_today(programme),
            "today": clock.today(),
            "halves": ATTENDANCE_HALF_DAY_CHOICES,
        },
    )


@login_required
@no_store
def check_in_page(request, pk, check_in_pk):
    programme = _check_in_programme(request, pk)
    check_in = get_object_or_404(CheckIn, pk=check_in_pk, programme=programme)
    here = reverse("delivery:check_in", args=[pk, check_in_pk])
    request.refusal_next = here
    if request.method == "POST":
        if "close" in request.POST:
            checkin.close_check_in(check_in, request.user)
            messages.success(request, "已结束本次扫码签到。")
        else:
            (trainee_pk,) = int_list([request.POST.get("mark", "")], "学员")
            trainee = get_object_or_404(Trainee, pk=trainee_pk, programme=programme)
            marked = attendance.mark_present(
                programme, check_in.date, check_in.half_day, trainee, recorded_by=request.user, actor=request.user
            )
            messages.success(request, f"已标记{trainee.name}出勤。" if marked else f"{trainee.name}已签到。")
        return redirect(here)
    return render(request, "delivery/check_in.html", _live(programme, check_in))


@login_required
@no_store
def check_in_live(request, pk, check_in_pk):
    """The part of the host's page that the page asks for every few seconds (htmx)."""
    programme = _check_in_programme(request, pk)
    check_in = get_object_or_404(CheckIn, pk=check_in_pk, programme=programme)
    return render(request, "delivery/_check_in_live.html", _live(programme, check_in))


# --- the certificate register (decision 0027) -------------------------------------------

REGISTER_PER_PAGE = 100


def _register_call(request, year):
    if not request.user.has_perm("delivery.view_certificate_register"):
        raise PermissionDenied("只有省人社厅经办人可以查看结业证书登记簿。")
    return get_object_or_404(Call, year=year)


@login_required
@no_store
def certificate_register(request, year):
    call = _register_call(request, year)
    page = Paginator(register.certificates_of(call), REGISTER_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "delivery/register.html",
        {
            "call": call,
            "calls": Call.objects.order_by("-year").values_list("year", flat=True),
            "page": page,
            "rows": register.as_rows(page.object_list),
            "offset": page.start_index(),
        },
    )


@login_required
@no_store
def certificate_register_xlsx(request, year):
    call = _register_call(request, year)
    rows = register.as_rows(register.certificates_of(call))
    return attachment(export_register(call, rows), f"{year}年度结业证书登记簿.xlsx", XLSX)
