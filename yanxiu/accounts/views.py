"""The user's own account: password change, second factor (TOTP) and recovery codes."""

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from yanxiu.audit import log
from yanxiu.audit.models import Outcome

from . import security
from .duties import tasks_of


class TokenForm(forms.Form):
    token = forms.CharField(
        label="验证码",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


@login_required
def password_change(request):
    user = request.user
    if request.method == "POST":
        form = PasswordChangeForm(user, request.POST)
        if form.is_valid():
            with transaction.atomic():
                form.save()  # set_password stamps password_changed_at
                user.must_change_password = False
                user.save(update_fields=["must_change_password"])
                log.security_event(request, "password_change", user=user)
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改。")
            return redirect("home")
        log.security_event(
            request,
            "password_change",
            user=user,
            outcome=Outcome.FAILURE,
            reason="；".join(str(message) for errors in form.errors.values() for message in errors)[:500],
        )
    else:
        form = PasswordChangeForm(user)
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "reason": security.password_change_reason(user),
            "rules": password_validators_help_texts(),
            "max_age_days": settings.YANXIU_PASSWORD_MAX_AGE_DAYS,
        },
    )


@login_required
def keepalive(request):
    """The session warning's "继续使用": a request that counts as activity (the middleware).
    204 while the session lives; an ended one is sent to the login page."""
    return HttpResponse(status=204)


def _recovery_codes(user):
    """New recovery codes (django-otp static tokens), replacing the old ones; shown once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.YANXIU_OTP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@login_required
def otp_setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with a code."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        if not user.is_verified():
            return redirect("accounts:otp_verify")  # replacing a device needs the current one
        if request.method == "GET" and "replace" not in request.GET:
            return redirect("accounts:otp_status")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user, confirmed=True).delete()
                device.confirmed = True
                device.save()
                codes = _recovery_codes(user)
                log.security_event(request, "otp_enrol", user=user)
            otp_login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "enrolled": True})
        log.security_event(request, "otp_failed", user=user, outcome=Outcome.FAILURE, reason="启用时验证码不正确")
        form.add_error("token", "验证码不正确，请核对手机上显示的 6 位数字后重试。")
    secret = device.key.upper()
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1f2937"),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": security.second_factor_needed(request) == "enrol",
        },
    )


@login_required
def otp_verify(request):
    """The second step of a login: a code from the app, or one recovery code."""
    user = request.user
    if user.is_verified():
        return redirect("home")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].replace(" ", "")
        for device in devices_for_user(user, confirmed=True):
            if device.verify_token(token):
                otp_login(request, device)
                recovery = isinstance(device, StaticDevice)
                log.security_event(request, "otp_verify", user=user, data={"recovery_code": recovery})
                if recovery:
                    left = device.token_set.count()
                    messages.warning(
                        request, f"您使用了一个恢复码，还剩 {left} 个。请尽快在“双因素认证”页重新生成恢复码。"
                    )
                return redirect(request.GET.get("next") or "home")
        log.security_event(request, "otp_failed", user=user, outcome=Outcome.FAILURE, reason="验证码或恢复码不正确")
        form.add_error("token", "验证码或恢复码不正确。")
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
@require_POST
def otp_recovery_codes(request):
    """New recovery codes for a verified user (the old ones stop working)."""
    if not request.user.is_verified():
        raise PermissionDenied("须先通过双因素认证，才能重新生成恢复码。")
    codes = _recovery_codes(request.user)
    log.security_event(request, "otp_recovery_codes", user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "enrolled": False})


@login_required
def otp_status(request):
    user = request.user
    return render(
        request,
        "accounts/otp_status.html",
        {
            "enrolled": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "verified": user.is_verified(),
            "codes_left": StaticToken.objects.filter(device__user=user).count(),
            "required": settings.YANXIU_OTP_REQUIRED and user.needs_second_factor,
        },
    )


@login_required
def duties(request):
    """An administrator's home page: what their duty is and where it is done (三员分立)."""
    if not request.user.has_perm("accounts.see_duties"):
        return redirect("home")
    return render(request, "accounts/duties.html", {"tasks": tasks_of(request.user)})
