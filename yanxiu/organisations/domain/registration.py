"""An institution registers itself; its authority confirms or refuses (decision 0023).

`register` (public page, no login) checks the USCC is not registered yet, the contact's mobile
and e-mail codes, then creates the institution (pending), its first account (the institution's
administrator, through accounts' `register_account`), the registration with the stamped
authorisation letter, an audit entry, and a message to the authority's reviewers. `confirm`
and `refuse` are the authority's doors; the institution is told in the app and by e-mail.
Until confirmed, the institution's applications cannot be submitted (the check
`institution.registration` in applications.domain.checks).
"""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from yanxiu.accounts.domain import changes, codes
from yanxiu.accounts.models import CodePurpose, Role, User
from yanxiu.audit.log import record
from yanxiu.core import clock
from yanxiu.core.masks import mask_name
from yanxiu.core.refusal import Refused
from yanxiu.notifications.service import notify

from ..enums import RegistrationState
from ..models import Institution, Registration

USERNAME_TAKEN = "该用户名已被使用，请换一个。"
NOT_PENDING = "该注册已处理（{state}），不能再次处理。"
NOT_ITS_AUTHORITY = "只有该单位所选主管部门的审核人可以确认或退回它的注册。"
NEED_REASON = "请写明不予确认的理由，单位将看到它。"


def holder_of(uscc):
    """Why `uscc` cannot be registered again, with the way forward, or ""."""
    holder = Institution.objects.filter(uscc=(uscc or "").strip().upper()).select_related("authority").first()
    if holder is None:
        return ""
    return (
        f"该统一社会信用代码已由“{mask_name(holder.name)}”注册，主管部门为{holder.authority.name}。"
        f"如需为本单位开通账号，请联系本单位的管理员邀请您，或向{holder.authority.name}咨询。"
    )


def send_code(kind, target, *, client=""):
    """A code to the contact's mobile (`kind` "mobile") or e-mail address ("email")."""
    if kind == "mobile":
        codes.send_by_sms(CodePurpose.REGISTER_MOBILE, target, client=client)
    else:
        codes.send_by_email(CodePurpose.REGISTER_EMAIL, target, client=client)


def _refuse_duplicates(data):
    taken = holder_of(data["uscc"])
    if taken:
        raise Refused(taken, code="uscc_registered", errors={"uscc": taken})
    if Institution.objects.filter(name=data["name"]).exists():
        message = "已有同名单位注册。如确为本单位，请向主管部门咨询。"
        raise Refused(message, code="name_registered", errors={"name": message})
    if User.objects.filter(username__iexact=data["username"]).exists():
        raise Refused(USERNAME_TAKEN, code="username_taken", errors={"username": USERNAME_TAKEN})


def _check_code(purpose, target, code, field, *, use):
    try:
        codes.check(purpose, target, code, use=use)
    except Refused as refusal:
        raise Refused(refusal.reason, code=refusal.code, errors={field: refusal.reason}) from None


def register(data, letter, *, request=None):
    """The registration from the public form's cleaned `data` and the letter (already checked
    by content and size). Refused: a registered USCC, name or username, a weak password, a wrong code."""
    _refuse_duplicates(data)
    account = User(
        username=data["username"],
        display_name=data["contact_person"],
        role=Role.INSTITUTION_STAFF,
        email=data["email"],
        phone=data["mobile"],
    )
    try:
        password_validation.validate_password(data["password1"], account)
    except ValidationError as error:
        raise Refused(
            "；".join(error.messages), code="weak_password", errors={"password1": error.messages[0]}
        ) from None
    # The codes last, each outside any transaction: a wrong try is counted even though this refuses.
    # Both are checked before either is spent: a wrong e-mail code does not use up the mobile's.
    for use in (False, True):
        _check_code(CodePurpose.REGISTER_MOBILE, data["mobile"], data["mobile_code"], "mobile_code", use=use)
        _check_code(CodePurpose.REGISTER_EMAIL, data["email"], data["email_code"], "email_code", use=use)
    with transaction.atomic():
        _refuse_duplicates(data)  # again, inside: two registrations of one code at once
        institution = Institution.objects.create(
            name=data["name"],
            uscc=data["uscc"],
            type=data["type"],
            authority=data["authority"],
            base_status=data["base_status"],
            base_batch=data.get("base_batch"),
            can_issue_training_invoice=data["can_issue_training_invoice"],
            contact_person=data["contact_person"],
            mobile=data["mobile"],
            email=data["email"],
            registration_state=RegistrationState.PENDING,
        )
        account.institution = institution
        account.set_password(data["password1"])
        changes.register_account(account, request=request)
        registration = Registration(
            institution=institution,
            account=account,
            contact_person=data["contact_person"],
            mobile=data["mobile"],
            email=data["email"],
            letter_name=letter.name[:200],
            submitted_at=clock.now(),
        )
        registration.letter.save(letter.name, letter, save=False)
        registration.save()
        record(
            institution,
            action="institution_register",
            label="单位注册（待主管部门确认）",
            actor=account,
            to_state=RegistrationState.PENDING,
            data={"uscc": institution.uscc, "authority": institution.authority.name},
        )
        _tell_reviewers(institution, registration, "新的承办单位注册待确认")
    return registration


def _decide(actor, registration, state, *, reason=""):
    if not actor.has_perm("organisations.decide_registration", registration):
        raise Refused(NOT_ITS_AUTHORITY, code="not_its_authority")
    with transaction.atomic():
        institution = Institution.objects.select_for_update().get(pk=registration.institution_id)
        if institution.registration_state != RegistrationState.PENDING:
            raise Refused(NOT_PENDING.format(state=institution.get_registration_state_display()), code="not_pending")
        before = institution.registration_state
        institution.registration_state = state
        institution.save(update_fields=["registration_state"])
        registration.institution = institution
        registration.decided_at = clock.now()
        registration.decided_by = actor
        registration.reason = reason
        registration.save(update_fields=["decided_at", "decided_by", "reason"])
        record(
            institution,
            action="registration_confirm" if state == RegistrationState.CONFIRMED else "registration_refuse",
            label="主管部门确认单位注册" if state == RegistrationState.CONFIRMED else "主管部门不予确认单位注册",
            actor=actor,
            from_state=before,
            to_state=state,
            reason=reason,
        )
        if state == RegistrationState.CONFIRMED:
            subject = f"单位注册已确认：{institution.name}"
            body = f"{actor.authority.name}已确认贵单位的注册。现在可以登录系统申报高级研修项目。"
        else:
            subject = f"单位注册未获确认：{institution.name}"
            body = f"{actor.authority.name}未确认贵单位的注册，理由：{reason}\n如有疑问，请联系{actor.authority.name}。"
        notify(institution.users.all(), subject, body, reverse("applications:dashboard"))
    return registration


def confirm(actor, registration):
    return _decide(actor, registration, RegistrationState.CONFIRMED)


def refuse(actor, registration, reason):
    reason = (reason or "").strip()
    if not reason:
        raise Refused(NEED_REASON, code="reason_required", errors={"reason": NEED_REASON})
    return _decide(actor, registration, RegistrationState.REFUSED, reason=reason)


NOT_REFUSED = "只有未获确认的注册可以重新提交。"
NOT_ADMINISTRATOR = "只有本单位的管理员可以重新提交注册。"


def _tell_reviewers(institution, registration, subject):
    reviewers = User.objects.filter(role=Role.AUTHORITY_REVIEWER, authority=institution.authority)
    notify(
        reviewers,
        f"{subject}：{institution.name}",
        f"{institution.name}（统一社会信用代码 {institution.uscc}）注册为本部门所属承办单位，请核对盖章授权书后确认或退回。",
        reverse("organisations:registration", args=[registration.pk]),
    )


def resubmit(actor, registration, letter, authority=None):
    """A refused registration sent again by the institution's administrator, with a new letter
    (and, if it chose the wrong one, another authority): pending again, its authority told."""
    if not actor.has_perm("organisations.resubmit_registration", registration):
        raise Refused(NOT_ADMINISTRATOR, code="not_org_admin")
    with transaction.atomic():
        institution = Institution.objects.select_for_update().get(pk=registration.institution_id)
        if institution.registration_state != RegistrationState.REFUSED:
            raise Refused(NOT_REFUSED, code="not_refused")
        before = {"authority": institution.authority.name, "letter": registration.letter_name}
        if authority is not None and authority.pk != institution.authority_id:
            institution.authority = authority
        institution.registration_state = RegistrationState.PENDING
        institution.save(update_fields=["authority", "registration_state"])
        registration.institution = institution
        registration.letter.save(letter.name, letter, save=False)
        registration.letter_name = letter.name[:200]
        registration.submitted_at = clock.now()
        registration.decided_at = None
        registration.decided_by = None
        registration.reason = ""
        registration.save()
        record(
            institution,
            action="registration_resubmit",
            label="单位重新提交注册",
            actor=actor,
            from_state=RegistrationState.REFUSED,
            to_state=RegistrationState.PENDING,
            data={
                "changes": [
                    {"field": "authority", "before": before["authority"], "after": institution.authority.name},
                    {"field": "letter", "before": before["letter"], "after": registration.letter_name},
                ]
            },
        )
        _tell_reviewers(institution, registration, "单位重新提交注册待确认")
    return registration


def pending_for(user):
    """The registrations waiting for `user`'s authority (the inbox's list)."""
    if not user.is_authority_reviewer:
        return Registration.objects.none()
    return Registration.objects.filter(
        institution__authority_id=user.authority_id, institution__registration_state=RegistrationState.PENDING
    ).select_related("institution")
