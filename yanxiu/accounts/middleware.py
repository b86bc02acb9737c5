"""Identity controls on every request.

In order: a session idle too long or open too long ends; a user of a deciding
role proves the second factor (or enrols one); a password set by someone else
or too old is changed. Refused requests (PermissionDenied) are audited.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from yanxiu.audit import log

from . import security

# Reachable while a password change or a second factor is pending.
OPEN_URLS = ("login", "logout", "accounts:keepalive")
PASSWORD_URLS = ("accounts:password_change",)
OTP_URLS = ("accounts:otp_verify", "accounts:otp_setup", "accounts:otp_recovery_codes")

EXPIRED_MESSAGES = {
    "idle": "您已长时间未操作，为保护账号安全已自动退出，请重新登录。",
    "max": "本次登录已超过最长时限，请重新登录。",
}


def _redirect(request, to, **query):
    url = reverse(to) + (f"?{urlencode(query)}" if query else "")
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _url_name(request):
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else None


class SecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        name = _url_name(request)
        ended = security.session_expiry(request.session)
        if ended:
            log.security_event(request, "session_expired", reason=EXPIRED_MESSAGES[ended])
            request._session_expired = True
            logout(request)
            if name == "logout":
                return None  # the page's own timeout logout: it goes on to the login page's notice
            messages.info(request, EXPIRED_MESSAGES[ended])
            if request.method == "GET" and not request.headers.get("HX-Request"):
                return _redirect(request, "login", next=request.get_full_path())
            return _redirect(request, "login")
        if name in OPEN_URLS:
            return None
        second_factor = security.second_factor_needed(request)
        if second_factor:
            if name in OTP_URLS:
                return None
            return _redirect(request, "accounts:otp_verify" if second_factor == "verify" else "accounts:otp_setup")
        if name in OTP_URLS:
            return None
        # A unified-identity login used no password: a password someone else set, or an old
        # one, is changed at the next password login, not in this session (decision 0025).
        reason = "" if request.session.get(security.IDENTITY_LOGIN) else security.password_change_reason(user)
        if reason and name not in PASSWORD_URLS:
            return _redirect(request, "accounts:password_change")
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            log.permission_denied(request, exception)
