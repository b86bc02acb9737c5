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
        "accounts": frozenset({"view", "add", "change"}),
        "organisations": ALL,
        "reference": ALL,
        "calls": ALL,
        "operations": frozenset({"view"}),  # periodic job runs and process heartbeats (read-only)
    },
    Role.SECURITY_ADMIN: {
        "accounts": frozenset({"view", "change"}),
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
