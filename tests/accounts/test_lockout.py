"""Failed logins (django-axes): the account locks at the 5th failure for 15 minutes,
an address at its own limit; the page never tells whether the account exists."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from tests import factories
from yanxiu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"
LOCKED = "登录失败次数过多，已暂时锁定，请 15 分钟后再试。"
WRONG = "用户名或密码不正确，请重试。"


def attempt(client, username, password, address="198.51.100.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client):
    return "_auth_user_id" in client.session


def test_the_fifth_failure_locks_and_the_right_password_then_does_not_log_in(client):
    user = factories.staff()
    for _ in range(4):
        response = attempt(client, user.username, "wrong")
        assert response.status_code == 200
        assert WRONG in response.content.decode()
    fifth = attempt(client, user.username, "wrong")
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()
    sixth = attempt(client, user.username, PASSWORD)
    assert sixth.status_code == 429
    assert LOCKED in sixth.content.decode()
    assert not logged_in(client)


def test_the_lock_is_the_same_for_an_account_that_does_not_exist(client):
    for _ in range(4):
        attempt(client, "nobody-here", "wrong")
    response = attempt(client, "nobody-here", "wrong")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_the_account_is_locked_from_another_address_too(client):
    user = factories.staff()
    for n in range(5):
        attempt(client, user.username, "wrong", address=f"198.51.100.{n + 10}")
    assert attempt(client, user.username, PASSWORD, address="203.0.113.1").status_code == 429
    assert not logged_in(client)


def test_after_fifteen_minutes_the_right_password_logs_in(client):
    user = factories.staff()
    for _ in range(5):
        attempt(client, user.username, "wrong")
    # Axes measures the cool-off on its own records: age them as 15 minutes would.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))
    response = attempt(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_fourteen_minutes_later_it_is_still_locked(client):
    user = factories.staff()
    for _ in range(5):
        attempt(client, user.username, "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert attempt(client, user.username, PASSWORD).status_code == 429


def test_an_address_locks_at_its_own_limit_across_accounts(client, settings):
    users = [factories.staff() for _ in range(6)]
    # 19 failures spread over accounts (never 5 on one) from one address: not yet.
    for n in range(19):
        attempt(client, users[n % 5].username, "wrong", address="198.51.100.77")
    assert attempt(client, users[5].username, PASSWORD, address="198.51.100.77").status_code == 302
    client.logout()
    attempt(client, users[4].username, "wrong", address="198.51.100.77")  # the 20th from the address
    assert attempt(client, users[5].username, PASSWORD, address="198.51.100.77").status_code == 429
    # Another address is not affected.
    assert attempt(client, users[5].username, PASSWORD, address="198.51.100.78").status_code == 302


def test_failures_and_the_lockout_are_audited_with_account_address_and_outcome(client):
    user = factories.staff()
    for _ in range(5):
        attempt(client, user.username, "wrong", address="198.51.100.9")
    failures = AuditEntry.objects.filter(action="login_failed")
    assert failures.count() == 5
    assert set(failures.values_list("username", "client_ip")) == {(user.username, "198.51.100.9")}
    assert list(failures.values_list("outcome", flat=True)) == ["failure"] * 4 + ["refused"]
    lockout = AuditEntry.objects.get(action="lockout")
    assert (lockout.username, lockout.client_ip, lockout.outcome) == (user.username, "198.51.100.9", "refused")
