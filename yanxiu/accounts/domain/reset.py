"""Self-service password reset from the login page: by an e-mailed link or a text-message code.

Never says whether an account exists: every request gets the same answer and is counted for
the name asked about whether or not it is an account (so even the rate limit tells nothing).
The link is Django's password-reset token (single use: it dies with the password it was made
for; `PASSWORD_RESET_TIMEOUT`); the code is a verification code (10 minutes, 5 tries, once).
The new password goes through `changes.reset_own_password` (rules, history, audit entry).

Who may: every active account with an address or mobile on file; the three administrators
only by e-mail (decision 0023: the security administrator cannot reset their own password, so
without this only the server command would help; the second factor still guards them).
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from yanxiu.core.refusal import Refused

from ..models import CodePurpose, User
from . import changes, codes, sms

SENT = "如果该账号存在并登记了{where}，我们已向其发送{what}，请查收。没有收到？请核对用户名，或联系单位管理员。"
SENT_EMAIL = SENT.format(where="电子邮箱", what="重置密码的链接（30 分钟内有效，只能使用一次）")
SENT_SMS = SENT.format(where="手机号码", what="验证码（10 分钟内有效）")
BAD_LINK = "重置链接无效或已过期（链接只能使用一次）。请重新申请。"

EMAIL_SUBJECT = "研修申报系统：重置密码"
EMAIL_BODY = (
    "{name}，您好：\n\n有人（希望是您本人）申请重置研修申报系统账号 {username} 的密码。"
    "请在 {minutes} 分钟内打开下面的链接设置新密码（只能使用一次）：\n\n{link}\n\n"
    "如果不是您本人申请，请忽略本邮件，您的密码不会改变。"
)


def _account(username):
    username = (username or "").strip()
    return User.objects.filter(username=username, is_active=True).first() if username else None


def _target(username):
    return f"password-reset:{(username or '').strip().lower()}"


def request_link(username, *, client=""):
    """E-mail a reset link to the account's address, if there is one; the same answer either way."""
    codes.refuse_if_too_many(_target(username), client)
    account = _account(username)
    if account is None or not account.email:
        return SENT_EMAIL
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    token = default_token_generator.make_token(account)
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:reset_confirm", args=[uid, token])
    body = EMAIL_BODY.format(
        name=account, username=account.username, minutes=settings.PASSWORD_RESET_TIMEOUT // 60, link=link
    )
    address = account.email
    transaction.on_commit(lambda: send_mail(EMAIL_SUBJECT, body, None, [address]))
    return SENT_EMAIL


def account_for_link(uidb64, token):
    """The account the link was made for, or a refusal (wrong, used or expired)."""
    try:
        account = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=True)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Refused(BAD_LINK, code="bad_link") from None
    if not default_token_generator.check_token(account, token):
        raise Refused(BAD_LINK, code="bad_link")
    return account


def reset_by_link(uidb64, token, raw_password, *, request=None):
    account = account_for_link(uidb64, token)
    return changes.reset_own_password(account, raw_password, via="email", request=request)


def request_code(username, *, client=""):
    """Text a code to the account's mobile, if there is one and the role may; the same answer either way."""
    account = _account(username)
    code = codes.issue(CodePurpose.PASSWORD_RESET, _target(username), client=client)
    if account is not None and account.phone and not account.is_administrator and not account.is_superuser:
        text = codes.SMS_TEXT.format(
            code=code, minutes=settings.YANXIU_CODE_MINUTES, purpose=CodePurpose.PASSWORD_RESET.label
        )
        mobile = account.phone
        transaction.on_commit(lambda: sms.send_sms(mobile, text))
    return SENT_SMS


def reset_by_code(username, code, raw_password, *, request=None):
    """The new password, once the code texted for `username` is right (a wrong code counts a try)."""
    account = _account(username)
    if account is not None:
        changes.validate_new_password(account, raw_password)  # before the code is spent
    codes.check(CodePurpose.PASSWORD_RESET, _target(username), code)
    if account is None or account.is_administrator or account.is_superuser:
        raise Refused(codes.WRONG_CODE, code="wrong_code")  # no code was sent: say what a wrong code says
    return changes.reset_own_password(account, raw_password, via="sms", request=request)
