from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yanxiu.audit.log import record
from yanxiu.core.downloads import stored_file
from yanxiu.core.errors import refusal_returns_to
from yanxiu.core.refusal import Refused

from .domain import invoicing, registration
from .forms import InstitutionProfileForm, ResubmitRegistrationForm
from .models import Institution, Registration


@login_required
def profile(request):
    """The user's own institution: every user can only ever reach their own."""
    if not request.user.is_institution_staff:
        raise PermissionDenied("只有承办单位经办人可以维护单位信息。")
    institution = request.user.institution
    declared = institution.can_issue_training_invoice
    form = InstitutionProfileForm(request.POST or None, instance=institution)
    if request.method == "POST" and form.is_valid():
        form.save()
        invoicing.declaration_changed(institution, declared, request.user)
        record(
            institution,
            action="update_profile",
            label="修改单位信息",
            actor=request.user,
            data={"fields": form.changed_data},
        )
        messages.success(request, "单位信息已保存。新建的申报会使用新的信息；已有申报请在申报表中核对。")
        return redirect("organisations:profile")
    return render(
        request,
        "organisations/profile.html",
        {
            "form": form,
            "institution": institution,
            "records": institution.programme_records.all(),
        },
    )


@login_required
def institutions(request):
    """The authority's institutions, with each enterprise's invoice declaration to confirm (decision 0016)."""
    if not request.user.has_perm("organisations.list_institutions"):
        raise PermissionDenied("只有主管部门审核人可以查看所属承办单位。")
    listed = Institution.objects.filter(authority_id=request.user.authority_id).select_related(
        "training_invoice_confirmed_by"
    )
    return render(request, "organisations/institutions.html", {"institutions": listed})


@login_required
@require_POST
@refusal_returns_to(lambda request, pk: reverse("organisations:institutions"))
def confirm_invoice(request, pk):
    institution = get_object_or_404(Institution, pk=pk)
    if not request.user.has_perm("organisations.confirm_training_invoice", institution):
        raise PermissionDenied("只有该单位的主管部门审核人可以确认发票开具能力。")
    confirmed = request.POST.get("confirmed") != "0"
    invoicing.confirm_training_invoice(institution, request.user, confirmed=confirmed)
    messages.success(
        request,
        f"已确认“{institution.name}”能开具培训费发票。"
        if confirmed
        else f"已撤销对“{institution.name}”发票开具能力的确认。",
    )
    return redirect("organisations:institutions")


# --- registrations (decision 0023) ------------------------------------------------------


def _registration(request, pk):
    """A registration the user's authority decides; 404 for any other."""
    if not request.user.has_perm("organisations.list_institutions"):
        raise PermissionDenied("只有主管部门审核人可以处理单位注册。")
    found = get_object_or_404(
        Registration.objects.select_related("institution__authority", "account", "decided_by"), pk=pk
    )
    if not request.user.has_perm("organisations.decide_registration", found):
        raise Http404
    return found


@login_required
def registrations(request):
    """The authority's registrations: pending first, then those decided."""
    if not request.user.has_perm("organisations.list_institutions"):
        raise PermissionDenied("只有主管部门审核人可以处理单位注册。")
    listed = (
        Registration.objects.filter(institution__authority_id=request.user.authority_id)
        .select_related("institution", "decided_by")
        .order_by("decided_at", "-submitted_at")
    )
    return render(request, "organisations/registrations.html", {"registrations": listed})


@login_required
def registration_detail(request, pk):
    found = _registration(request, pk)
    return render(request, "organisations/registration.html", {"registration": found, "reason_error": ""})


@login_required
def registration_letter(request, pk):
    found = _registration(request, pk)
    return stored_file(found.letter, found.letter_name)


@login_required
@require_POST
@refusal_returns_to(lambda request, pk: reverse("organisations:registration", args=[pk]))
def decide_registration(request, pk):
    found = _registration(request, pk)
    if request.POST.get("decision") == "confirm":
        registration.confirm(request.user, found)
        messages.success(request, f"已确认“{found.institution.name}”的注册，单位现在可以申报。")
        return redirect("organisations:registrations")
    try:
        registration.refuse(request.user, found, request.POST.get("reason", ""))
    except Refused as refusal:
        if refusal.code != "reason_required":
            raise
        return render(
            request, "organisations/registration.html", {"registration": found, "reason_error": refusal.reason}
        )
    messages.success(request, f"已退回“{found.institution.name}”的注册，单位将看到理由。")
    return redirect("organisations:registrations")


@login_required
@require_POST
@refusal_returns_to(lambda request: reverse("applications:dashboard"))
def resubmit_registration(request):
    """The institution's administrator sends its refused registration again (from the dashboard)."""
    found = getattr(request.user.institution, "registration", None) if request.user.institution_id else None
    if found is None or not request.user.has_perm("organisations.resubmit_registration", found):
        raise PermissionDenied(registration.NOT_ADMINISTRATOR)
    form = ResubmitRegistrationForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("applications:dashboard")
    registration.resubmit(request.user, found, form.cleaned_data["letter"], form.cleaned_data["authority"])
    messages.success(request, f"注册已重新提交{found.institution.authority.name}确认。")
    return redirect("applications:dashboard")
