"""三员分立 (GB/T 22239-2019 8.1.4.2): what each administrator role may do in the admin site.

The system administrator keeps accounts, organisations, reference data and
calls; the security administrator unlocks accounts, resets passwords and
second factors; the audit administrator has no admin models and reads the
audit trail on its own page (yanxiu.audit.views). Nobody's duty includes
changing or deleting audit entries.
"""

from .models import Role

ALL = frozenset({"view", "add", "change", "delete"})

DUTIES = {
    Role.SYSTEM_ADMIN: {
        "accounts": frozenset({"view", "add", "change"}),  # business accounts only (rules.py)
        "organisations": ALL,
        "reference": ALL,
        "calls": ALL,
        "operations": frozenset({"view"}),  # periodic job runs and process heartbeats (read-only)
    },
    Role.SECURITY_ADMIN: {
        "accounts": frozenset({"view"}),  # resets: accounts.reset_password (rules.py)
        "axes": frozenset({"view", "delete"}),  # deleting an access attempt unlocks it
        "otp_totp": frozenset({"view", "delete"}),  # deleting a device makes its owner enrol again
        "otp_static": frozenset({"view", "delete"}),
    },
    Role.AUDIT_ADMIN: {},
}


def duty_of(user):
    if not getattr(user, "is_active", False):
        return {}
    return DUTIES.get(getattr(user, "role", None), {})


class DutyBackend:
    """Permissions from the administrator's role; never authenticates anyone
    (and has no get_user, so Django never picks it to load a session's user)."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        app_label, _, codename = perm.partition(".")
        return codename.split("_", 1)[0] in duty_of(user_obj).get(app_label, ())

    def has_module_perms(self, user_obj, app_label):
        return bool(duty_of(user_obj).get(app_label))


# What each administrator does, for their home page (三员分立): the page lists only the tasks the
# duty above grants (`perm`), each with where it is done.
TASKS = {
    Role.SYSTEM_ADMIN: [
        (
            "用户账号",
            "新建、停用账号，维护姓名、所属单位和角色。",
            "admin:accounts_user_changelist",
            "accounts.view_user",
        ),
        (
            "承办单位",
            "维护承办单位的名称、统一社会信用代码和主管部门。",
            "admin:organisations_institution_changelist",
            "organisations.view_institution",
        ),
        (
            "主管部门",
            "维护设区市人社局、省直部门等主管部门及其名额。",
            "admin:organisations_authority_changelist",
            "organisations.view_authority",
        ),
        (
            "参考目录",
            "专业技术领域、行业主管部门、培训费和讲课费标准。",
            "admin:reference_professionaldomain_changelist",
            "reference.view_professionaldomain",
        ),
        (
            "年度通知",
            "年度通知的基础数据（业务设置由省人社厅在“年度通知”页面办理）。",
            "admin:calls_call_changelist",
            "calls.view_call",
        ),
    ],
    Role.SECURITY_ADMIN: [
        (
            "解锁账号",
            "连续5次输错密码的账号锁定15分钟；删除其登录失败记录即可提前解锁。",
            "admin:axes_accessattempt_changelist",
            "axes.view_accessattempt",
        ),
        (
            "重置密码",
            "在用户账号页面为忘记密码的用户设置临时密码（不能重置本人的）。",
            "admin:accounts_user_changelist",
            "accounts.view_user",  # the reset itself is accounts.reset_password, asked per account
        ),
        (
            "重置双因素认证",
            "删除用户丢失的动态口令设备，用户下次登录时重新绑定。",
            "admin:otp_totp_totpdevice_changelist",
            "otp_totp.view_totpdevice",
        ),
    ],
    Role.AUDIT_ADMIN: [
        (
            "审计记录",
            "查阅每次登录、登录失败、权限拒绝和每项业务操作的记录（只读，任何人不能修改或删除）。",
            "audit:trail",
            None,
        ),
    ],
}


def tasks_of(user):
    """(title, what, url name) of the user's administrator tasks that the duty grants."""
    return [
        (title, what, url)
        for title, what, url, perm in TASKS.get(getattr(user, "role", None), [])
        if perm is None or user.has_perm(perm)
    ]
