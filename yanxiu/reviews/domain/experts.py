"""Expert accounts (province office only)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from yanxiu.accounts.models import Role, User
from yanxiu.accounts.passwords import policy_password
from yanxiu.audit.log import record
from yanxiu.core.refusal import Refused

from .. import rules as perms
from ..models import ExpertProfile

PROFILE_FIELDS = ("affiliation", "title", "institution", "authority", "expertise")


def initial_password():
    """Meets the password rules; the expert must replace it at the first login (must_change_password)."""
    return policy_password()


def create_expert(*, actor, username, display_name, email="", phone="", domains=(), password=None, **profile_fields):
    """A new expert account with its profile. Returns (user, the initial password)."""
    if not perms.is_province_officer(actor):
        raise Refused("只有省人社厅经办人可以添加评审专家。")
    if User.objects.filter(username=username).exists():
        raise Refused(f"用户名“{username}”已被使用。")
    password = password or initial_password()
    with transaction.atomic():
        user = User(
            username=username,
            display_name=display_name,
            email=email,
            phone=phone,
            role=Role.EXPERT,
            must_change_password=True,
        )
        user.set_password(password)
        try:
            user.full_clean()
        except ValidationError as invalid:
            raise Refused("；".join(invalid.messages)) from None
        user.save()
        profile = ExpertProfile(user=user, **{k: v for k, v in profile_fields.items() if k in PROFILE_FIELDS})
        try:
            profile.full_clean()
        except ValidationError as invalid:
            raise Refused("；".join(invalid.messages)) from None
        profile.save()
        profile.domains.set(domains)
        record(
            profile,
            action="create_expert",
            label="添加评审专家",
            actor=actor,
            data={"username": username, "affiliation": profile.affiliation},
        )
    return user, password


def reset_expert_password(profile, *, actor):
    """A new temporary password for an expert who lost theirs; they must change it at the next login.
    Returns the password (shown once to the officer)."""
    if not perms.is_province_officer(actor):
        raise Refused("只有省人社厅经办人可以重置评审专家的密码。")
    user = profile.user
    password = initial_password()
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        record(profile, action="reset_expert_password", label="重置评审专家密码", actor=actor)
    return password


def update_expert(profile, *, actor, display_name, email="", phone="", is_active=True, domains=(), **profile_fields):
    """Correct an expert's details; deactivating keeps their reviews but gives them no new tasks."""
    if not perms.is_province_officer(actor):
        raise Refused("只有省人社厅经办人可以修改评审专家信息。")
    user = profile.user
    with transaction.atomic():
        before = {
            "affiliation": profile.affiliation,
            "institution": profile.institution_id,
            "authority": profile.authority_id,
            "is_active": user.is_active,
        }
        user.display_name, user.email, user.phone, user.is_active = display_name, email, phone, is_active
        for name, value in profile_fields.items():
            if name in PROFILE_FIELDS:
                setattr(profile, name, value)
        try:
            user.full_clean()
            profile.full_clean()
        except ValidationError as invalid:
            raise Refused("；".join(invalid.messages)) from None
        user.save(update_fields=["display_name", "email", "phone", "is_active"])
        profile.save()
        profile.domains.set(domains)
        record(
            profile,
            action="update_expert",
            label="修改评审专家信息",
            actor=actor,
            data={
                "before": before,
                "after": {
                    "affiliation": profile.affiliation,
                    "institution": profile.institution_id,
                    "authority": profile.authority_id,
                    "is_active": user.is_active,
                },
            },
        )
    return profile
