"""Creating, checking and revoking personal API tokens; every change is audited."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction

from yanxiu.audit.log import record
from yanxiu.core import clock
from yanxiu.core.refusal import Refused

from ..models import ApiToken

PREFIX = "yx_"
MAX_DAYS = 365
LIVE_LIMIT = 10


def digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


NO_TOKENS = "系统管理员、安全管理员和审计管理员在系统管理和审计页面办理职责，接口不提供其数据，无需 API 令牌。"


def create_token(user, *, name, days):
    """A new token for `user`; the whole token is returned once and never stored."""
    if not user.has_perm("api.hold_tokens"):
        raise Refused(NO_TOKENS)
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
    with transaction.atomic():
        saved = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=token[:10],
            digest=digest(token),
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        record(saved, action="create_api_token", label="创建 API 令牌", actor=user, reason=name)
    return saved, token


def revoke_token(user, token_pk):
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_pk, user=user).first()
        if token is None:
            raise Refused("没有这个令牌。")
        if token.revoked_at is not None:
            raise Refused("这个令牌已经撤销。")
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        record(token, action="revoke_api_token", label="撤销 API 令牌", actor=user, reason=token.name)
    return token


def authenticate(token):
    """The user a live token belongs to, or None. Marks the token as used."""
    if not token or not token.startswith(PREFIX) or len(token) > 100:
        return None
    now = clock.now()
    found = ApiToken.objects.live(now).select_related("user").filter(digest=digest(token)).first()
    if found is None:
        return None
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
