"""Self-service password reset: by e-mailed link or texted code; never says whether an account exists."""

import re

import pytest
from django.core import mail

from tests import factories
from yanxiu.accounts.domain import reset, sms
from yanxiu.accounts.models import Role
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused

pytestmark = pytest.mark.django_db

NEW = "Renewed-2026x"


def link_parts():
    return re.search(r"/account/reset/([^/]+)/([^/]+)/", mail.outbox[-1].body).groups()


def test_the_same_answer_whether_or_not_the_account_exists(django_capture_on_commit_callbacks):
    account = factories.staff()
    with django_capture_on_commit_callbacks(execute=True):
        known = reset.request_link(account.username)
        unknown = reset.request_link("nobody-here")
        known_sms = reset.request_code(account.username)
        unknown_sms = reset.request_code("nobody-here")
    assert known == unknown == reset.SENT_EMAIL
    assert known_sms == unknown_sms == reset.SENT_SMS
    assert [m.to for m in mail.outbox] == [[account.email]]


def test_a_reset_by_email_link_is_single_use_and_audited(django_capture_on_commit_callbacks):
    account = factories.staff()
    with django_capture_on_commit_callbacks(execute=True):
        reset.request_link(account.username)
    uid, token = link_parts()
    reset.reset_by_link(uid, token, NEW)
    account.refresh_from_db()
    assert account.check_password(NEW)
    entry = AuditEntry.objects.account_changes().filter(username=account.username).last()
    assert (entry.action, entry.actor, entry.reason) == ("password_reset", account, "自助找回（邮件链接）")
    with pytest.raises(Refused, match="无效或已过期"):
        reset.reset_by_link(uid, token, "Another-2026y")


def test_the_link_keeps_the_password_rules_and_history(django_capture_on_commit_callbacks):
    account = factories.staff()
    with django_capture_on_commit_callbacks(execute=True):
        reset.request_link(account.username)
    uid, token = link_parts()
    with pytest.raises(Refused, match="不能与当前密码"):
        reset.reset_by_link(uid, token, "pw-for-tests")
    with pytest.raises(Refused, match="太短"):
        reset.reset_by_link(uid, token, "Ab1-")
    reset.reset_by_link(uid, token, NEW)  # the link still works after refused passwords


def test_a_reset_by_sms_code(django_capture_on_commit_callbacks):
    account = factories.user(Role.INSTITUTION_STAFF, institution=factories.institution(), phone="13900001234")
    with django_capture_on_commit_callbacks(execute=True):
        reset.request_code(account.username)
    assert [m.to for m in sms.outbox] == ["13900001234"]
    code = re.search(r"验证码是 (\d{6})", sms.outbox[0].body).group(1)
    reset.reset_by_code(account.username, code, NEW)
    account.refresh_from_db()
    assert account.check_password(NEW)
    entry = AuditEntry.objects.account_changes().filter(username=account.username).last()
    assert (entry.action, entry.reason) == ("password_reset", "自助找回（短信验证码）")
    with pytest.raises(Refused, match="请先获取验证码"):
        reset.reset_by_code(account.username, code, "Another-2026y")


def test_a_code_for_a_name_that_is_no_account_fails_like_a_wrong_code(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reset.request_code("nobody-here")
    assert sms.outbox == []
    with pytest.raises(Refused, match="验证码不正确或已失效"):
        reset.reset_by_code("nobody-here", "123456", NEW)


def test_administrators_reset_by_email_but_get_no_code_by_sms(django_capture_on_commit_callbacks):
    admin = factories.user(Role.SECURITY_ADMIN, phone="13900005678")
    with django_capture_on_commit_callbacks(execute=True):
        reset.request_code(admin.username)
        reset.request_link(admin.username)
    assert sms.outbox == []
    uid, token = link_parts()
    reset.reset_by_link(uid, token, NEW)
    admin.refresh_from_db()
    assert admin.check_password(NEW)


def test_requests_for_one_name_are_rate_limited_whether_or_not_it_exists(settings):
    settings.YANXIU_CODES_PER_TARGET = 2
    for name in ("nobody-here", factories.staff().username):
        reset.request_link(name, client="203.0.113.1")
        reset.request_code(name, client="203.0.113.2")
        with pytest.raises(Refused, match="过于频繁"):
            reset.request_link(name, client="203.0.113.3")
