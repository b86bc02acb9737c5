"""The role predicates every app's rules.py composes (django-rules): one definition each.

Each takes (user, obj=None) so it can be combined with object predicates
(`is_host_staff & is_editable`)."""

import rules

EXPERT = "expert"  # Role.EXPERT (models import rules' layer, not the reverse)


@rules.predicate
def is_institution_staff(user, obj=None):
    return bool(user.is_authenticated and user.is_active and user.is_institution_staff)


@rules.predicate
def is_authority_reviewer(user, obj=None):
    return bool(user.is_authenticated and user.is_active and user.is_authority_reviewer)


@rules.predicate
def is_province_officer(user, obj=None):
    return bool(user.is_authenticated and user.is_active and user.is_province_officer)


@rules.predicate
def is_expert(user, obj=None):
    return bool(user.is_authenticated and user.is_active and user.role == EXPERT)


is_authority_or_province = is_authority_reviewer | is_province_officer
has_an_organisation = is_institution_staff | is_authority_reviewer | is_province_officer


# --- 三员分立: the administrators' duties over accounts (decision 0019) ---------------------
# Role values (models import rules' layer, not the reverse).
SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN = "system_admin", "security_admin", "audit_admin"
ADMIN_ROLE_VALUES = (SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN)


def _role(user, role):
    return bool(user.is_authenticated and user.is_active and getattr(user, "role", None) == role)


@rules.predicate
def is_system_admin(user, obj=None):
    return _role(user, SYSTEM_ADMIN)


@rules.predicate
def is_security_admin(user, obj=None):
    return _role(user, SECURITY_ADMIN)


@rules.predicate
def is_audit_admin(user, obj=None):
    return _role(user, AUDIT_ADMIN)


@rules.predicate
def is_own_account(user, account=None):
    """The account (a user, or a username for lockouts) is the acting user's own."""
    if account is None:
        return False
    name = account if isinstance(account, str) else getattr(account, "username", None)
    return name == user.username


@rules.predicate
def holds_an_admin_role(user, account=None):
    """An administrator's account, or a bootstrap superuser: changed only on the server."""
    return getattr(account, "role", None) in ADMIN_ROLE_VALUES or bool(getattr(account, "is_superuser", False))


# The system administrator keeps accounts of the business roles, never an administrator's
# (those change only through the bootstrap command) and never their own.
rules.add_perm("accounts.manage_account", is_system_admin & ~is_own_account & ~holds_an_admin_role)
# The security administrator resets passwords, unlocks accounts and removes second-factor
# devices of everyone but themselves (their own password: 修改密码; their own device: its page).
rules.add_perm("accounts.reset_password", is_security_admin & ~is_own_account)
rules.add_perm("accounts.unlock_account", is_security_admin & ~is_own_account)
rules.add_perm("accounts.remove_device", is_security_admin & ~is_own_account)
# The audit administrator reads the trail (and nobody else does).
rules.add_perm("audit.read_trail", is_audit_admin)


# --- Each organisation administers its own staff (decision 0024) -------------------------------
INSTITUTION_STAFF, AUTHORITY_REVIEWER, PROVINCE_OFFICER = "institution_staff", "authority_reviewer", "province_officer"


@rules.predicate
def is_org_admin(user, obj=None):
    """The account its organisation named to administer colleagues (`User.is_org_admin`)."""
    return bool(has_an_organisation(user) and getattr(user, "is_org_admin", False))


@rules.predicate
def no_account(user, account=None):
    return account is None


def organisation_of(account):
    """(role, institution, authority) that names an account's organisation, or None for an account
    that belongs to none (experts, administrators)."""
    role = getattr(account, "role", None)
    if role == INSTITUTION_STAFF and account.institution_id:
        return (role, account.institution_id)
    if role == AUTHORITY_REVIEWER and account.authority_id:
        return (role, account.authority_id)
    if role == PROVINCE_OFFICER:
        return (role,)
    return None


@rules.predicate
def is_colleague(user, account=None):
    """The account belongs to the acting user's own organisation."""
    if account is None or isinstance(account, str):
        return False
    mine = organisation_of(user)
    return mine is not None and organisation_of(account) == mine


# An organisation's administrator invites colleagues (no account yet), and deactivates or
# reactivates them and resends their invitation: never their own account, never an administrator's,
# never an account of another organisation.
rules.add_perm(
    "accounts.manage_staff",
    is_org_admin & (no_account | (is_colleague & ~is_own_account & ~holds_an_admin_role)),
)


@rules.predicate
def is_expert_account(user, account=None):
    return getattr(account, "role", None) == EXPERT


# The province office invites experts of the pool to set their password (reviews' 专家库).
rules.add_perm("accounts.invite_expert", is_province_officer & (no_account | is_expert_account))
