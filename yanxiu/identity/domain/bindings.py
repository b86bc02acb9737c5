"""Unified identity (统一身份认证, decision 0025): which account a provider's login reaches.

The one door for bindings: `sign_in` decides a login (an account to log in, a pending binding
to wait for, or a refusal with a Chinese way forward) and records it; `confirm` and `reject`
are the institution administrator's decision on a legal entity's first login. Every binding,
decision and refused or pending login writes one audit entry.

- A person reaches the account whose recorded ID number (a keyed hash, never the number)
  matches the provider's verified resident-ID claim, or the account whose invitation link they
  answered by this login; the binding is confirmed at once.
- A legal entity whose USCC is an institution's gets a pending binding; when the
  institution's administrator confirms it, a staff account of that institution (no password)
  is made through the account door, and later logins reach it.
- Province, authority and administrator accounts (and superusers) are never reached this way.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from yanxiu.accounts.domain import changes, invitations
from yanxiu.accounts.models import Role, User
from yanxiu.audit import log
from yanxiu.audit.models import Outcome
from yanxiu.core import clock
from yanxiu.core.crypto import lookup_hashes
from yanxiu.core.masks import mask_id_number
from yanxiu.core.refusal import Refused
from yanxiu.organisations.models import Institution

from ..enums import BindingState, Kind
from ..models import Binding

# The roles a unified-identity login may reach: those outside government and administration.

NO_SUBJECT = "身份提供方没有返回用户标识，无法登录。请稍后重试，或使用用户名和密码登录。"
UNKNOWN_KIND = "身份提供方没有说明您是个人还是法人，无法登录。请使用用户名和密码登录。"
NO_ID_CARD = (
    "身份提供方没有返回经核验的居民身份证号，无法按身份证号找到您的账号。请使用用户名和密码登录，"
    "或请本单位管理员邀请您。"
)
NO_ACCOUNT = (
    "本系统中没有登记您身份证号的账号。请使用用户名和密码登录后联系系统管理员在账号中登记身份证号，"
    "或请本单位管理员邀请您；承办单位也可用单位（法人）身份登录。"
)
MANY_ACCOUNTS = "您的身份证号登记在多个账号上，无法确定登录哪一个。请联系系统管理员核实。"
NOT_REACHABLE = "省人社厅、主管部门和系统管理员的账号不能通过统一身份认证登录，请使用用户名、密码和双因素认证登录。"
INACTIVE = "您绑定的账号已停用。请联系系统管理员。"
NO_USCC = "身份提供方没有返回单位的统一社会信用代码，无法登录。"
NOT_CONFIRMED = "{name}的注册尚未经主管部门确认：确认后才能用统一身份认证登录。"
NO_INSTITUTION = (
    "本系统中没有统一社会信用代码为 {uscc} 的承办单位。请确认登录的是本单位的法人账号；"
    "新单位请先办理单位注册，或联系主管部门。"
)
REJECTED = "本单位管理员没有同意此法人账号登录本系统。如有疑问，请联系本单位管理员。"
NOT_PENDING = "此绑定已经处理过了。"
NOT_ADMIN = "只有本单位的管理员才能确认或拒绝本单位的统一身份认证绑定。"


@dataclass(frozen=True)
class LoginOutcome:
    """What a login through a provider leads to: exactly one of an account to log in,
    a pending binding to wait for, or a refusal's Chinese reason."""

    user: User | None = None
    binding: Binding | None = None
    refusal: str = ""

    @property
    def waiting(self):
        return self.user is None and not self.refusal and self.binding is not None


def _refuse(request, identity, reason, user=None):
    log.security_event(
        request,
        "identity_refused",
        outcome=Outcome.REFUSED,
        user=user,
        username="" if user else identity.label,
        reason=reason[:500],
        data={"provider": identity.provider.key, "kind": identity.kind},
    )
    return LoginOutcome(refusal=reason)


def _why_not_reachable(user):
    if not user.reachable_by_identity:
        return NOT_REACHABLE
    if not user.is_active:
        return INACTIVE
    return ""


def sign_in(identity, *, request, invitation=""):
    """Decide one login through a provider (its verified claims as `identity`). `invitation`: the
    token of an invitation link the person answered by this login (instead of setting a password)."""
    if not identity.subject:
        return _refuse(request, identity, NO_SUBJECT)
    binding = (
        Binding.objects.select_related("user", "institution")
        .filter(provider=identity.provider.key, subject=identity.subject)
        .first()
    )
    if binding is not None:
        return _known(request, identity, binding)
    if identity.kind == Kind.PERSON and invitation:
        return _invited_person(request, identity, invitation)
    if identity.kind == Kind.PERSON:
        return _first_person_login(request, identity)
    if identity.kind == Kind.LEGAL_ENTITY:
        return _first_legal_entity_login(request, identity)
    return _refuse(request, identity, UNKNOWN_KIND)


def _known(request, identity, binding):
    if binding.state == BindingState.REJECTED:
        return _refuse(request, identity, REJECTED)
    if binding.state == BindingState.PENDING:
        log.security_event(
            request,
            "identity_pending",
            outcome=Outcome.REFUSED,
            username=identity.label,
            reason=f"等待{binding.institution}管理员确认",
            data={"provider": identity.provider.key, "binding": binding.pk},
        )
        return LoginOutcome(binding=binding)
    reason = _why_not_reachable(binding.user)
    if reason:
        return _refuse(request, identity, reason, user=binding.user)
    Binding.objects.filter(pk=binding.pk).update(last_login_at=clock.now())
    return LoginOutcome(user=binding.user, binding=binding)


def _invited_person(request, identity, token):
    """The invitee answers the link through the provider: the invited account is bound to them."""
    try:
        account = invitations.find(token).user
    except Refused as refused:
        return _refuse(request, identity, refused.reason)
    reason = _why_not_reachable(account)
    if reason:
        return _refuse(request, identity, reason, user=account)
    via = f"统一身份认证（{identity.provider.name}）"
    try:
        with transaction.atomic():
            account = changes.accept_invitation_by_identity(token, via=via, request=request)
            return _bind_person(request, identity, account, "经邀请链接绑定")
    except Refused as refused:  # the link was used or revoked meanwhile
        return _refuse(request, identity, refused.reason)


def _first_person_login(request, identity):
    if not identity.has_id_card:
        return _refuse(request, identity, NO_ID_CARD)
    accounts = list(User.objects.filter(id_number_hash__in=lookup_hashes("id_number", identity.cert_no)))
    if not accounts:
        return _refuse(request, identity, NO_ACCOUNT)
    if len(accounts) > 1:
        return _refuse(request, identity, MANY_ACCOUNTS)
    (account,) = accounts
    reason = _why_not_reachable(account)
    if reason:
        return _refuse(request, identity, reason, user=account)
    return _bind_person(request, identity, account, f"身份证号 {mask_id_number(identity.cert_no)} 与账号登记的一致")


def _bind_person(request, identity, account, how):
    """A person's binding, confirmed at once, audited on the account."""
    now = clock.now()
    try:
        with transaction.atomic():
            binding = Binding.objects.create(
                provider=identity.provider.key,
                subject=identity.subject,
                kind=Kind.PERSON,
                state=BindingState.CONFIRMED,
                user=account,
                name=identity.name,
                created_at=now,
                decided_at=now,
                last_login_at=now,
            )
            changes.record(
                "identity_bind",
                account,
                actor=None,
                request=request,
                via=f"统一身份认证（{identity.provider.name}）",
                changes=[("统一身份认证", "", f"{identity.provider.name}（{how}）")],
            )
    except IntegrityError:  # the same identity's other login won the race: use its binding
        return sign_in(identity, request=request)
    return LoginOutcome(user=account, binding=binding)


def _first_legal_entity_login(request, identity):
    if not identity.uscc:
        return _refuse(request, identity, NO_USCC)
    institution = Institution.objects.filter(uscc=identity.uscc).first()
    if institution is None:
        return _refuse(request, identity, NO_INSTITUTION.format(uscc=identity.uscc))
    if not institution.is_confirmed:  # a self-registered institution its authority has not confirmed
        return _refuse(request, identity, NOT_CONFIRMED.format(name=institution.name))
    try:
        with transaction.atomic():
            binding = Binding.objects.create(
                provider=identity.provider.key,
                subject=identity.subject,
                kind=Kind.LEGAL_ENTITY,
                state=BindingState.PENDING,
                institution=institution,
                name=identity.name,
                uscc=identity.uscc,
                created_at=clock.now(),
            )
            log.account_change(
                "identity_bind_request",
                username=identity.label,
                obj=binding,
                request=request,
                via=f"统一身份认证（{identity.provider.name}）",
                changes=[
                    ("统一身份认证", "", f"{identity.name}（{identity.uscc}）申请登录{institution}，待单位管理员确认")
                ],
            )
    except IntegrityError:
        return sign_in(identity, request=request)
    return LoginOutcome(binding=binding)


def has_administrator(institution):
    """Whether someone can confirm this institution's bindings (the waiting page says whom to ask)."""
    return institution.users.filter(is_org_admin=True, is_active=True).exists()


def _decide(actor, binding):
    if not actor.has_perm("identity.decide_binding", binding):
        raise Refused(NOT_PENDING if binding.state != BindingState.PENDING else NOT_ADMIN, code="binding_decision")


def _claim(binding, state, actor):
    """Move the binding out of pending, once (a second administrator's click is refused)."""
    moved = Binding.objects.filter(pk=binding.pk, state=BindingState.PENDING).update(
        state=state, decided_at=clock.now(), decided_by=actor
    )
    if not moved:
        raise Refused(NOT_PENDING, code="binding_decision")


def confirm(actor, binding, *, request=None):
    """The institution's administrator lets this legal entity's login in: a staff account of
    the institution (no password) is made through the account door and bound."""
    _decide(actor, binding)
    with transaction.atomic():
        _claim(binding, BindingState.CONFIRMED, actor)
        account = User(
            username=f"{binding.provider}-{binding.pk}",
            display_name=(binding.name or str(binding.institution))[:50],
            role=Role.INSTITUTION_STAFF,
            institution=binding.institution,
        )
        changes.create_identity_account(actor, account, request=request, via=f"统一身份认证（{binding.provider}）")
        Binding.objects.filter(pk=binding.pk).update(user=account)
        changes.record(
            "identity_bind_confirm",
            account,
            actor=actor,
            request=request,
            changes=[("统一身份认证", "待确认", f"{binding.name}（{binding.uscc}）已绑定此账号")],
        )
    binding.refresh_from_db()
    return binding


def reject(actor, binding, *, request=None, reason=""):
    """The institution's administrator refuses this legal entity's login (it stays refused)."""
    _decide(actor, binding)
    with transaction.atomic():
        _claim(binding, BindingState.REJECTED, actor)
        log.account_change(
            "identity_bind_reject",
            username=f"{binding.provider}:{binding.subject}"[:150],
            actor=actor,
            obj=binding,
            request=request,
            reason=reason[:500],
            changes=[("统一身份认证", "待确认", f"{binding.name}（{binding.uscc}）已拒绝")],
        )
    binding.refresh_from_db()
    return binding
