"""Every login, failed login, logout and lockout is audited (time, account, client address, outcome)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from yanxiu.audit import log
from yanxiu.audit.models import Outcome

from . import security


@receiver(user_logged_in, dispatch_uid="yanxiu.accounts.login")
def on_login(sender, request, user, **kwargs):
    if request is None:
        return
    security.start_session(request.session)
    via = getattr(request, "yanxiu_login_via", "")  # unified identity: the provider (decision 0025)
    log.security_event(request, "login", user=user, data={"via": via} if via else None)
    if security.password_expired(user):
        log.security_event(request, "password_expired", user=user, outcome=Outcome.REFUSED)


@receiver(user_login_failed, dispatch_uid="yanxiu.accounts.login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    locked = getattr(request, "axes_locked_out", False)
    log.security_event(
        request,
        "login_failed",
        outcome=Outcome.REFUSED if locked else Outcome.FAILURE,
        username=str(credentials.get("username", "")),
        reason="账号或地址已锁定" if locked else "用户名或密码不正确",
    )


@receiver(user_locked_out, dispatch_uid="yanxiu.accounts.locked_out")
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    if request is None or getattr(request, "_audited_lockout", False):
        return
    request._audited_lockout = True
    log.security_event(
        request,
        "lockout",
        outcome=Outcome.REFUSED,
        username=str(username or ""),
        data={"failures": getattr(request, "axes_failures_since_start", None)},
    )


@receiver(user_logged_out, dispatch_uid="yanxiu.accounts.logout")
def on_logout(sender, request, user, **kwargs):
    if request is None or user is None or getattr(request, "_session_expired", False):
        return  # an expired session is audited as such by the middleware
    log.security_event(request, "logout", user=user)
