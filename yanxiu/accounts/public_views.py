"""Pages without login. The invitation link: the invitee sets the password, then logs in as everyone
does (the second factor is enrolled at that login where the role needs it; decision 0024). The
self-service password reset (accounts.domain.reset; decision 0023): every answer is the same whether
or not the account exists; requests are rate-limited in the domain."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.password_validation import password_validators_help_texts
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from yanxiu.core.errors import show_on_form
from yanxiu.core.http import no_store
from yanxiu.core.net import client_ip
from yanxiu.core.refusal import Refused

from .domain import changes, invitations, reset
from .forms import CodeResetForm, NewPasswordForm, ResetRequestForm, SetPasswordForm


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
            "rules": password_validators_help_texts(),
            "otp_required": settings.YANXIU_OTP_REQUIRED and found.user.needs_second_factor,
        },
        status=400 if form.errors else 200,
    )


# --- self-service password reset (decision 0023) ------------------------------------------


def _show_refusal(form, refusal):
    for field, message in refusal.errors.items():
        form.add_error(field if field in form.fields else None, message)
    if not refusal.errors:
        form.add_error(None, refusal.reason)


@no_store
def reset_request(request):
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username, channel = form.cleaned_data["username"], form.cleaned_data["channel"]
        try:
            if channel == "email":
                messages.info(request, reset.request_link(username, client=client_ip(request)))
                return redirect("login")
            messages.info(request, reset.request_code(username, client=client_ip(request)))
            return redirect(reverse("accounts:reset_code") + "?" + _query(username))
        except Refused as refusal:
            _show_refusal(form, refusal)
    return render(request, "accounts/reset_request.html", {"form": form})


def _query(username):
    return urlencode({"username": username})


@no_store
def reset_code(request):
    initial = {"username": request.GET.get("username", "")}
    form = CodeResetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reset.reset_by_code(data["username"], data["code"], data["new_password1"], request=request)
        except Refused as refusal:
            _show_refusal(form, refusal)
        else:
            messages.success(request, "密码已重置，请用新密码登录。")
            return redirect("login")
    return render(request, "accounts/reset_code.html", {"form": form, "rules": NewPasswordForm.rules()})


# Like Django's PasswordResetConfirmView: the token leaves the address bar (and any Referer) at once.
SET_PASSWORD = "set-password"  # noqa: S105  (a URL segment, not a password)
SESSION_TOKEN = "_password_reset_token"  # noqa: S105  (a session key)


@no_store
def reset_confirm(request, uidb64, token):
    if token != SET_PASSWORD:
        try:
            reset.account_for_link(uidb64, token)
        except Refused as refusal:
            return render(request, "accounts/reset_confirm.html", {"invalid": refusal.reason}, status=400)
        request.session[SESSION_TOKEN] = token
        return redirect("accounts:reset_confirm", uidb64=uidb64, token=SET_PASSWORD)
    token = request.session.get(SESSION_TOKEN, "")
    try:
        reset.account_for_link(uidb64, token)
    except Refused as refusal:
        return render(request, "accounts/reset_confirm.html", {"invalid": refusal.reason}, status=400)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reset.reset_by_link(uidb64, token, form.cleaned_data["new_password1"], request=request)
        except Refused as refusal:
            _show_refusal(form, refusal)
        else:
            request.session.pop(SESSION_TOKEN, None)
            messages.success(request, "密码已重置，请用新密码登录。")
            return redirect("login")
    return render(request, "accounts/reset_confirm.html", {"form": form, "rules": NewPasswordForm.rules()})
