"""The invitation link (no login): the invitee sets the password, then logs in as everyone does
(the second factor is enrolled at that login where the role needs it). Decision 0024."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.password_validation import password_validators_help_texts
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from yanxiu.core.errors import show_on_form
from yanxiu.core.refusal import Refused

from .domain import changes, invitations
from .forms import SetPasswordForm


@never_cache
def invitation(request, token):
    try:
        found = invitations.find(token)
    except Refused as refused:
        return render(request, "accounts/invitation.html", {"refused": refused.reason}, status=410)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = changes.accept_invitation(token, form.cleaned_data["new_password1"], request=request)
        except Refused as refused:
            show_on_form(form, refused)
        else:
            messages.success(request, f"密码已设置。请用登录用户名 {account.username} 和新密码登录。")
            return redirect("login")
    return render(
        request,
        "accounts/invitation.html",
        {
            "form": form,
            "account": found.user,
            "invitation": found,
            "token": token,
            "rules": password_validators_help_texts(),
            "otp_required": settings.YANXIU_OTP_REQUIRED and found.user.needs_second_factor,
        },
        status=400 if form.errors else 200,
    )
