"""API tokens obey their owner's account (issue 22, decision 0019): no tokens for administrators;
a deciding role's token lives no longer than the second-factor web login it was made in; an
inactive, locked or must-change-password account cannot use any token. Each token refused here
answered 200 just before, so the check is what refuses it."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests import factories
from yanxiu.accounts.models import Role
from yanxiu.api.domain import tokens
from yanxiu.api.models import ApiToken
from yanxiu.audit.models import AuditEntry
from yanxiu.core import clock
from yanxiu.core.refusal import Refused

pytestmark = pytest.mark.django_db

CALLS = "/api/v1/calls"


def use(client, token):
    return client.get(CALLS, HTTP_AUTHORIZATION=f"Bearer {token}")


def refusal(response):
    assert response.status_code == 401
    assert response.json()["code"] == "token_refused"
    return response.json()["message"]


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_administrators_get_no_token(role):
    with pytest.raises(Refused, match="系统管理员、安全管理员和审计管理员在系统管理和审计页面办理职责"):
        factories.api_token(factories.user(role))
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("role", [Role.PROVINCE_OFFICER, Role.AUTHORITY_REVIEWER])
def test_a_deciding_role_needs_a_web_login_with_the_second_factor(settings, role):
    extra = {"authority": factories.authority()} if role == Role.AUTHORITY_REVIEWER else {}
    user = factories.user(role, **extra)
    with pytest.raises(Refused, match="只能在网页登录后创建"):
        tokens.create_token(user, name="对接", days=365)
    settings.YANXIU_OTP_REQUIRED = True
    with pytest.raises(Refused, match="请先完成双因素认证"):
        tokens.create_token(user, name="对接", days=365, login=factories.web_login(verified=False))
    assert not ApiToken.objects.exists()
    saved, _token = tokens.create_token(user, name="对接", days=365, login=factories.web_login(verified=True))
    assert saved.expires_at - saved.created_at == timedelta(hours=8)  # not 365 days


def test_a_deciding_roles_token_ends_with_its_login(client):
    officer = factories.user(Role.PROVINCE_OFFICER, must_change_password=False)
    client.post("/login/", {"username": officer.username, "password": "pw-for-tests"})
    page = client.post(reverse("api_tokens"), {"name": "数据分析", "days": "365"})
    assert 'data-testid="session-bound"' in page.content.decode()
    token = page.context["created"]
    api_client = type(client)()
    assert use(api_client, token).status_code == 200
    client.post(reverse("logout"))
    assert use(api_client, token).status_code == 401  # revoked with the logout
    entry = AuditEntry.objects.get(action="revoke_api_token")
    assert (entry.username, entry.reason) == (officer.username, "创建它的登录已结束")


def test_a_deciding_roles_token_ends_after_idle_time_and_eight_hours(client, wall_clock):
    officer = factories.province_officer()
    _saved, token = factories.api_token(officer)
    wall_clock.move(minutes=25)
    assert use(client, token).status_code == 200  # still in use: the idle time starts again
    wall_clock.move(minutes=25)
    assert use(client, token).status_code == 200
    wall_clock.move(minutes=31)
    assert "已长时间未使用" in refusal(use(client, token))
    other_saved, other = factories.api_token(officer)
    assert use(client, other).status_code == 200
    ApiToken.objects.filter(pk=other_saved.pk).update(bound_login_at=clock.wall_now() - timedelta(hours=8, seconds=1))
    assert "最长时限" in refusal(use(client, other))


def test_an_institutions_long_token_is_not_bound_to_a_login(client, wall_clock):
    saved, token = factories.api_token(factories.staff(), days=365)
    assert saved.expires_at - saved.created_at == timedelta(days=365)
    wall_clock.move(hours=9)
    assert use(client, token).status_code == 200


def test_an_inactive_account_cannot_use_its_token(client):
    user = factories.staff()
    _saved, token = factories.api_token(user, days=365)
    assert use(client, token).status_code == 200
    user.is_active = False
    user.save()
    assert refusal(use(client, token)) == "账号已停用，令牌不能使用。"


def test_a_locked_account_cannot_use_its_token(client):
    user = factories.staff()
    _saved, token = factories.api_token(user, days=365)
    assert use(client, token).status_code == 200
    AccessAttempt.objects.create(
        username=user.username, ip_address="10.0.0.9", user_agent="x", get_data="", post_data="", failures_since_start=5
    )
    assert "已暂时锁定" in refusal(use(client, token))


def test_an_account_that_must_change_its_password_cannot_use_its_token(client, settings, wall_clock):
    user = factories.staff()
    user.must_change_password = False
    user.password_changed_at = clock.wall_now()
    user.save()
    _saved, token = factories.api_token(user, days=365)
    assert use(client, token).status_code == 200
    wall_clock.move(days=91)  # the password expired
    assert "须先在网页上修改密码" in refusal(use(client, token))
    wall_clock.move(days=-91)
    assert use(client, token).status_code == 200
    settings.YANXIU_FORCE_PASSWORD_CHANGE = True
    user.must_change_password = True  # an administrator's reset
    user.save()
    assert "须先在网页上修改密码" in refusal(use(client, token))


def test_issuing_a_token_is_an_account_change_the_auditor_reads(client):
    user = factories.staff()
    saved, _token = factories.api_token(user, days=30, name="数据对接")
    entry = AuditEntry.objects.account_changes().get(action="create_api_token")
    assert (entry.username, entry.actor, entry.object_id) == (user.username, user, saved.pk)
    assert entry.data["changes"][0]["before"] == ""
    assert entry.data["changes"][0]["after"].startswith(f"数据对接（{saved.prefix}…，有效期至 ")
    client.force_login(factories.user(Role.AUDIT_ADMIN))
    page = client.get(reverse("audit:trail"), {"kind": "accounts"}).content.decode()
    assert f"API 令牌：（空） → 数据对接（{saved.prefix}…" in page
