"""An institution registers itself; its authority confirms or refuses; until then it cannot submit."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from yanxiu.accounts.domain import codes
from yanxiu.accounts.models import CodePurpose, Role, User
from yanxiu.applications.domain import workflow
from yanxiu.applications.enums import ApplicationState
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused
from yanxiu.core.validators import uscc_with_check, validate_uscc
from yanxiu.notifications.models import Message
from yanxiu.organisations.domain import registration
from yanxiu.organisations.enums import BaseStatus, InstitutionType, RegistrationState
from yanxiu.organisations.forms import RegistrationForm
from yanxiu.organisations.models import Institution

pytestmark = pytest.mark.django_db

USCC = uscc_with_check("91350600MA3000001")
PDF = b"%PDF-1.4\n%stamped letter\n"


def letter():
    return SimpleUploadedFile("授权书.pdf", PDF, content_type="application/pdf")


def data(**overrides):
    values = {
        "uscc": USCC,
        "name": "漳州新材料研究院有限公司",
        "type": InstitutionType.ENTERPRISE,
        "authority": factories.authority("350600-RS"),
        "base_status": BaseStatus.NONE,
        "base_batch": None,
        "can_issue_training_invoice": True,
        "contact_person": "林注册",
        "mobile": "13800005555",
        "email": "lin@example.invalid",
        "username": "zzxcl",
        "password1": "Regist-2026x",
        "password2": "Regist-2026x",
    }
    values.update(overrides)
    values.setdefault("mobile_code", codes.issue(CodePurpose.REGISTER_MOBILE, values["mobile"]))
    values.setdefault("email_code", codes.issue(CodePurpose.REGISTER_EMAIL, values["email"]))
    return values


@pytest.fixture
def zz_reviewer():
    return factories.reviewer(factories.authority("350600-RS"))


# --- the USCC's check character (GB 32100-2015) -------------------------------------------


def test_the_uscc_check_character_is_checked():
    validate_uscc(USCC)
    wrong = USCC[:17] + ("0" if USCC[17] != "0" else "1")
    with pytest.raises(ValidationError, match="校验位不正确"):
        validate_uscc(wrong)


def test_the_form_takes_a_full_width_uscc_and_refuses_a_wrong_check_character():
    full_width = USCC.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHJKLMNPQRTUWXY"})
    form = RegistrationForm({"uscc": full_width})
    form.is_valid()
    assert "uscc" not in form.errors
    assert form.cleaned_data["uscc"] == USCC
    form = RegistrationForm({"uscc": USCC[:17] + ("0" if USCC[17] != "0" else "1")})
    form.is_valid()
    assert form.errors["uscc"] == ["统一社会信用代码校验位不正确，请核对。"]


# --- registering ----------------------------------------------------------------------


def test_registration_creates_a_pending_institution_its_administrator_and_tells_the_authority(
    zz_reviewer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = registration.register(data(), letter())
    institution = done.institution
    assert institution.registration_state == RegistrationState.PENDING
    assert (institution.uscc, institution.authority.code) == (USCC, "350600-RS")
    account = User.objects.get(username="zzxcl")
    assert (account.role, account.institution, account.is_org_admin) == (Role.INSTITUTION_STAFF, institution, True)
    assert account.check_password("Regist-2026x")
    assert account.must_change_password is False
    assert done.letter.read() == PDF
    created = AuditEntry.objects.account_changes().get(username="zzxcl")
    assert (created.action, created.actor, created.data["by"]) == ("account_create", None, "registration")
    assert AuditEntry.objects.for_object(institution).get().action == "institution_register"
    assert Message.objects.get(recipient=zz_reviewer).subject == "新的承办单位注册待确认：漳州新材料研究院有限公司"
    assert [m.to for m in mail.outbox] == [[zz_reviewer.email]]


def test_a_registered_uscc_is_refused_with_who_holds_it_masked_and_whom_to_ask():
    holder = factories.institution("350600-RS", name="漳州智造科技有限公司", uscc=USCC)
    with pytest.raises(Refused) as refused:
        registration.register(data(), letter())
    assert refused.value.errors["uscc"] == (
        "该统一社会信用代码已由“漳州******公司”注册，主管部门为漳州市人力资源和社会保障局。"
        "如需为本单位开通账号，请联系本单位的管理员邀请您，或向漳州市人力资源和社会保障局咨询。"
    )
    assert holder.name not in refused.value.reason
    assert not User.objects.filter(username="zzxcl").exists()


def test_a_wrong_code_refuses_and_creates_nothing():
    values = data()
    values["email_code"] = f"{(int(values['email_code']) + 1) % 10**6:06d}"
    with pytest.raises(Refused) as refused:
        registration.register(values, letter())
    assert list(refused.value.errors) == ["email_code"]
    assert not Institution.objects.filter(uscc=USCC).exists()
    # the mobile's code was not spent by the refusal: the corrected form goes through
    values["email_code"] = codes.issue(CodePurpose.REGISTER_EMAIL, values["email"])
    assert registration.register(values, letter()).institution.uscc == USCC


def test_a_weak_password_is_refused_before_the_codes_are_tried():
    values = data(password1="abc", password2="abc")
    with pytest.raises(Refused) as refused:
        registration.register(values, letter())
    assert list(refused.value.errors) == ["password1"]
    assert registration.register({**values, "password1": "Regist-2026x"}, letter()).institution.uscc == USCC


# --- the authority's decision -----------------------------------------------------------


def test_the_authority_confirms_and_the_institution_is_told(zz_reviewer, django_capture_on_commit_callbacks):
    done = registration.register(data(), letter())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration.confirm(zz_reviewer, done)
    done.institution.refresh_from_db()
    assert done.institution.registration_state == RegistrationState.CONFIRMED
    entry = AuditEntry.objects.for_object(done.institution).last()
    assert (entry.action, entry.actor, entry.from_state, entry.to_state) == (
        "registration_confirm",
        zz_reviewer,
        RegistrationState.PENDING,
        RegistrationState.CONFIRMED,
    )
    assert [m.to for m in mail.outbox] == [["lin@example.invalid"]]
    assert Message.objects.get(recipient=done.account).subject == "单位注册已确认：漳州新材料研究院有限公司"
    with pytest.raises(Refused, match="已处理"):
        registration.refuse(zz_reviewer, done, "重复")


def test_a_refusal_needs_a_reason_and_the_institution_reads_it(zz_reviewer):
    done = registration.register(data(), letter())
    with pytest.raises(Refused, match="请写明"):
        registration.refuse(zz_reviewer, done, "  ")
    registration.refuse(zz_reviewer, done, "授权书未加盖公章。")
    done.institution.refresh_from_db()
    assert done.institution.registration_state == RegistrationState.REFUSED
    message = Message.objects.get(recipient=done.account)
    assert (
        message.body
        == "漳州市人力资源和社会保障局未确认贵单位的注册，理由：授权书未加盖公章。\n如有疑问，请联系漳州市人力资源和社会保障局。"
    )


def test_an_authority_of_another_area_cannot_confirm(zz_reviewer):
    done = registration.register(data(), letter())
    other = factories.reviewer(factories.authority("350100-RS"))
    with pytest.raises(Refused, match="只有该单位所选主管部门"):
        registration.confirm(other, done)
    done.institution.refresh_from_db()
    assert done.institution.registration_state == RegistrationState.PENDING
    assert registration.pending_for(other).count() == 0
    assert list(registration.pending_for(zz_reviewer)) == [done]
    registration.confirm(zz_reviewer, done)  # its own authority can


# --- until confirmed, no submission -------------------------------------------------------


def test_an_unconfirmed_institution_cannot_submit_a_complete_application():
    host = factories.staff(factories.institution("350600-RS", registration_state=RegistrationState.PENDING))
    application = factories.complete("provincial", actor=host)
    with pytest.raises(Refused, match="主管部门确认前不能提交申报"):
        workflow.perform(application, "submit", host)
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    # the same application, once the institution is confirmed, goes through
    Institution.objects.filter(pk=host.institution_id).update(registration_state=RegistrationState.CONFIRMED)
    application.institution.refresh_from_db()
    workflow.perform(application, "submit", host)
    assert application.state == ApplicationState.SUBMITTED


# --- a refused registration sent again ---------------------------------------------------


def test_the_institutions_administrator_resubmits_a_refused_registration_to_another_authority(zz_reviewer):
    done = registration.register(data(), letter())
    with pytest.raises(Refused, match="只有未获确认的注册"):
        registration.resubmit(done.account, done, letter())
    registration.refuse(zz_reviewer, done, "本单位不属漳州市，请选择所在地人社局。")
    colleague = factories.staff(done.institution)  # not the administrator
    with pytest.raises(Refused, match="只有本单位的管理员"):
        registration.resubmit(colleague, done, letter())
    fz = factories.authority("350100-RS")
    fz_reviewer = factories.reviewer(fz)
    registration.resubmit(done.account, done, SimpleUploadedFile("新授权书.pdf", PDF), fz)
    done.institution.refresh_from_db()
    assert (done.institution.registration_state, done.institution.authority) == (RegistrationState.PENDING, fz)
    assert (done.letter_name, done.reason, done.decided_at) == ("新授权书.pdf", "", None)
    entry = AuditEntry.objects.for_object(done.institution).last()
    assert (entry.action, entry.actor, entry.from_state, entry.to_state) == (
        "registration_resubmit",
        done.account,
        RegistrationState.REFUSED,
        RegistrationState.PENDING,
    )
    assert list(registration.pending_for(fz_reviewer)) == [done]
    assert Message.objects.get(recipient=fz_reviewer).subject == "单位重新提交注册待确认：漳州新材料研究院有限公司"
    with pytest.raises(Refused, match="只有该单位所选主管部门"):
        registration.confirm(zz_reviewer, done)
    registration.confirm(fz_reviewer, done)
