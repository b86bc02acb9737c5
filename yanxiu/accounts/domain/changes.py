"""Every change to an account goes through here: who may make it, the change, its audit entry.

三员分立 (GB/T 22239-2019 8.1.4.2, decision 0019): the system administrator keeps the
accounts of the business roles (create, name, organisation, role, active); the security
administrator resets passwords, unlocks accounts and removes second-factor devices; the
audit administrator reads. Nobody acts on their own account's duties, and the
administrator roles are set only by `manage.py set_admin_role` on the server.
Superuser status, groups and single permissions are set by no page.

Each function checks the named permission (`accounts.*` in rules.py), changes, and writes
one `audit.log.account_change` entry with every changed field before and after, in one
transaction. Registration, invitations and unified identity reuse `create_account`,
`change_account` and `record` (with their own actor and `via`).

Each organisation administers its own staff (decision 0024): an account with `is_org_admin`
invites colleagues (`invite_account`, `resend_invitation`), deactivates and reactivates them
(`deactivate`, `reactivate`), never its own account, never an administrator's, never another
organisation's (`accounts.manage_staff`). The province office invites the pool's experts
(`invite_expert`, `accounts.invite_expert`). The invitee sets the password with `accept_invitation`.
"""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction

from yanxiu.audit import log
from yanxiu.core import clock
from yanxiu.core.masks import mask_email, mask_id_number, mask_phone
from yanxiu.core.refusal import Refused

from ..models import ADMIN_ROLES, Role, User
from . import invitations

# What an account change records, in the order the auditor reads it. Personal data is masked.
FIELDS = {
    "username": "账号",
    "display_name": "姓名",
    "email": "电子邮箱",
    "phone": "电话",
    "id_number": "身份证号",
    "role": "角色",
    "institution": "所属单位",
    "authority": "所属主管部门",
    "is_active": "有效",
    "must_change_password": "须修改密码",
    "is_org_admin": "本单位账号管理员",
    "is_superuser": "超级用户",
}
MASKS = {"email": mask_email, "phone": mask_phone, "id_number": mask_id_number}
YES_NO = {True: "是", False: "否"}

# Refusals, one sentence each, shown on the page that was refused.
NOT_YOURS = "系统管理员只能管理业务账号；管理员账号由部署人员在服务器上用命令设置。"
OWN_ACCOUNT = "不能对自己的账号执行管理操作（本人修改密码请使用“修改密码”）。"
ADMIN_ROLE_BY_COMMAND = "管理员角色（系统、安全、审计管理员）只能由部署人员在服务器上用 manage.py set_admin_role 设置。"
NOT_SECURITY_ADMIN = "重置密码、解除锁定和删除双因素设备是安全管理员的职责。"
NOT_SYSTEM_ADMIN = "账号的创建和修改是系统管理员的职责。"


def snapshot(user):
    """The recorded fields of an account as texts."""
    values = {}
    for name in FIELDS:
        value = getattr(user, name)
        if name in MASKS:
            value = MASKS[name](value)
        elif name == "role":
            value = Role(value).label if value in Role.values else value
        elif name in ("institution", "authority"):
            related = getattr(user, f"{name}_id")
            value = str(getattr(user, name)) if related else ""
        elif isinstance(value, bool):
            value = YES_NO[value]
        values[name] = value or ""
    return values


def differences(before, after):
    return [(FIELDS[name], before[name], after[name]) for name in FIELDS if before[name] != after[name]]


def record(action, account, *, actor, before=None, request=None, obj=None, reason="", via="", changes=None):
    """The audit entry of one account change (after the change is saved)."""
    if changes is None:
        changes = differences(before or dict.fromkeys(FIELDS, ""), snapshot(account))
    return log.account_change(
        action, account=account, actor=actor, changes=changes, request=request, obj=obj, reason=reason, via=via
    )


def why_not_manage(actor, account=None):
    """Why `actor` may not create (account None) or change `account`, or ""."""
    if actor.has_perm("accounts.manage_account", account):
        return ""
    if getattr(actor, "role", None) != Role.SYSTEM_ADMIN:
        return NOT_SYSTEM_ADMIN
    if account is not None and account.username == actor.username:
        return OWN_ACCOUNT
    return NOT_YOURS


def check_new_values(account):
    """The role a system administrator may give: a business role."""
    if account.role in ADMIN_ROLES:
        raise Refused(ADMIN_ROLE_BY_COMMAND, code="admin_role_by_command", errors={"role": ADMIN_ROLE_BY_COMMAND})


def _refuse_unless(reason):
    if reason:
        raise Refused(reason, code="account_duty")


def create_account(actor, account, *, request=None, via=""):
    """Save a new account someone else sets up (its owner changes the password at the first login)."""
    _refuse_unless(why_not_manage(actor))
    check_new_values(account)
    with transaction.atomic():
        account.must_change_password = True
        account.is_superuser = False
        account.save()
        record("account_create", account, actor=actor, request=request, via=via)
    return account


def register_account(account, *, request=None):
    """The first account of an institution that registers itself (public page, no actor): its
    administrator (`is_org_admin`), with the password its owner chose. Only a business role
    inside an institution; audited as `account_create` via registration (decision 0023)."""
    if account.role != Role.INSTITUTION_STAFF or not account.institution_id:
        raise Refused("注册只能创建承办单位的账号。", code="registration_role")
    with transaction.atomic():
        account.is_superuser = False
        account.is_staff = False
        account.is_org_admin = True
        account.must_change_password = False  # the owner chose it
        account.save()
        record("account_create", account, actor=None, request=request, via="registration")
    return account


SELF_SERVICE = {"email": "自助找回（邮件链接）", "sms": "自助找回（短信验证码）"}


def validate_new_password(account, raw_password, field="new_password1"):
    try:
        password_validation.validate_password(raw_password, account)
    except ValidationError as error:
        raise Refused("；".join(error.messages), code="weak_password", errors={field: error.messages[0]}) from None


def reset_own_password(account, raw_password, *, via, request=None):
    """A password its owner sets after proving the e-mail link or the SMS code (accounts.domain.reset):
    the password rules and history apply; audited as `password_reset` via e-mail or SMS."""
    validate_new_password(account, raw_password)
    with transaction.atomic():
        account.set_password(raw_password)
        account.must_change_password = False
        account.save()
        record(
            "password_reset",
            account,
            actor=account,
            request=request,
            changes=[("密码", "已设置", "已由本人重置")],
            reason=SELF_SERVICE[via],
            via=via,
        )


IDENTITY_ROLES = (Role.INSTITUTION_STAFF,)
NOT_BY_IDENTITY = "统一身份认证只能为承办单位经办人开设账号；省人社厅、主管部门和管理员的账号不能这样开设。"
NOT_THE_INSTITUTIONS_ADMIN = "只有本单位的管理员才能确认本单位的统一身份认证绑定。"


def create_identity_account(actor, account, *, request=None, via="统一身份认证"):
    """A host institution's staff account for a legal entity's unified-identity login
    (decision 0025), made when the institution's own administrator (`actor`) confirms it. It
    has no password: its owner logs in through the provider only. Never another role."""
    if account.role not in IDENTITY_ROLES or account.is_org_admin or not account.institution_id:
        raise Refused(NOT_BY_IDENTITY, code="not_by_identity")
    if not (
        actor.is_active
        and actor.is_institution_staff
        and actor.is_org_admin
        and actor.institution_id == account.institution_id
    ):
        raise Refused(NOT_THE_INSTITUTIONS_ADMIN, code="account_duty")
    with transaction.atomic():
        account.set_unusable_password()
        account.must_change_password = False  # no password to change
        account.is_superuser = account.is_staff = False
        account.save()
        record("account_create", account, actor=actor, request=request, via=via)
    return account


def change_account(actor, account, *, request=None, reason=""):
    """Save the changed `account` (new values set on the instance): checked against the stored row."""
    with transaction.atomic():
        stored = User.objects.select_for_update().get(pk=account.pk)
        _refuse_unless(why_not_manage(actor, stored))
        check_new_values(account)
        for locked in ("is_superuser", "is_staff", "password", "must_change_password"):
            setattr(account, locked, getattr(stored, locked))  # not a system administrator's to change
        before = snapshot(stored)
        account.save()
        changes = differences(before, snapshot(account))
        if changes:
            record("account_change", account, actor=actor, request=request, reason=reason, changes=changes)
    return account


def why_not_reset(actor, account):
    if actor.has_perm("accounts.reset_password", account):
        return ""
    if getattr(actor, "role", None) != Role.SECURITY_ADMIN:
        return NOT_SECURITY_ADMIN
    return OWN_ACCOUNT


def reset_password(actor, account, raw_password, *, request=None):
    """A password the security administrator sets: temporary, its owner changes it at the next login."""
    _refuse_unless(why_not_reset(actor, account))
    try:
        password_validation.validate_password(raw_password, account)
    except ValidationError as error:
        raise Refused(
            "；".join(error.messages), code="weak_password", errors={"password1": error.messages[0]}
        ) from None
    with transaction.atomic():
        before = snapshot(account)
        was = account.password_changed_at
        account.set_password(raw_password)
        account.must_change_password = True
        account.save()
        changes = [
            ("密码", "已设置" if was else "未设置", "已重置（须在下次登录时修改）"),
            *differences(before, snapshot(account)),
        ]
        record(
            "password_reset",
            account,
            actor=actor,
            request=request,
            changes=changes,
            reason=f"由 {actor.username} 重置，须在下次登录时修改",
        )
    return account


def why_not_unlock(actor, username):
    if actor.has_perm("accounts.unlock_account", username):
        return ""
    if getattr(actor, "role", None) != Role.SECURITY_ADMIN:
        return NOT_SECURITY_ADMIN
    return OWN_ACCOUNT


def unlock(actor, attempts, *, request=None):
    """Remove failed-login records (axes' AccessAttempt rows): the account or address may log in again."""
    attempts = list(attempts)
    for attempt in attempts:
        _refuse_unless(why_not_unlock(actor, attempt.username))
    with transaction.atomic():
        for attempt in attempts:
            account = User.objects.filter(username=attempt.username).first()
            log.account_change(
                "account_unlock",
                account=account,
                username=attempt.username,
                actor=actor,
                request=request,
                changes=[("连续失败次数", attempt.failures_since_start, 0)],
                reason=f"地址 {attempt.ip_address}" if attempt.ip_address else "",
            )
            attempt.delete()


def why_not_remove_device(actor, device):
    if actor.has_perm("accounts.remove_device", device.user):
        return ""
    if getattr(actor, "role", None) != Role.SECURITY_ADMIN:
        return NOT_SECURITY_ADMIN
    return OWN_ACCOUNT


def remove_device(actor, device, *, request=None):
    """Delete a second-factor device (a lost phone): its owner enrols again at the next login."""
    _refuse_unless(why_not_remove_device(actor, device))
    with transaction.atomic():
        log.account_change(
            "otp_device_remove",
            account=device.user,
            actor=actor,
            request=request,
            changes=[("双因素设备", f"{device._meta.verbose_name}“{device.name}”", "已删除")],
        )
        device.delete()


def _via(operator):
    return f"manage.py set_admin_role（{operator}）"[:150]


def create_admin(username, role, password, *, display_name="", operator):
    """The bootstrap command's new administrator account (a temporary password)."""
    if role not in ADMIN_ROLES:
        raise Refused("用命令新建的只能是管理员账号。", code="business_role")
    with transaction.atomic():
        account = User(username=username, display_name=display_name, role=role)
        account.set_password(password)
        account.must_change_password = True
        account.save()
        record("account_create", account, actor=None, via=_via(operator))
    return account


def set_admin_role(account, role, *, operator):
    """The bootstrap command's door: give an account an administrator role, or take it back
    (role = a business role). Run on the server, so there is no actor; `operator` is who ran it."""
    if role not in Role.values:
        raise Refused(f"没有这个角色：{role}。", code="unknown_role")
    if account.role == role:
        raise Refused(f"{account.username} 已经是{Role(role).label}。", code="unchanged")
    if role not in ADMIN_ROLES and account.role not in ADMIN_ROLES:
        raise Refused("业务角色由系统管理员在账号管理中设置。", code="business_role")
    with transaction.atomic():
        before = snapshot(account)
        account.role = role
        account.is_superuser = False
        account.save()
        record(
            "admin_role_assign",
            account,
            actor=None,
            before=before,
            via=_via(operator),
        )
    return account


# --- Each organisation administers its own staff (decision 0024) -------------------------------

NOT_ORG_ADMIN = "只有本单位的账号管理员可以邀请、停用或启用本单位的账号。"
NOT_COLLEAGUE = "只能管理本单位的账号。"
ADMIN_ACCOUNT = "管理员账号（系统、安全、审计管理员）不在本单位账号管理范围内。"
NOT_OFFICE = "只有省人社厅经办人可以邀请评审专家。"
NOT_AN_EXPERT = "只能邀请专家库中的评审专家。"
ALREADY_SET_UP = "{who} 已经设置了登录密码，不再邀请（忘记密码请重置）。"
USERNAME = re.compile(r"^[\w.@+-]{1,150}$")


def why_not_manage_staff(actor, account=None):
    """Why `actor` may not invite a colleague (account None) or change `account`, or ""."""
    if actor.has_perm("accounts.manage_staff", account):
        return ""
    if not getattr(actor, "is_org_admin", False) or not actor.is_active:
        return NOT_ORG_ADMIN
    if account is not None and account.pk == actor.pk:
        return OWN_ACCOUNT
    if account is not None and (account.role in ADMIN_ROLES or account.is_superuser):
        return ADMIN_ACCOUNT
    return NOT_COLLEAGUE


def _check_invitee(username, display_name, email):
    errors = {}
    if not USERNAME.match(username or ""):
        errors["username"] = "登录用户名只能包含字母、数字和 @ . + - _，不超过150个字符。"
    elif User.objects.filter(username=username).exists():
        errors["username"] = f"登录用户名“{username}”已被使用。"
    if not (display_name or "").strip():
        errors["display_name"] = "请填写姓名。"
    try:
        EmailValidator()(email or "")
    except ValidationError:
        errors["email"] = "请填写有效的电子邮箱：邀请链接将发送到这个地址。"
    if errors:
        raise Refused("；".join(errors.values()), code="invalid_invitee", errors=errors)


def invite_account(actor, *, username, display_name, email, request=None):
    """A colleague's new account in the actor's organisation, with the actor's role, and the
    invitation e-mail that lets them set its password. Returns (account, invitation)."""
    _refuse_unless(why_not_manage_staff(actor))
    username, display_name, email = (username or "").strip(), (display_name or "").strip(), (email or "").strip()
    _check_invitee(username, display_name, email)
    account = User(
        username=username,
        display_name=display_name,
        email=email,
        role=actor.role,
        institution_id=actor.institution_id if actor.is_institution_staff else None,
        authority_id=actor.authority_id if actor.is_authority_reviewer else None,
        must_change_password=False,  # the invitee chooses the password
    )
    account.set_unusable_password()
    try:
        with transaction.atomic():
            account.save()
            invitation, _ = invitations.issue(account, invited_by=actor)
            record(
                "account_invite",
                account,
                actor=actor,
                request=request,
                reason=f"邀请链接已发送至 {mask_email(email)}，{invitation.expires_at:%Y-%m-%d} 前有效",
            )
    except IntegrityError:  # the same username taken by someone else between the check and the save
        taken = f"登录用户名“{username}”已被使用。"
        raise Refused(taken, code="invalid_invitee", errors={"username": taken}) from None
    return account, invitation


def _invitation_sent(action, account, invitation, previous, *, actor, request):
    changes = [("邀请链接", "有效（已作废）" if previous else "无", f"已发送，{invitation.expires_at:%Y-%m-%d} 前有效")]
    record(action, account, actor=actor, request=request, changes=changes, reason=f"发送至 {mask_email(account.email)}")


def resend_invitation(actor, account, *, request=None):
    """A new link for a colleague who has not set a password yet; the previous link stops working."""
    _refuse_unless(why_not_manage_staff(actor, account))
    if account.has_usable_password():
        raise Refused(ALREADY_SET_UP.format(who=account), code="has_password")
    with transaction.atomic():
        invitation, previous = invitations.issue(account, invited_by=actor)
        _invitation_sent("invitation_resend", account, invitation, previous, actor=actor, request=request)
    return invitation


def _set_active(action, actor, account, active, *, request=None, reason=""):
    with transaction.atomic():
        stored = User.objects.select_for_update().get(pk=account.pk)
        _refuse_unless(why_not_manage_staff(actor, stored))
        if stored.is_active == active:
            raise Refused(f"{stored} 已经是{'有效' if active else '停用'}状态。", code="unchanged")
        before = snapshot(stored)
        stored.is_active = active
        stored.save(update_fields=["is_active"])
        record(action, stored, actor=actor, before=before, request=request, reason=reason)
    account.is_active = active
    return stored


def deactivate(actor, account, *, request=None, reason=""):
    """A colleague's account stops working at once (their sessions and API tokens obey is_active)."""
    return _set_active("account_deactivate", actor, account, False, request=request, reason=reason)


def reactivate(actor, account, *, request=None, reason=""):
    return _set_active("account_reactivate", actor, account, True, request=request, reason=reason)


def why_not_invite_expert(actor, account):
    if actor.has_perm("accounts.invite_expert", account):
        if account.has_usable_password():
            return ALREADY_SET_UP.format(who=account)
        return ""
    if not getattr(actor, "is_province_officer", False) or not actor.is_active:
        return NOT_OFFICE
    return NOT_AN_EXPERT


def invite_expert(actor, account, *, request=None):
    """An expert of the pool without a password gets a link to set one (again: the earlier link
    stops working). An expert who has a password is not invited."""
    _refuse_unless(why_not_invite_expert(actor, account))
    with transaction.atomic():
        invitation, previous = invitations.issue(account, invited_by=actor)
        _invitation_sent(
            "invitation_resend" if previous else "account_invite",
            account,
            invitation,
            previous,
            actor=actor,
            request=request,
        )
    return invitation


def accept_invitation(token, password, *, request=None):
    """The invitee's own door: the link's account gets `password` (the password rules apply);
    the link is used up. Returns the account."""
    with transaction.atomic():
        invitation = invitations.find(token, for_update=True)
        account = invitation.user
        try:
            password_validation.validate_password(password, account)
        except ValidationError as error:
            raise Refused(
                "；".join(error.messages), code="weak_password", errors={"new_password1": error.messages}
            ) from None
        account.set_password(password)
        account.must_change_password = False
        account.save()
        invitation.used_at = clock.now()
        invitation.save(update_fields=["used_at"])
        record(
            "invitation_accept",
            account,
            actor=account,
            request=request,
            changes=[("密码", "未设置", "已由本人设置"), ("邀请链接", "有效", "已使用")],
        )
    return account


def accept_invitation_by_identity(token, *, via, request=None):
    """The invitee's own door when they answer the link by logging in through a unified-identity
    provider instead of setting a password (decision 0025): the link is used up, the account keeps
    no password. The caller binds the identity in the same transaction. Returns the account."""
    with transaction.atomic():
        invitation = invitations.find(token, for_update=True)
        account = invitation.user
        account.must_change_password = False
        account.save(update_fields=["must_change_password"])
        invitation.used_at = clock.now()
        invitation.save(update_fields=["used_at"])
        record(
            "invitation_accept",
            account,
            actor=account,
            request=request,
            changes=[("统一身份认证", "未绑定", via), ("邀请链接", "有效", "已使用")],
        )
    return account
