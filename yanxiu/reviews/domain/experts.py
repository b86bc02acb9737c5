"""The expert pool (专家库): expert accounts and their records (province office only).

Contacts (phone, e-mail) are personal data: stored encrypted (accounts.User, core.crypto), shown
masked on every list and export, and shown whole only on request on the expert's page, each view
written to the audit trail with the client's address (`reveal_contacts`).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q

from yanxiu.accounts.domain import changes as account_changes
from yanxiu.accounts.domain import invitations
from yanxiu.accounts.models import Role, User
from yanxiu.accounts.passwords import policy_password
from yanxiu.audit.log import bump_version, record
from yanxiu.audit.models import AuditEntry
from yanxiu.core import clock
from yanxiu.core.refusal import Refused

from .. import rules as perms
from ..enums import AssignmentState
from ..models import Assignment, ExpertProfile, Standing
from . import scoring
from .assignment import in_pool

PROFILE_FIELDS = (
    "affiliation",
    "title",
    "institution",
    "authority",
    "expertise",
    "primary_domain",
    "keywords",
    "available",
    "active_from",
    "active_until",
)


def _domains_with_primary(domains, profile_fields):
    """The primary domain is one of the expert's domains."""
    found = list(domains)
    primary = profile_fields.get("primary_domain")
    if primary is not None and primary not in found:
        found.append(primary)
    return found


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
        profile.domains.set(_domains_with_primary(domains, profile_fields))
        record(
            profile,
            action="create_expert",
            label="添加评审专家",
            actor=actor,
            data={"username": username, "affiliation": profile.affiliation},
        )
        account_changes.record("account_create", user, actor=actor)
    return user, password


@dataclass
class Invited:
    """What `invite_experts` did: who got a link, and who was left out and why."""

    sent: list = field(default_factory=list)  # users
    skipped: list = field(default_factory=list)  # (user, reason)


def invite_experts(users, *, actor, request=None):
    """Send each expert who has no password yet (imported, say) an invitation to set one, through
    the account door (`accounts.domain.changes.invite_expert`). Experts who already have a password,
    or a pending invitation, are not invited twice; experts without an e-mail are left out too."""
    result = Invited()
    now = clock.now()
    for user in users:
        if user.has_usable_password():
            result.skipped.append((user, "已设置密码"))
        elif not user.email:
            result.skipped.append((user, "没有电子邮箱"))
        elif invitations.pending(user, now) is not None:
            result.skipped.append((user, "已有未过期的邀请"))
        else:
            account_changes.invite_expert(actor, user, request=request)
            result.sent.append(user)
    return result


def reset_expert_password(profile, *, actor, request=None):
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
        account_changes.record(
            "password_reset",
            user,
            actor=actor,
            request=request,
            changes=[("密码", "已设置", "已重置（须在下次登录时修改）")],
            reason="省人社厅重置评审专家的临时密码",
        )
    return password


def update_expert(profile, *, actor, display_name, email="", phone="", is_active=True, domains=(), **profile_fields):
    """Correct an expert's details; deactivating keeps their reviews but gives them no new tasks."""
    if not perms.is_province_officer(actor):
        raise Refused("只有省人社厅经办人可以修改评审专家信息。")
    user = profile.user
    with transaction.atomic():
        account_before = account_changes.snapshot(user)
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
        profile.domains.set(_domains_with_primary(domains, profile_fields))
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
        if account_changes.differences(account_before, account_changes.snapshot(user)):
            account_changes.record("account_change", user, actor=actor, before=account_before)
    return profile


# --- the pool page ------------------------------------------------------------------------------


@dataclass
class PoolFilter:
    q: str = ""
    domain: object = None  # a ProfessionalDomain
    authority: object = None  # an Authority
    availability: str = ""  # "" | "yes" | "no": in the pool this year or not


def pool(filters, year):
    """The experts matching `filters`, with their task counts, for the pool's list page (constant queries)."""
    profiles = ExpertProfile.objects.select_related("user", "institution", "authority", "primary_domain")
    if filters.q:
        words = filters.q.split()
        for word in words[:5]:
            profiles = profiles.filter(
                Q(user__display_name__icontains=word)
                | Q(user__username__icontains=word)
                | Q(affiliation__icontains=word)
                | Q(institution__name__icontains=word)
                | Q(keywords__icontains=word)
                | Q(expertise__icontains=word)
                | Q(title__icontains=word)
            )
    if filters.domain is not None:
        profiles = profiles.filter(Q(primary_domain=filters.domain) | Q(domains=filters.domain)).distinct()
    if filters.authority is not None:
        profiles = profiles.filter(Q(authority=filters.authority) | Q(institution__authority=filters.authority))
    if filters.availability:
        available = in_pool(year).values("pk")
        profiles = (
            profiles.filter(pk__in=available) if filters.availability == "yes" else profiles.exclude(pk__in=available)
        )
    return (
        profiles.prefetch_related("domains")
        .annotate(
            in_pool_this_year=Exists(in_pool(year).filter(pk=OuterRef("pk"))),
            rounds_served=Count("user__review_assignments__round", distinct=True),
            open_tasks=Count(
                "user__review_assignments",
                filter=Q(user__review_assignments__state=AssignmentState.ASSIGNED),
                distinct=True,
            ),
            done_tasks=Count(
                "user__review_assignments",
                filter=Q(user__review_assignments__state=AssignmentState.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("user__display_name", "user__username", "pk")
    )


def is_in_pool(profile, year):
    """Whether the expert is in the pool in `year` (assignment's own in_pool: one definition)."""
    return in_pool(year).filter(pk=profile.pk).exists()


def reveal_contacts(profile, *, actor, client_address=None):
    """The expert's whole phone and e-mail, for the province office; every view is audited."""
    if not perms.is_province_officer(actor):
        raise Refused("只有省人社厅经办人可以查看评审专家的完整联系方式。")
    bump_version()
    AuditEntry.objects.create(  # record() with the client's address (entries are never updated)
        content_type=ContentType.objects.get_for_model(profile),
        object_id=profile.pk,
        action="view_expert_contacts",
        action_label="查看评审专家完整联系方式",
        actor=actor,
        username=actor.username,
        client_ip=client_address or "",
        data={"expert": profile.user_id},
        created_at=clock.now(),
    )
    return {"phone": profile.user.phone, "email": profile.user.email}


@dataclass
class RoundHistory:
    """What an expert did in one round."""

    round_id: int
    name: str
    year: int
    tasks: int = 0  # assigned or submitted
    submitted: int = 0
    conflicts: int = 0
    disagreed: int = 0  # submitted reviews of applications flagged 分歧较大
    extreme: int = 0  # of those, where this expert's total was the highest or the lowest
    totals: list = field(default_factory=list)

    @property
    def mean_total(self):
        return scoring.to_decimal(scoring.mean(self.totals)) if self.totals else None


def history(profile):
    """[RoundHistory], newest round first, from the assignments and the stored standings (two queries)."""
    rows = list(
        Assignment.objects.filter(expert_id=profile.user_id)
        .values_list("round_id", "round__name", "round__call__year", "application_id", "state", "review__total")
        .order_by("-round__created_at", "-round_id", "pk")
    )
    standings = {
        (round_id, app_id): (flag, low, high)
        for round_id, app_id, flag, low, high in Standing.objects.filter(
            round_id__in={r[0] for r in rows}, application_id__in={r[3] for r in rows}
        ).values_list("round_id", "application_id", "disagreement", "lowest", "highest")
    }
    found = {}
    per_round = defaultdict(list)
    for round_id, name, year, app_id, state, total in rows:
        item = found.setdefault(round_id, RoundHistory(round_id, name, year))
        per_round[round_id].append(app_id)
        if state == AssignmentState.CONFLICT:
            item.conflicts += 1
            continue
        item.tasks += 1
        if state == AssignmentState.SUBMITTED and total is not None:
            item.submitted += 1
            item.totals.append(total)
            flag, low, high = standings.get((round_id, app_id), (False, None, None))
            if flag:
                item.disagreed += 1
                item.extreme += total in (low, high)
    return list(found.values())


def current_year():
    return clock.now().year
