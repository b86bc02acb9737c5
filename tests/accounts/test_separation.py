"""三员分立 cannot be broken (issue 22, decision 0019): each administrator's forbidden change is
posted with a payload that would succeed without the check, and every allowed change is an
audit entry with before and after that the audit administrator reads."""

import io

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from yanxiu.accounts.domain import changes
from yanxiu.accounts.models import Role, User
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused

pytestmark = pytest.mark.django_db

GOOD = "Neu-Passwort-2026"


def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def reset_url(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


def payload(user, **overrides):
    """Everything the change form shows, as the page would post it, plus `overrides`."""
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "phone": user.phone,
        "role": user.role,
        "institution": user.institution_id or "",
        "authority": user.authority_id or "",
        "_save": "保存",
    }
    if user.is_active:
        data["is_active"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def back_door(**overrides):
    """The fields no page may set: superuser, groups, single permissions (audit.view_auditentry)."""
    group = Group.objects.create(name="审计")
    return {
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [group.pk],
        "user_permissions": [Permission.objects.get(codename="view_auditentry").pk],
        **overrides,
    }


@pytest.fixture
def sysadmin():
    return factories.user(Role.SYSTEM_ADMIN, must_change_password=False)


@pytest.fixture
def secadmin():
    return factories.user(Role.SECURITY_ADMIN, must_change_password=False)


@pytest.fixture
def auditor():
    return factories.user(Role.AUDIT_ADMIN, must_change_password=False)


# --- superuser, groups, single permissions: in no form -------------------------------------


def test_the_system_administrator_cannot_tick_superuser_groups_or_permissions_on_an_account(client, sysadmin):
    staff = factories.staff()
    client.force_login(sysadmin)
    response = client.post(change_url(staff), payload(staff, display_name="改过的名字", **back_door()))
    assert response.status_code == 302  # the rest of the change is saved…
    staff.refresh_from_db()
    assert staff.display_name == "改过的名字"
    assert (staff.is_superuser, staff.is_staff) == (False, False)  # …the back door is not
    assert list(staff.groups.all()) == []
    assert list(staff.user_permissions.all()) == []
    assert not staff.has_perm("audit.view_auditentry")


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN])
def test_no_administrator_can_change_their_own_account(client, role):
    admin_user = factories.user(role, must_change_password=False)
    client.force_login(admin_user)
    assert client.get(change_url(admin_user)).status_code == 200  # they may read it
    response = client.post(change_url(admin_user), payload(admin_user, **back_door()))
    assert response.status_code == 403
    admin_user.refresh_from_db()
    assert not admin_user.is_superuser
    assert list(admin_user.user_permissions.all()) == []
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 403
    assert client.get(reverse("audit:trail")).status_code == 403


def test_no_page_edits_groups():
    from django.contrib import admin

    assert not admin.site.is_registered(Group)


def test_the_security_administrator_reads_accounts_but_changes_none(client, secadmin):
    staff = factories.staff()
    client.force_login(secadmin)
    assert client.get(change_url(staff)).status_code == 200
    response = client.post(change_url(staff), payload(staff, display_name="改过的名字", is_active=None))
    assert response.status_code == 403
    staff.refresh_from_db()
    assert (staff.display_name, staff.is_active) != ("改过的名字", False)
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403


# --- administrator roles: only the command on the server -------------------------------------


def test_the_system_administrator_cannot_give_an_administrator_role(client, sysadmin):
    staff = factories.staff()
    client.force_login(sysadmin)
    response = client.post(change_url(staff), payload(staff, role=Role.AUDIT_ADMIN, institution=""))
    assert response.status_code == 200  # the form again, with the reason
    staff.refresh_from_db()
    assert staff.role == Role.INSTITUTION_STAFF
    assert not AuditEntry.objects.account_changes().exists()


def test_the_system_administrator_cannot_create_an_administrator(client, sysadmin):
    client.force_login(sysadmin)
    data = {"username": "new_auditor", "password1": GOOD, "password2": GOOD, "role": Role.AUDIT_ADMIN}
    assert client.post(reverse("admin:accounts_user_add"), data).status_code == 200
    assert not User.objects.filter(username="new_auditor").exists()
    data["role"] = Role.EXPERT  # the same form with a business role is accepted
    assert client.post(reverse("admin:accounts_user_add"), data).status_code == 302
    created = User.objects.get(username="new_auditor")
    assert (created.role, created.must_change_password, created.is_superuser) == (Role.EXPERT, True, False)
    entry = AuditEntry.objects.get(action="account_create")
    assert (entry.username, entry.actor, entry.data["by"]) == ("new_auditor", sysadmin, sysadmin.username)
    assert {"field": "角色", "before": "", "after": "评审专家"} in entry.data["changes"]


def test_the_domain_refuses_an_administrator_role_whatever_the_form_offers(sysadmin):
    staff = factories.staff()
    staff.role = Role.SECURITY_ADMIN
    with pytest.raises(Refused, match=r"manage\.py set_admin_role"):
        changes.change_account(sysadmin, staff)
    assert User.objects.get(pk=staff.pk).role == Role.INSTITUTION_STAFF


@pytest.mark.parametrize("role", [Role.AUDIT_ADMIN, Role.SECURITY_ADMIN])
def test_the_system_administrator_cannot_change_another_administrators_account(client, sysadmin, role):
    other = factories.user(role)
    client.force_login(sysadmin)
    response = client.post(change_url(other), payload(other, is_active=None))  # deactivate them
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.is_active


def test_a_bootstrap_superuser_is_no_system_administrators_account(client, sysadmin):
    root = factories.user(Role.EXPERT, is_superuser=True)
    client.force_login(sysadmin)
    assert client.post(change_url(root), payload(root, is_active=None)).status_code == 403
    root.refresh_from_db()
    assert root.is_active


def test_the_command_creates_and_assigns_administrators_and_is_audited():
    out = io.StringIO()
    call_command("set_admin_role", "new_sec", Role.SECURITY_ADMIN, "--create", stdout=out)
    created = User.objects.get(username="new_sec")
    assert (created.role, created.is_staff, created.must_change_password) == (Role.SECURITY_ADMIN, True, True)
    assert "初始密码" in out.getvalue()
    staff = factories.staff()
    call_command("set_admin_role", staff.username, Role.AUDIT_ADMIN, stdout=io.StringIO())
    staff.refresh_from_db()
    assert (staff.role, staff.is_staff) == (Role.AUDIT_ADMIN, False)
    entry = AuditEntry.objects.get(action="admin_role_assign")
    assert entry.actor is None
    assert entry.data["by"].startswith("manage.py set_admin_role")
    assert {"field": "角色", "before": "承办单位经办人", "after": "审计管理员"} in entry.data["changes"]
    with pytest.raises(CommandError, match="业务角色由系统管理员"):
        call_command("set_admin_role", factories.staff().username, Role.EXPERT, stdout=io.StringIO())


# --- the system administrator's allowed changes are audited with before and after -------------


def test_a_business_account_change_is_audited_and_the_auditor_reads_it(client, sysadmin, auditor):
    staff = factories.staff()
    other = factories.institution()
    client.force_login(sysadmin)
    response = client.post(change_url(staff), payload(staff, institution=other.pk, is_active=None))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="account_change")
    assert (entry.username, entry.actor) == (staff.username, sysadmin)
    assert entry.data["changes"] == [
        {"field": "所属单位", "before": staff.institution.name, "after": other.name},
        {"field": "有效", "before": "是", "after": "否"},
    ]
    client.force_login(auditor)
    page = client.get(reverse("audit:trail"), {"kind": "accounts"}).content.decode()
    assert f"所属单位：{staff.institution.name} → {other.name}" in page
    assert "有效：是 → 否" in page
    assert sysadmin.username in page


# --- passwords: the security administrator's, never their own -------------------------------


def test_the_system_administrator_cannot_set_the_auditors_password(client, sysadmin, auditor):
    client.force_login(sysadmin)
    response = client.post(reset_url(auditor), {"password1": GOOD, "password2": GOOD})
    assert response.status_code == 403
    assert "安全管理员的职责" in response.content.decode()
    auditor.refresh_from_db()
    assert not auditor.check_password(GOOD)


def test_the_security_administrator_resets_others_but_not_their_own(client, secadmin, auditor):
    client.force_login(secadmin)
    assert client.post(reset_url(secadmin), {"password1": GOOD, "password2": GOOD}).status_code == 403
    secadmin.refresh_from_db()
    assert not secadmin.check_password(GOOD)
    assert client.post(reset_url(auditor), {"password1": GOOD, "password2": GOOD}).status_code == 302
    auditor.refresh_from_db()
    assert auditor.check_password(GOOD)
    assert auditor.must_change_password
    entry = AuditEntry.objects.get(action="password_reset")
    assert (entry.username, entry.actor) == (auditor.username, secadmin)
    assert {"field": "须修改密码", "before": "否", "after": "是"} in entry.data["changes"]


def test_the_reset_link_is_shown_to_the_security_administrator_only(client, secadmin, sysadmin):
    staff = factories.staff()
    client.force_login(secadmin)
    assert 'data-testid="reset-password"' in client.get(change_url(staff)).content.decode()
    client.force_login(sysadmin)
    assert 'data-testid="reset-password"' not in client.get(change_url(staff)).content.decode()


# --- lockouts and second factors: the security administrator's, never their own ------------------


def attempt(username):
    return AccessAttempt.objects.create(
        username=username, ip_address="10.0.0.9", user_agent="x", get_data="", post_data="", failures_since_start=5
    )


def test_unlocking_is_the_security_administrators_and_audited(client, secadmin, sysadmin):
    staff = factories.staff()
    locked = attempt(staff.username)
    delete = reverse("admin:axes_accessattempt_delete", args=[locked.pk])
    client.force_login(sysadmin)
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AccessAttempt.objects.filter(pk=locked.pk).exists()
    client.force_login(secadmin)
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.filter(pk=locked.pk).exists()
    entry = AuditEntry.objects.get(action="account_unlock")
    assert (entry.username, entry.actor) == (staff.username, secadmin)
    assert entry.data["changes"] == [{"field": "连续失败次数", "before": "5", "after": "0"}]


def test_the_security_administrator_cannot_unlock_themselves(client, secadmin):
    client.force_login(secadmin)  # (a login clears its own account's failures: lock after it)
    own = attempt(secadmin.username)
    response = client.post(reverse("admin:axes_accessattempt_delete", args=[own.pk]), {"post": "yes"})
    assert response.status_code == 403
    bulk = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [own.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)
    assert AccessAttempt.objects.filter(pk=own.pk).exists()
    assert not AuditEntry.objects.filter(action="account_unlock").exists()


def test_removing_a_device_is_audited_and_never_ones_own(client, secadmin):
    officer = factories.province_officer()
    theirs = TOTPDevice.objects.create(user=officer, name="手机", confirmed=True)
    own = TOTPDevice.objects.create(user=secadmin, name="手机", confirmed=True)
    client.force_login(secadmin)
    own_delete = reverse("admin:otp_totp_totpdevice_delete", args=[own.pk])
    assert client.post(own_delete, {"post": "yes"}).status_code == 403
    assert TOTPDevice.objects.filter(pk=own.pk).exists()
    theirs_delete = reverse("admin:otp_totp_totpdevice_delete", args=[theirs.pk])
    assert client.post(theirs_delete, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=theirs.pk).exists()
    entry = AuditEntry.objects.get(action="otp_device_remove")
    assert (entry.username, entry.actor) == (officer.username, secadmin)
    assert entry.data["changes"][0]["after"] == "已删除"


def test_the_lockout_message_sends_users_to_the_security_administrator():
    from yanxiu.accounts.lockout import locked_message

    assert "请联系安全管理员" in locked_message()
    assert "系统管理员" not in locked_message()


def test_login_records_are_never_deleted(client, secadmin):
    from axes.models import AccessLog

    record = AccessLog.objects.create(username="zzzz", ip_address="10.0.0.9", user_agent="x")
    client.force_login(secadmin)
    assert client.get(reverse("admin:axes_accesslog_change", args=[record.pk])).status_code == 200
    response = client.post(reverse("admin:axes_accesslog_delete", args=[record.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert AccessLog.objects.filter(pk=record.pk).exists()


def test_the_offices_changes_to_its_experts_accounts_are_account_changes():
    from yanxiu.reviews.domain.experts import create_expert, reset_expert_password, update_expert

    officer = factories.province_officer()
    expert, _password = create_expert(
        actor=officer, username="zj_audit", display_name="审计专家", affiliation="福州大学"
    )
    created = AuditEntry.objects.account_changes().get(action="account_create")
    assert (created.username, created.actor) == ("zj_audit", officer)
    update_expert(
        expert.expert_profile, actor=officer, display_name="审计专家", is_active=False, affiliation="福州大学"
    )
    changed = AuditEntry.objects.account_changes().get(action="account_change")
    assert changed.data["changes"] == [{"field": "有效", "before": "是", "after": "否"}]
    reset_expert_password(expert.expert_profile, actor=officer)
    reset = AuditEntry.objects.account_changes().get(action="password_reset")
    assert (reset.username, reset.actor) == ("zj_audit", officer)
    assert reset.data["changes"] == [{"field": "密码", "before": "已设置", "after": "已重置（须在下次登录时修改）"}]
