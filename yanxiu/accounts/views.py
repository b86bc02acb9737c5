"""The user's own account: password change, second factor (TOTP) and recovery codes; and an
organisation's staff pages for its account administrator (decision 0024)."""

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from yanxiu.audit import log
from yanxiu.audit.models import Outcome
from yanxiu.core import clock
from yanxiu.core.errors import refusal_returns_to, show_on_form
from yanxiu.core.refusal import Refused

from . import security
from .domain import changes, trail
from .duties import tasks_of
from .forms import InviteForm, ReasonForm
from .models import Invitation, User


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
    if not request.user.is_administrator:
        return redirect("home")
    return render(request, "accounts/duties.html", {"tasks": tasks_of(request.user)})


# --- An organisation's own staff (decision 0024) ------------------------------------------------

TRAIL_PER_PAGE = 50


def _require_staff_admin(request):
    if not request.user.has_perm("accounts.manage_staff"):
        raise PermissionDenied(changes.NOT_ORG_ADMIN)


def _to_staff(request, *args, **kwargs):
    return reverse("accounts:staff")


@login_required
def staff(request):
    """本单位账号: the organisation's accounts, their state and pending invitations."""
    _require_staff_admin(request)
    now = clock.now()
    accounts = list(request.user.colleagues.order_by("-is_active", "username"))
    pending = {
        invitation.user_id: invitation
        for invitation in Invitation.objects.filter(
            user__in=accounts, used_at__isnull=True, revoked_at__isnull=True
        ).order_by("created_at")
    }
    rows = []
    for account in accounts:
        invitation = pending.get(account.pk)
        if not account.is_active:
            state = "已停用"
        elif account.has_usable_password():
            state = "有效"
        elif invitation is not None and invitation.is_pending(now):
            state = "待接受邀请"
        else:
            state = "邀请已过期"
        rows.append(
            {
                "account": account,
                "state": state,
                "invitation": invitation,
                "may_manage": request.user.has_perm("accounts.manage_staff", account),
                "may_resend": account.is_active and not account.has_usable_password(),
            }
        )
    return render(request, "accounts/staff.html", {"rows": rows, "days": settings.YANXIU_INVITATION_DAYS})


@login_required
def staff_invite(request):
    _require_staff_admin(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account, invitation = changes.invite_account(request.user, request=request, **form.cleaned_data)
        except Refused as refused:
            show_on_form(form, refused)
        else:
            messages.success(
                request,
                f"已向 {account}（{account.username}）发送邀请邮件，链接{invitation.expires_at:%Y-%m-%d}前有效。",
            )
            return redirect("accounts:staff")
    return render(request, "accounts/staff_invite.html", {"form": form}, status=400 if form.errors else 200)


def _staff_action(request, pk, door, done):
    account = get_object_or_404(User, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    door(request.user, account, request=request, reason=reason)
    messages.success(request, done.format(who=account))
    return redirect("accounts:staff")


@login_required
@require_POST
@refusal_returns_to(_to_staff)
def staff_deactivate(request, pk):
    return _staff_action(request, pk, changes.deactivate, "已停用 {who} 的账号。")


@login_required
@require_POST
@refusal_returns_to(_to_staff)
def staff_reactivate(request, pk):
    return _staff_action(request, pk, changes.reactivate, "已启用 {who} 的账号。")


@login_required
@require_POST
@refusal_returns_to(_to_staff)
def staff_resend(request, pk):
    account = get_object_or_404(User, pk=pk)
    invitation = changes.resend_invitation(request.user, account, request=request)
    messages.success(
        request, f"已重新发送邀请邮件给 {account}，原链接作废，新链接{invitation.expires_at:%Y-%m-%d}前有效。"
    )
    return redirect("accounts:staff")


@login_required
def staff_trail(request):
    """本单位操作记录: who of the organisation did what, and what was done to its accounts and
    its applications."""
    _require_staff_admin(request)
    page = Paginator(trail.for_organisation(request.user), TRAIL_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/staff_trail.html", {"page": page})
