"""Thin views: load, check access, act through the domain layer, render."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yanxiu.accounts.rules import forbid_unless
from yanxiu.audit.conditional import conditional
from yanxiu.audit.models import AuditEntry
from yanxiu.calls.enums import Tier
from yanxiu.calls.models import Call, TierRule
from yanxiu.core import clock
from yanxiu.core.downloads import stored_file
from yanxiu.core.errors import refusal_returns_to
from yanxiu.core.params import int_param
from yanxiu.core.refusal import Refused
from yanxiu.core.uploads import validate_attachment
from yanxiu.organisations.domain import registration
from yanxiu.organisations.enums import RegistrationState
from yanxiu.organisations.forms import ResubmitRegistrationForm

from .domain import editing, queries, workflow
from .domain.checks import CheckReport
from .domain.deadlines import deadlines_for, effective_deadline
from .domain.editing import LECTURER_COLUMNS, SESSION_COLUMNS
from .domain.snapshot import diff, snapshot
from .domain.timing import too_close
from .enums import ApplicationState
from .interfaces.editor_input import TABLES, comparison, editor_input
from .interfaces.form_context import official_form
from .interfaces.forms import (
    ActionForm,
    ApplicationForm,
    AttachmentForm,
    FallbackAdjustmentForm,
    InboxFilterForm,
    LecturerFormSet,
    SessionFormSet,
    TopicScopeForm,
    WarningReasonForm,
)
from .interfaces.inbox_rows import inbox_rows
from .models import Application, Attachment, TopicClaim

# What the detail page's checks read (and the return diff's snapshot): read once, in one query each.
DETAIL_PREFETCH = (
    "call__tier_rules",
    "sessions",
    "lecturers",
    Prefetch("topic_claims", queryset=TopicClaim.objects.select_related("area")),  # the areas in the same query
    "call__topic_areas",
    "institution__programme_records",
    "warning_reasons",
)


def _get_visible(request, pk, prefetch=("call__tier_rules",)):
    """The application if the user's organisation may see it; 404 otherwise. `prefetch`: what the
    view reads of it (by default the tier's rule, which the checks and the deadline read often)."""
    queryset = (
        Application.objects.visible_to(request.user)
        .select_related("call", "institution", "institution__authority", "domain", "competent_department")
        .prefetch_related(*prefetch)
    )
    application = get_object_or_404(queryset, pk=pk)
    if request.user.institution_id == application.institution_id:  # the host's staff: their institution, read once
        request.user.institution = application.institution
    return application


# What the editor's page reads (its forms' initial values, the checks, the deadline): once each.
EDITOR_PREFETCH = DETAIL_PREFETCH
# What an autosave reads before and after writing: not the rows it replaces (read after the write).
AUTOSAVE_PREFETCH = ("call__tier_rules", "call__topic_areas", "institution__programme_records", "warning_reasons")


def _get_editable(request, pk, prefetch=("call__tier_rules",)):
    application = _get_visible(request, pk, prefetch)
    if not request.user.has_perm("applications.see_application", application):
        raise Http404
    forbid_unless(request.user, "applications.use_editor", application)
    return application


# --- lists -------------------------------------------------------------------


# What the dashboard's rows show and is_editable reads: no long texts.
DASHBOARD_COLUMNS = ("call__year", "tier", "title", "start_date", "end_date", "state", "updated_at")


@login_required
def dashboard(request):
    """The institution's applications and the deadlines of the open calls."""
    user = request.user
    if not user.has_perm("applications.create_application"):
        return redirect("home")  # each role's own start page
    now = clock.now()
    rules = list(
        TierRule.objects.filter(call__is_open=True)
        .select_related("call")
        .prefetch_related("call__topic_areas")
        .order_by("-call__year", "tier")
    )
    ends = deadlines_for(rules, user.institution)
    deadlines = [
        {
            "call": rule.call,
            "rule": rule,
            "end": (end := ends[rule.call_id, rule.tier]),
            "extended": end != rule.deadline_end,
            "days_left": clock.days_left(end, now),
            "open": now <= end,
        }
        for rule in rules
    ]
    applications = (
        Application.objects.visible_to(user)
        .select_related("call")
        .only(*DASHBOARD_COLUMNS)
        .order_by("-call__year", "-updated_at")
    )
    return render(
        request,
        "applications/dashboard.html",
        {
            "applications": applications,
            "deadlines": deadlines,
            "institution": user.institution,
            "rules_open": len(deadlines) <= 2,  # one call's tiers open; more calls: one line each, to open
            "resubmit_form": _resubmit_form(user),
        },
    )


def _resubmit_form(user):
    """A refused registration's form for the institution's administrator (decision 0023), or None."""
    institution = user.institution
    if institution.registration_state != RegistrationState.REFUSED or not user.is_org_admin:
        return None
    return ResubmitRegistrationForm(initial={"authority": institution.authority_id})


@login_required
@conditional()
def inbox(request):
    """Authorities: their institutions' submitted applications. Province: the intake of all of them."""
    user = request.user
    if not user.has_perm("applications.list_applications"):
        if user.has_perm("applications.create_application"):
            return redirect("applications:dashboard")
        forbid_unless(user, "applications.list_applications")
    applications = Application.objects.visible_to(user).exclude(state=ApplicationState.DRAFT)
    data = request.GET.copy()
    if "call" not in data:  # default to the current call (one page of it, not every year's rows)
        data["call"] = queries.current_call_id(applications) or ""
    filters = InboxFilterForm(data, province=user.has_perm("applications.list_every_authority"))
    if filters.is_valid():
        applications = filters.apply(applications)
    # The intake order: tier, authority, the authority's rank. Within one call that is an index
    # scan of one page (Application.authority_code, index application_intake_order).
    order = ("tier", "authority_code", "authority_rank", "pk")
    one_call = filters.is_valid() and filters.cleaned_data.get("call")
    ordered = applications.order_by(*order) if one_call else applications.order_by("-call__year", *order)
    if filters.is_valid() and filters.cleaned_data.get("flagged"):
        # Flags are worked out row by row: flag every row of the filter, then count and cut
        # the page from the flagged ones (共 N 项 is what the list shows).
        flagged = [(a, f) for a in queries.list_rows(ordered) if (f := queries.flag(a)).any()]
        page = Paginator(flagged, 100).get_page(request.GET.get("page"))
        flagged = page.object_list
    else:
        # Sort and cut the page on narrow rows (ids and sort keys), then read that page's rows.
        page = Paginator(ordered.values_list("pk", flat=True), 100).get_page(request.GET.get("page"))
        flagged = [(a, queries.flag(a)) for a in queries.list_rows_in_order(page.object_list)]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "applications/inbox.html",
        {
            "rows": flagged,
            "rows_html": inbox_rows(flagged, with_authority=user.has_perm("applications.list_every_authority")),
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "pending_registrations": list(registration.pending_for(user)),
        },
    )


# --- creating and editing ----------------------------------------------------------


def _to_dashboard(request, *args, **kwargs):
    return reverse("applications:dashboard")


def _to_editor(anchor):
    return lambda request, pk, **kwargs: reverse("applications:edit", args=[pk]) + anchor


@login_required
@require_POST
@refusal_returns_to(_to_dashboard)
def create(request):
    user = request.user
    forbid_unless(user, "applications.create_application")
    call = get_object_or_404(Call, pk=int_param(request.POST.get("call"), "年度通知"), is_open=True)
    tier = request.POST.get("tier")
    if tier not in Tier.values:
        return HttpResponseBadRequest("申报级别不正确。")
    application = editing.create_application(call=call, tier=tier, institution=user.institution, actor=user)
    messages.success(request, f"已新建{application.get_tier_display()}项目申报草稿。")
    return redirect("applications:edit", pk=application.pk)


def _editor_forms(application, data=None):
    areas = application.call.topic_areas.all()
    if data is None:
        return (
            ApplicationForm(instance=application, tier=application.tier),
            SessionFormSet(
                prefix="sessions",
                initial=[{name: getattr(row, name) for name in SESSION_COLUMNS} for row in application.sessions.all()],
            ),
            LecturerFormSet(
                prefix="lecturers",
                initial=[
                    {name: getattr(row, name) for name in LECTURER_COLUMNS} for row in application.lecturers.all()
                ],
            ),
            TopicScopeForm(initial=TopicScopeForm.initial_for(application), areas=areas),
        )
    return (
        ApplicationForm(data, instance=application, tier=application.tier),
        SessionFormSet(data, prefix="sessions"),
        LecturerFormSet(data, prefix="lecturers"),
        TopicScopeForm(data, areas=areas),
    )


def _formset_errors(formset, row_label):
    """Row errors as sentences, for the summary under a table of rows."""
    found = list(formset.non_form_errors())
    for number, errors in enumerate(formset.errors if formset.is_bound else [], start=1):
        for field, messages_ in errors.items():
            label = formset.forms[0].fields[field].label if field in formset.forms[0].fields else ""
            found.extend(f"第{number}{row_label}{label}：{m}" for m in messages_)
    return found


def _fingerprint(*parts):
    return hashlib.blake2b(repr(parts).encode(), digest_size=5).hexdigest()


def _message_blocks(form, topic_errors, sessions_errors, lecturers_errors, checks_by_field, touched=None):
    """Every block of messages under a field: (name, checks, errors), in page order.

    In quiet mode (`touched` is a set) a block the user has not typed in shows no check yet. A
    field whose typed value was refused shows only why: its checks describe the saved value the
    user is replacing (an end date before the start would also say "请填写办班结束日期", a base
    batch of 0 also "请填写批次"), decision 0017."""

    def block(name, errors):
        quiet = touched is not None and name not in touched
        return (name, None if errors or quiet else checks_by_field.get(name), errors)

    blocks = [block("topic_scope", topic_errors)]
    blocks += [block(field.name, list(field.errors)) for _key, _label, fields in form.sections() for field in fields]
    blocks += [block("sessions", sessions_errors), block("lecturers", lecturers_errors), block("general", [])]
    return blocks


def _checks_state(application, report, save_error, blocks, refused=(), touched=None):
    """What the page shows of the checks, one short fingerprint per block ("checks" is the
    summary card): the editor sends it back with each autosave, which then answers only the
    blocks whose fingerprint changed."""
    state = {
        "checks": _fingerprint(
            save_error,
            report.can_submit,
            application.is_editable,
            application.adjustable_after_fallback,
            [(c.severity.value, c.code, c.message, c.citation) for c in report.results],
            sorted(report.reasons.items()),
            sorted(refused),
            sorted(touched) if touched is not None else None,
        )
    }
    for name, checks, errors in blocks:
        state[name] = _fingerprint(
            [str(e) for e in errors], [(c.severity.value, c.code, c.message) for c in checks or ()]
        )
    return state


def _seen_state(value):
    return dict(item.split(":", 1) for item in (value or "").split(",") if ":" in item)


def _deadline_context(application, deadline=None):
    """`deadline`: the effective deadline when the checks already read it."""
    deadline, now = deadline or effective_deadline(application), clock.now()
    return {"deadline": deadline, "deadline_passed": now > deadline, "days_left": clock.days_left(deadline, now)}


def _editor_context(
    request, application, forms, *, saved=None, save_error="", refused=None, conflict=None, touched=None
):
    form, sessions, lecturers, topics = forms
    report = CheckReport.for_application(application)
    checks_by_field = report.by_field()
    sessions_errors = _formset_errors(sessions, "行日程 ")
    lecturers_errors = _formset_errors(lecturers, "位专家 ")
    topic_errors = [message for errors in topics.errors.values() for message in errors]
    blocks = _message_blocks(form, topic_errors, sessions_errors, lecturers_errors, checks_by_field, touched)
    refused = refused or {}
    state = _checks_state(application, report, save_error, blocks, refused, touched)
    # The checks about a value typed but held (not saved) judge the stored value, not the typed one.
    unsaved_codes = {c.code for c in report.results if c.field in refused}
    quiet_codes = {c.code for c in report.results if touched is not None and (c.field or "general") not in touched}
    return {
        "application": application,
        "form": form,
        "sessions": sessions,
        "lecturers": lecturers,
        "topics": topics,
        "report": report,
        # what the page shows under the fields (the message blocks say the same)
        "checks_by_field": {name: checks for name, checks, _errors in blocks if checks},
        "message_blocks": blocks,
        "checks_state": state,
        "checks_seen": ",".join(f"{name}:{value}" for name, value in state.items()),
        "attachment_form": AttachmentForm(),
        "in_editor": True,
        **_deadline_context(application, report.deadline),
        "topic_errors": topic_errors,
        "sessions_errors": sessions_errors,
        "lecturers_errors": lecturers_errors,
        "saved": saved,
        "save_error": save_error,
        "refused": refused,
        "unsaved_codes": unsaved_codes,
        "quiet": touched is not None,
        "quiet_codes": quiet_codes,
        "conflict": conflict,
        "max_upload_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
    }


@login_required
def deadline_banner(request, pk):
    """The editor's deadline banner alone: a tab coming back asks whether the deadline moved."""
    application = _get_editable(request, pk)
    context = {"application": application, **_deadline_context(application)}
    return render(request, "applications/_deadline_banner.html", context)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _posted_touched(post):
    """Quiet mode (a new form, decision 0014): the blocks the user has typed in; None once
    every message is to show (not quiet, or 保存 pressed)."""
    if post.get("quiet") != "1" or post.get("reveal") == "1":
        return None
    return {name for name in post.get("touched", "").split(",") if name}


@login_required
def edit(request, pk):
    application = _get_editable(request, pk, EDITOR_PREFETCH if request.method != "POST" else AUTOSAVE_PREFETCH)
    if not application.is_editable:
        messages.info(request, f"申报当前状态为“{application.get_state_display()}”，不能修改。")
        return redirect("applications:detail", pk=pk)
    is_autosave = bool(request.htmx)
    if request.method != "POST":
        quiet = set() if application.version == 1 else None  # a new form: no message before typing
        context = _editor_context(request, application, _editor_forms(application), touched=quiet)
        return render(request, "applications/edit.html", context)

    forms = _editor_forms(application, request.POST)
    values = editor_input(*forms)
    saved, save_error, status, conflict = False, "", 200, None
    try:
        editing.save_draft(
            application,
            fields=values.fields,
            sessions=values.sessions,
            lecturers=values.lecturers,
            claims=values.claims,
            actor=request.user,
            expected_version=_int_or_none(request.POST.get("version")) or 0,
            overrides=_int_or_none(request.POST.get("overrides")),
        )
        saved = True
    except editing.EditConflict as refusal:
        save_error, status = str(refusal), 409
        application.refresh_from_db()
        conflict = comparison(application, *forms)
    except Refused as refusal:
        save_error, status = str(refusal), 409
    except ValidationError as invalid:
        save_error, status = "；".join(invalid.messages), 400
    if not saved and conflict is None:  # drop what a refused save set on the instance
        application.refresh_from_db()
    elif held := [name for name in values.refused if name not in TABLES]:
        application.refresh_from_db(fields=held)  # the held fields keep their stored values on the instance
    if saved and values.refused:
        status = 400

    if not is_autosave and saved and not values.refused:
        messages.success(request, "已保存。")
        return redirect("applications:edit", pk=pk)
    context = _editor_context(
        request,
        application,
        forms,
        saved=saved,
        save_error=save_error,
        refused=values.refused if saved else {},
        conflict=conflict,
        touched=_posted_touched(request.POST) if is_autosave else None,
    )
    context["posted_version"] = _int_or_none(request.POST.get("version")) or 0  # a conflict keeps it
    if not is_autosave:
        return render(request, "applications/edit.html", context, status=status)
    # The save status, and only the message blocks that differ from what the page shows.
    seen, state = _seen_state(request.POST.get("checks_seen")), context["checks_state"]
    context["summary_changed"] = seen.get("checks") != state["checks"]
    context["changed_blocks"] = [block for block in context["message_blocks"] if seen.get(block[0]) != state[block[0]]]
    return render(request, "applications/_autosave_result.html", context)


@login_required
@require_POST
@refusal_returns_to(_to_editor("#checks"))
def warning_reason(request, pk):
    application = _get_editable(request, pk)
    form = WarningReasonForm(request.POST)
    if not form.is_valid():
        raise Refused("说明理由不能超过1000字，且只能是纯文本。")
    kept = editing.set_warning_reason(
        application, code=form.cleaned_data["code"], reason=form.cleaned_data["reason"], actor=request.user
    )
    if kept:
        messages.success(request, "说明理由已保存。")
    else:
        messages.warning(request, "说明理由为空：未保存理由（原有理由已清除），该提醒仍需说明后才能提交。")
    if not application.is_editable:
        return redirect(reverse("applications:detail", args=[pk]) + "#checks")
    return redirect(reverse("applications:edit", args=[pk]) + "#checks")


@login_required
@require_POST
def adjust_after_fallback(request, pk):
    application = _get_editable(request, pk)
    form = FallbackAdjustmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect(reverse("applications:detail", args=[pk]) + "#fallback-adjust")
    try:
        _, changed = editing.adjust_after_fallback(application, actor=request.user, **form.cleaned_data)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect(reverse("applications:detail", args=[pk]) + "#fallback-adjust")
    if changed:
        messages.success(request, "已调整，主管部门和省人社厅已收到通知。")
    else:
        messages.info(request, "没有修改任何内容。")
    return redirect("applications:detail", pk=pk)


# --- attachments ----------------------------------------------------------------


@login_required
@require_POST
@refusal_returns_to(_to_editor("#attachments"))
def upload_attachment(request, pk):
    application = _get_editable(request, pk)
    back = redirect(reverse("applications:edit", args=[pk]) + "#attachments")
    files = request.FILES  # parse the body now: the size-limit handler flags an oversized file
    if getattr(request, "upload_too_large", False):
        return _upload_refused(
            request, back, f"文件过大：单个附件不能超过 {settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB，未上传。"
        )
    form = AttachmentForm(request.POST, files)
    if not form.is_valid():
        return _upload_refused(request, back, "；".join(e for errors in form.errors.values() for e in errors))
    uploaded = form.cleaned_data["file"]
    try:
        ext = validate_attachment(uploaded)
        editing.add_attachment(
            application, uploaded=uploaded, ext=ext, kind=form.cleaned_data["kind"], actor=request.user
        )
    except ValidationError as invalid:
        return _upload_refused(request, back, "；".join(invalid.messages) + f"“{uploaded.name}”未上传。")
    except Refused as refusal:
        return _upload_refused(request, back, f"{refusal.reason}“{uploaded.name}”未上传。")
    messages.success(request, f"已上传“{uploaded.name}”。", extra_tags=AT_UPLOAD)
    return back


AT_UPLOAD = "at-upload"  # a message the editor shows at its upload control, not at the top of the page


def _upload_refused(request, back, reason):
    messages.error(request, reason, extra_tags=AT_UPLOAD)
    return back


@login_required
@require_POST
@refusal_returns_to(_to_editor("#attachments"))
def delete_attachment(request, pk, attachment_pk):
    application = _get_editable(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    editing.remove_attachment(attachment, actor=request.user)
    messages.success(request, "附件已删除。", extra_tags=AT_UPLOAD)
    return redirect(reverse("applications:edit", args=[pk]) + "#attachments")


@login_required
def download_attachment(request, pk, attachment_pk):
    application = _get_visible(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    return stored_file(attachment.file, attachment.original_name)


# --- reading ------------------------------------------------------------------------


@login_required
def detail(request, pk):
    application = _get_visible(request, pk, DETAIL_PREFETCH)
    user = request.user
    actions = [
        {"transition": t, "refusal": workflow.why_not(application, t.action, user)}
        for t in workflow.available_actions(application, user)
    ]
    last_return, last_decline = _last_return_and_decline(application)
    adjust_form = None
    if application.adjustable_after_fallback and user.has_perm("applications.adjust_after_fallback", application):
        adjust_form = FallbackAdjustmentForm(
            initial={
                "start_date": application.start_date,
                "end_date": application.end_date,
                "planned_trainees": application.planned_trainees,
                "recruitment_scope": application.recruitment_scope,
            }
        )
    changes = None
    if last_return and application.state != ApplicationState.RETURNED and "snapshot" in last_return.data:
        changes = diff(last_return.data["snapshot"], snapshot(application))
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "report": CheckReport.for_application(application),
            "actions": actions,
            "action_form": ActionForm(),
            "last_return": last_return,
            "last_decline": last_decline,
            "adjust_form": adjust_form,
            "too_close": too_close(application),
            "changes": changes,
            "missed_records": [r for r in application.institution.programme_records.all() if not r.completed],
            "attachments": application.attachments.all(),
        },
    )


def _last_return_and_decline(application):
    """The latest return (its snapshot: what changed since) and, when declined, the latest decline,
    in one query. Their actor's name and organisation are joined in only where the page shows them
    (a returned or declined application): three wide tables cost more to read than the entries."""
    declined = application.state == ApplicationState.AUTHORITY_DECLINED
    entries = AuditEntry.objects.for_object(application).filter(
        action__in=("return", "decline") if declined else ("return",)
    )
    if application.state not in (ApplicationState.RETURNED, ApplicationState.AUTHORITY_DECLINED):
        entries = entries.select_related(None)
    latest = {}
    for entry in entries.order_by("-created_at", "-id"):
        latest.setdefault(entry.action, entry)
        if len(latest) == (2 if declined else 1):
            break
    return latest.get("return"), latest.get("decline")


@login_required
def checks(request, pk):
    application = _get_visible(request, pk)
    report = CheckReport.for_application(application)
    return render(request, "applications/checks.html", {"application": application, "report": report})


@login_required
def preview(request, pk):
    application = _get_visible(request, pk)
    return render(
        request, "applications/preview.html", {"application": application, "official": official_form(application)}
    )


@login_required
def history(request, pk):
    application = _get_visible(request, pk)
    entries = AuditEntry.objects.for_object(application)
    labels = dict(ApplicationState.choices)
    return render(
        request, "applications/history.html", {"application": application, "entries": entries, "state_labels": labels}
    )


# --- state changes --------------------------------------------------------------------


def _after_refused_action(request, pk, action):
    if action == "submit":
        return reverse("applications:edit", args=[pk]) + "#checks"
    return reverse("applications:detail", args=[pk])


@login_required
@require_POST
@refusal_returns_to(_after_refused_action)
def act(request, pk, action):
    """Only the actions the detail page offers this user (workflow.available_actions)."""
    application = _get_visible(request, pk, prefetch=())  # the workflow reads the rules on the locked row
    workflow.APPLICATION_WORKFLOW.check_offered(application, action, request.user)
    form = ActionForm(request.POST)
    if not form.is_valid():
        raise Refused("说明不能超过2000字，且只能是纯文本。")
    workflow.perform(application, action, request.user, reason=form.cleaned_data["reason"])
    messages.success(request, f"已{workflow.TRANSITIONS[action].label}。")
    return redirect("applications:detail", pk=pk)
