from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from yanxiu.audit.log import record

from .forms import InstitutionProfileForm


@login_required
def profile(request):
    """The user's own institution: every user can only ever reach their own."""
    if not request.user.is_institution_staff:
        raise PermissionDenied("只有承办单位经办人可以维护单位信息。")
    institution = request.user.institution
    form = InstitutionProfileForm(request.POST or None, instance=institution)
    if request.method == "POST" and form.is_valid():
        form.save()
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
