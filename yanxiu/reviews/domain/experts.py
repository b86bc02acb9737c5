"""Expert accounts (province office only)."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction

from yanxiu.accounts.models import Role, User
from yanxiu.audit.log import record

from .. import rules as perms
from ..models import ExpertProfile
from .errors import ReviewRefused

PROFILE_FIELDS = ("affiliation", "title", "institution", "authority", "expertise")


def initial_password():
    return secrets.token_urlsafe(9)


def create_expert(*, actor, username, display_name, email="", phone="", domains=(), password=None, **profile_fields):
    """A new expert account with its profile. Returns (user, the initial password)."""
    if not perms.is_province_officer(actor):
        raise ReviewRefused("只有省人社厅经办人可以添加评审专家。")
    if User.objects.filter(username=username).exists():
        raise ReviewRefused(f"用户名“{username}”已被使用。")
    password = password or initial_password()
    with transaction.atomic():
        user = User(username=username, display_name=display_name, email=email, phone=phone, role=Role.EXPERT)
        user.set_password(password)
        try:
            user.full_clean()
        except ValidationError as invalid:
            raise ReviewRefused("；".join(invalid.messages)) from None
        user.save()
        profile = ExpertProfile(user=user, **{k: v for k, v in profile_fields.items() if k in PROFILE_FIELDS})
        try:
            profile.full_clean()
        except ValidationError as invalid:
            raise ReviewRefused("；".join(invalid.messages)) from None
        profile.save()
        profile.domains.set(domains)
        record(profile, action="create_expert", label="添加评审专家", actor=actor,
               data={"username": username, "affiliation": profile.affiliation})
    return user, password
