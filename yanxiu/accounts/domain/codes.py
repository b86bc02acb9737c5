"""Verification codes sent by text message or e-mail (registration, password reset).

A code is six digits, kept only as a hash beside the keyed hash of where it went; it lives
`YANXIU_CODE_MINUTES`, allows `YANXIU_CODE_ATTEMPTS` wrong tries, and is used once. Sending
is rate-limited per target and per client address on the public forms' counter
(`operations.domain.rate_limit`): a code costs the sender, and guessing costs the guesser.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F

from yanxiu.core import clock
from yanxiu.core.crypto import keyed_hash
from yanxiu.core.refusal import Refused
from yanxiu.operations.domain import rate_limit

from ..models import CodePurpose, VerificationCode
from . import sms

TOO_MANY_FOR_TARGET = "验证码发送过于频繁，请一小时后再试。"
TOO_MANY_FROM_CLIENT = "本网络地址请求验证码过于频繁，请一小时后再试。"
WRONG_CODE = "验证码不正确或已失效，请重新获取。"
NO_CODE = "请先获取验证码。"
TOO_MANY_ATTEMPTS = "验证码输错次数过多，已失效，请重新获取。"

SMS_TEXT = "【研修申报】您的验证码是 {code}，{minutes} 分钟内有效，仅用于{purpose}。如非本人操作，请忽略。"
EMAIL_SUBJECT = "研修申报系统验证码"


def target_hash(target):
    """Where a code went, as a keyed hash (the mobile or address itself is not kept here)."""
    return keyed_hash("accounts.verification.target", (target or "").strip().lower())


def new_code():
    return f"{secrets.randbelow(10**6):06d}"


def refuse_if_too_many(target, client):
    """Count one request for `target` from `client`; refuse past either hourly limit."""
    if rate_limit.count_post("code-target", target_hash(target)) > settings.YANXIU_CODES_PER_TARGET:
        raise Refused(TOO_MANY_FOR_TARGET, code="rate_limited")
    if rate_limit.count_post("code-client", client or "-") > settings.YANXIU_CODES_PER_CLIENT:
        raise Refused(TOO_MANY_FROM_CLIENT, code="rate_limited")


def issue(purpose, target, *, client=""):
    """A new code for `target` (rate-limited), stored hashed; returns the code to send.
    An earlier unused code for the same purpose and target stops counting."""
    refuse_if_too_many(target, client)
    code = new_code()
    now = clock.wall_now()
    hashed = target_hash(target)
    with transaction.atomic():
        VerificationCode.objects.filter(purpose=purpose, target_hash=hashed, used_at__isnull=True).update(used_at=now)
        VerificationCode.objects.create(
            purpose=purpose,
            target_hash=hashed,
            code_hash=make_password(code),
            created_at=now,
            expires_at=now + timedelta(minutes=settings.YANXIU_CODE_MINUTES),
            client_ip=(client or "")[:45],
        )
    return code


def send_by_sms(purpose, mobile, *, client=""):
    code = issue(purpose, mobile, client=client)
    text = SMS_TEXT.format(code=code, minutes=settings.YANXIU_CODE_MINUTES, purpose=CodePurpose(purpose).label)
    transaction.on_commit(lambda: sms.send_sms(mobile, text))


def send_by_email(purpose, address, *, client=""):
    code = issue(purpose, address, client=client)
    text = SMS_TEXT.format(code=code, minutes=settings.YANXIU_CODE_MINUTES, purpose=CodePurpose(purpose).label)
    transaction.on_commit(lambda: send_mail(EMAIL_SUBJECT, text, None, [address]))


def _latest(purpose, target):
    return (
        VerificationCode.objects.select_for_update()
        .filter(purpose=purpose, target_hash=target_hash(target), used_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )


def check(purpose, target, code, *, use=True):
    """Refuse unless `code` is the latest live code sent to `target` for `purpose`; mark it used
    (`use=False` only checks it, for a form shown again before its last step). A wrong try counts,
    and is kept: the refusal is raised after the transaction that counted it."""
    code = (code or "").strip()
    refusal = None
    with transaction.atomic():
        row = _latest(purpose, target)
        if row is None:
            refusal = Refused(NO_CODE, code="no_code")
        elif row.expires_at <= clock.wall_now() or row.attempts >= settings.YANXIU_CODE_ATTEMPTS:
            refusal = Refused(WRONG_CODE, code="code_expired")
        elif not (code.isdigit() and check_password(code, row.code_hash)):
            VerificationCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
            too_many = row.attempts + 1 >= settings.YANXIU_CODE_ATTEMPTS
            refusal = Refused(TOO_MANY_ATTEMPTS if too_many else WRONG_CODE, code="wrong_code")
        elif use:
            VerificationCode.objects.filter(pk=row.pk).update(used_at=clock.wall_now())
    if refusal is not None:
        raise refusal
    return True
