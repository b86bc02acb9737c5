"""Creating, checking and revoking personal API tokens; every change is audited.

A token is its owner acting without a browser, so it obeys the owner's account (decision 0019):
an inactive or locked account, or one that must change its password first, cannot use it.
Administrators have none. The deciding roles (province officers, authority reviewers) get a
token only from a web login that passed the second factor where it is required, and it lives
no longer than that login: it ends with its logout, 8 hours after the login
(YANXIU_SESSION_MAX_SECONDS) and after 30 minutes unused (YANXIU_SESSION_IDLE_SECONDS).
Other roles keep tokens of up to 365 days for their integrations.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from yanxiu.accounts import security
from yanxiu.accounts.lockout import is_locked
from yanxiu.audit.log import account_change
from yanxiu.core import clock
from yanxiu.core.refusal import Refused

from ..models import ApiToken

PREFIX = "yx_"
MAX_DAYS = 365
LIVE_LIMIT = 10
# Roles whose tokens are bound to the web login they were made in.

NO_TOKENS = "系统管理员、安全管理员和审计管理员在系统管理和审计页面办理职责，接口不提供其数据，无需 API 令牌。"
NEEDS_LOGIN = "审核、遴选角色的令牌只能在网页登录后创建，并随本次登录失效。"
NEEDS_SECOND_FACTOR = "请先完成双因素认证，再创建 API 令牌。"


class TokenRefused(Exception):
    """A real token whose owner's account may not use it now; the reason is shown to the caller."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Login:
    """The web login a token is made from: its session key, when it began (real time), and
    whether the second factor was verified in it."""

    session_key: str
    started_at: datetime
    verified: bool


def login_of(request):
    session = request.session
    if session.session_key is None:
        session.save()
    started = session.get(security.LOGIN_AT) or clock.wall_now().timestamp()
    is_verified = getattr(request.user, "is_verified", None)
    return Login(
        session_key=session.session_key,
        started_at=datetime.fromtimestamp(started).astimezone(),
        verified=bool(is_verified and is_verified()),
    )


def digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _describe(token):
    return f"{token.name}（{token.prefix}…，有效期至 {token.expires_at:%Y-%m-%d %H:%M}）"


def create_token(user, *, name, days, login=None):
    """A new token for `user`; the whole token is returned once and never stored."""
    if not user.has_perm("api.hold_tokens"):  # the administrators: see NO_TOKENS
        raise Refused(NO_TOKENS, code="no_admin_tokens")
    bound = not user.has_perm("api.hold_lasting_tokens")
    if bound and login is None:
        raise Refused(NEEDS_LOGIN, code="token_needs_login")
    if bound and settings.YANXIU_OTP_REQUIRED and not login.verified:
        raise Refused(NEEDS_SECOND_FACTOR, code="token_needs_second_factor")
    name = (name or "").strip()
    if not name:
        raise Refused("请填写令牌用途。", errors={"name": "请填写令牌用途。"})
    if len(name) > 50:
        raise Refused("令牌用途不能超过50字。", errors={"name": "令牌用途不能超过50字。"})
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise Refused(f"有效期应为1至{MAX_DAYS}天。", errors={"days": f"有效期应为1至{MAX_DAYS}天。"})
    now = clock.now()
    if ApiToken.objects.live(now).filter(user=user).count() >= LIVE_LIMIT:
        raise Refused(f"每人最多保留{LIVE_LIMIT}个有效令牌，请先撤销不用的令牌。")
    token = PREFIX + secrets.token_urlsafe(32)
    lifetime = timedelta(days=days)
    binding = {}
    if bound:
        lifetime = timedelta(seconds=settings.YANXIU_SESSION_MAX_SECONDS)
        binding = {
            "session_digest": digest(login.session_key),
            "bound_login_at": login.started_at,
            "bound_last_seen": clock.wall_now(),
        }
    with transaction.atomic():
        saved = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=token[:10],
            digest=digest(token),
            created_at=now,
            expires_at=now + lifetime,
            **binding,
        )
        account_change(
            "create_api_token",
            account=user,
            actor=user,
            obj=saved,
            reason=name,
            changes=[("API 令牌", "", _describe(saved) + ("，随本次登录失效" if bound else ""))],
        )
    return saved, token


def _revoke(token, actor, why=""):
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    account_change(
        "revoke_api_token",
        account=token.user,
        actor=actor,
        obj=token,
        reason=why or token.name,
        changes=[("API 令牌", _describe(token), "已撤销")],
    )


def revoke_token(user, token_pk):
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_pk, user=user).first()
        if token is None:
            raise Refused("没有这个令牌。")
        if token.revoked_at is not None:
            raise Refused("这个令牌已经撤销。")
        _revoke(token, user)
    return token


def end_login(user, session_key):
    """The web login ended (logout, or its session expired): the tokens made in it end too."""
    if not session_key:
        return
    with transaction.atomic():
        for token in ApiToken.objects.select_for_update().filter(
            user=user, session_digest=digest(session_key), revoked_at__isnull=True
        ):
            _revoke(token, user, why="创建它的登录已结束")


def why_refused(token):
    """Why the owner's account may not use this (live) token now, or ""."""
    user = token.user
    if not user.is_active:
        return "账号已停用，令牌不能使用。"
    if is_locked(user.username):
        return "账号因登录失败次数过多已暂时锁定，令牌暂不能使用。"
    if not user.has_perm("api.hold_tokens"):
        return NO_TOKENS
    if security.password_change_reason(user):
        return "账号须先在网页上修改密码，令牌暂不能使用。"
    if token.bound_login_at is not None:
        now = clock.wall_now()
        if (now - token.bound_login_at).total_seconds() > settings.YANXIU_SESSION_MAX_SECONDS:
            return "令牌随创建它的登录失效：已超过登录的最长时限，请重新登录后创建。"
        idle = (now - token.bound_last_seen).total_seconds()
        if idle > settings.YANXIU_SESSION_IDLE_SECONDS + security.LAST_SEEN_EVERY_SECONDS:
            return "令牌随创建它的登录失效：已长时间未使用，请重新登录后创建。"
    return ""


def authenticate(token):
    """The user a live token belongs to, or None; TokenRefused when the owner's account may not
    use it now. Marks the token as used."""
    if not token or not token.startswith(PREFIX) or len(token) > 100:
        return None
    now = clock.now()
    found = (
        ApiToken.objects.filter(revoked_at__isnull=True, expires_at__gt=now, digest=digest(token))
        .select_related("user")
        .first()
    )
    if found is None:
        return None
    reason = why_refused(found)
    if reason:
        raise TokenRefused(reason)
    seen = {"last_used_at": now}
    if found.bound_last_seen is not None:
        wall = clock.wall_now()
        if (wall - found.bound_last_seen).total_seconds() >= security.LAST_SEEN_EVERY_SECONDS:
            seen["bound_last_seen"] = wall
    ApiToken.objects.filter(pk=found.pk).update(**seen)
    return found.user
