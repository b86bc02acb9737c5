from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yanxiu.accounts.rules import forbid_unless
from yanxiu.audit.log import record
from yanxiu.core.errors import refusal_returns_to

from .domain import invoicing
from .forms import InstitutionProfileForm
from .models import Institution


@login_required
def profile(request):
    """The user's own institution: every user can only ever reach their own."""
    forbid_unless(request.user, "organisations.edit_profile")
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
