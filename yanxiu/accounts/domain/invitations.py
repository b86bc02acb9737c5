"""Invitation links: a single-use, time-limited link by e-mail that lets an account set its password.

The token is 256 random bits; only its SHA-256 is stored (`Invitation.token_hash`), so a copy of
the database opens no account. A new invitation for the same account revokes the earlier ones, so
only the newest link works. The e-mail goes through the background worker after the database
commits (a rolled-back invitation sends nothing). The doors that issue them are in `changes.py`
(`invite_account`, `resend_invitation`, `invite_expert`); `accept` is the invitee's own.
Decision 0024.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from yanxiu.core import clock
from yanxiu.core.dates import chinese_date
from yanxiu.core.refusal import Refused
from yanxiu.notifications.tasks import send_notification_email

from ..models import Invitation

# Why a link is refused, in the invitee's words.
UNKNOWN = "邀请链接无效，请核对邮件中的链接，或联系邀请您的单位重新发送。"
USED = "该邀请链接已经使用过，不能再次使用。请直接登录；忘记密码请联系本单位账号管理员。"
EXPIRED = "该邀请链接已过期，请联系邀请您的单位重新发送邀请。"
REVOKED = "该邀请链接已作废（已重新发送了新的邀请），请使用最新一封邀请邮件中的链接。"
INACTIVE = "该账号已停用，邀请链接不能使用。"


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def link(token):
    return settings.SITE_URL.rstrip("/") + reverse("accounts:invitation", args=[token])


def pending(user, now=None):
    """The account's invitation that still works, or None."""
    now = now or clock.now()
    return Invitation.objects.filter(
        user=user, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).first()


def issue(user, *, invited_by):
    """A new invitation for `user` (earlier ones revoked) and its e-mail, queued after commit.
    Returns (invitation, the previous pending one or None)."""
    if not user.email:
        raise Refused(f"{user} 没有电子邮箱，无法发送邀请。", code="no_email", errors={"email": "请填写电子邮箱。"})
    now = clock.now()
    previous = pending(user, now)
    Invitation.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user,
        token_hash=token_hash(token),
        invited_by=invited_by,
        created_at=now,
        expires_at=now + timedelta(days=settings.YANXIU_INVITATION_DAYS),
    )
    subject, body = _mail(user, invited_by, token, invitation.expires_at)
    recipient = user.email
    transaction.on_commit(lambda: send_notification_email.enqueue([recipient], subject, body))
    return invitation, previous


def _mail(user, invited_by, token, expires_at):
    who = invited_by.name_with_organisation if invited_by else "研修申报系统"
    subject = "【研修申报】账号邀请：请设置您的登录密码"
    role = user.get_role_display()
    where = role if user.organisation_name in ("", role) else f"{user.organisation_name}，{role}"
    body = (
        f"{user.display_name or user.username}，您好：\n\n"
        f"{who} 邀请您使用研修申报系统（{where}）。\n"
        f"您的登录用户名：{user.username}\n\n"
        f"请打开下面的链接设置登录密码（链接仅能使用一次，{chinese_date(expires_at)}前有效）：\n"
        f"{link(token)}\n\n"
        "如果您没有预期收到这封邮件，请忽略它。"
    )
    return subject, body


def find(token, *, for_update=False):
    """The invitation a link names, if it may still be used; else Refused with the reason."""
    rows = Invitation.objects.select_related("user")
    if for_update:
        rows = rows.select_for_update()
    invitation = rows.filter(token_hash=token_hash(token or "")).first()
    if invitation is None:
        raise Refused(UNKNOWN, code="invitation_unknown")
    if invitation.used_at is not None:
        raise Refused(USED, code="invitation_used")
    if invitation.revoked_at is not None:
        raise Refused(REVOKED, code="invitation_revoked")
    if invitation.expires_at <= clock.now():
        raise Refused(EXPIRED, code="invitation_expired")
    if not invitation.user.is_active:
        raise Refused(INACTIVE, code="invitation_inactive")
    return invitation
