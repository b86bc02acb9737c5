"""Session and credential policy, as functions the middleware and the views share.

Times here are real time (`clock.wall_now`): the business clock may be pinned
to a date in demos and tests, and a session must still end after 30 minutes.
"""

from datetime import timedelta

from django.conf import settings
from django_otp import user_has_device

from yanxiu.core import clock

LAST_SEEN = "yanxiu_last_seen"
LOGIN_AT = "yanxiu_login_at"
# The provider's key when this session's login was through unified identity (decision 0025).
IDENTITY_LOGIN = "yanxiu_identity_login"
# The last-seen time is written at most this often: a session row is not rewritten on
# every request (issue 13). The idle limit counts from the written time plus this, so a
# session never ends early; it may last up to this much longer.
LAST_SEEN_EVERY_SECONDS = 30


def start_session(session):
    now = clock.wall_now().timestamp()
    session[LOGIN_AT] = now
    session[LAST_SEEN] = now


def session_expiry(session):
    """None while the session is alive; else why it ended ("idle" or "max")."""
    now = clock.wall_now().timestamp()
    login_at, last_seen = session.get(LOGIN_AT), session.get(LAST_SEEN)
    if login_at is None or last_seen is None:
        start_session(session)  # a session from before these controls, or force_login in tests
        return None
    if now - last_seen > settings.YANXIU_SESSION_IDLE_SECONDS + LAST_SEEN_EVERY_SECONDS:
        return "idle"
    if now - login_at > settings.YANXIU_SESSION_MAX_SECONDS:
        return "max"
    if now - last_seen >= LAST_SEEN_EVERY_SECONDS:
        session[LAST_SEEN] = now
    return None


def password_expired(user):
    days = settings.YANXIU_PASSWORD_MAX_AGE_DAYS
    if not days or user.password_changed_at is None or not user.has_usable_password():
        # An account that logs in only through unified identity has no password to expire.
        return False
    return clock.wall_now() - user.password_changed_at > timedelta(days=days)


def password_change_reason(user):
    """Why the user must change their password before anything else, or ""."""
    if settings.YANXIU_FORCE_PASSWORD_CHANGE and user.must_change_password:
        return "您的密码是由他人设置的（首次登录或管理员重置），请先修改密码。"
    if password_expired(user):
        return f"您的密码已使用超过 {settings.YANXIU_PASSWORD_MAX_AGE_DAYS} 天，请修改密码后继续。"
    return ""


def second_factor_needed(request):
    """ "verify", "enrol" or "" for this request's user.

    After a unified-identity login, a second factor the account holds is asked for even where
    the role does not require one: the provider's login stands in for the password, not for the
    second factor (decision 0025)."""
    user = request.user
    if user.is_verified():
        return ""
    if not settings.YANXIU_OTP_REQUIRED or not user.needs_second_factor:
        via_identity = request.session.get(IDENTITY_LOGIN)
        return "verify" if via_identity and user_has_device(user, confirmed=True) else ""
    return "verify" if user_has_device(user, confirmed=True) else "enrol"
