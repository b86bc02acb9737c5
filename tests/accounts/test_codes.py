"""Verification codes: hashed, ten minutes, five tries, used once; rate-limited per target and client."""

import pytest
from django.core import mail

from yanxiu.accounts.domain import codes, sms
from yanxiu.accounts.models import CodePurpose, VerificationCode
from yanxiu.core.refusal import Refused

pytestmark = pytest.mark.django_db

MOBILE = "13800001111"
PURPOSE = CodePurpose.REGISTER_MOBILE


def sent_code(django_capture_on_commit_callbacks, target=MOBILE, client="203.0.113.5"):
    with django_capture_on_commit_callbacks(execute=True):
        codes.send_by_sms(PURPOSE, target, client=client)
    return sms.outbox[-1].body.split("验证码是 ")[1][:6]


def test_a_code_is_texted_and_kept_only_as_hashes(django_capture_on_commit_callbacks):
    code = sent_code(django_capture_on_commit_callbacks)
    assert [m.to for m in sms.outbox] == [MOBILE]
    row = VerificationCode.objects.get()
    assert code not in row.code_hash
    assert MOBILE not in row.target_hash
    assert row.client_ip == "203.0.113.5"
    assert codes.check(PURPOSE, MOBILE, code) is True


def test_a_code_by_email_goes_through_django_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        codes.send_by_email(CodePurpose.REGISTER_EMAIL, "a@example.invalid")
    assert [m.to for m in mail.outbox] == [["a@example.invalid"]]
    code = mail.outbox[0].body.split("验证码是 ")[1][:6]
    assert codes.check(CodePurpose.REGISTER_EMAIL, "a@example.invalid", code) is True


def test_a_code_is_used_once(django_capture_on_commit_callbacks):
    code = sent_code(django_capture_on_commit_callbacks)
    codes.check(PURPOSE, MOBILE, code)
    with pytest.raises(Refused, match="请先获取验证码"):
        codes.check(PURPOSE, MOBILE, code)


def test_a_code_expires_after_ten_minutes(django_capture_on_commit_callbacks, wall_clock):
    code = sent_code(django_capture_on_commit_callbacks)
    wall_clock.move(minutes=9, seconds=59)
    assert codes.check(PURPOSE, MOBILE, code, use=False) is True
    wall_clock.move(seconds=1)
    with pytest.raises(Refused, match="不正确或已失效"):
        codes.check(PURPOSE, MOBILE, code)


def test_a_code_is_for_its_target_and_purpose(django_capture_on_commit_callbacks):
    code = sent_code(django_capture_on_commit_callbacks)
    with pytest.raises(Refused):
        codes.check(PURPOSE, "13800002222", code)
    with pytest.raises(Refused):
        codes.check(CodePurpose.PASSWORD_RESET, MOBILE, code)
    assert codes.check(PURPOSE, MOBILE, code) is True


def test_five_wrong_tries_spend_the_code_even_the_right_one_after(django_capture_on_commit_callbacks):
    code = sent_code(django_capture_on_commit_callbacks)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(4):
        with pytest.raises(Refused, match="不正确或已失效"):
            codes.check(PURPOSE, MOBILE, wrong)
    with pytest.raises(Refused, match="输错次数过多"):
        codes.check(PURPOSE, MOBILE, wrong)
    assert VerificationCode.objects.get().attempts == 5
    with pytest.raises(Refused, match="不正确或已失效"):
        codes.check(PURPOSE, MOBILE, code)


def test_a_new_code_replaces_the_earlier_one(django_capture_on_commit_callbacks):
    first = sent_code(django_capture_on_commit_callbacks)
    second = sent_code(django_capture_on_commit_callbacks)
    if first != second:
        with pytest.raises(Refused):
            codes.check(PURPOSE, MOBILE, first, use=False)
    assert codes.check(PURPOSE, MOBILE, second) is True


def test_codes_to_one_target_are_limited_per_hour(django_capture_on_commit_callbacks, settings):
    settings.YANXIU_CODES_PER_TARGET = 3
    for n in range(3):
        sent_code(django_capture_on_commit_callbacks, client=f"203.0.113.{n}")
    with pytest.raises(Refused, match="发送过于频繁"):
        sent_code(django_capture_on_commit_callbacks, client="203.0.113.99")
    assert len(sms.outbox) == 3
    sent_code(django_capture_on_commit_callbacks, target="13800002222")  # another mobile still gets one


def test_codes_from_one_client_are_limited_per_hour(django_capture_on_commit_callbacks, settings):
    settings.YANXIU_CODES_PER_CLIENT = 2
    sent_code(django_capture_on_commit_callbacks, target="13800000001")
    sent_code(django_capture_on_commit_callbacks, target="13800000002")
    with pytest.raises(Refused, match="本网络地址"):
        sent_code(django_capture_on_commit_callbacks, target="13800000003")
    sent_code(django_capture_on_commit_callbacks, target="13800000003", client="198.51.100.7")
    assert [m.to for m in sms.outbox] == ["13800000001", "13800000002", "13800000003"]


def test_the_console_backend_prints_the_message(capsys):
    sms.ConsoleBackend().send_messages([sms.TextMessage("13800001111", "验证码是 123456")])
    assert capsys.readouterr().out == "[短信] 发往 13800001111：验证码是 123456\n"
