"""The binding door's rules, on claims as a provider sends them (the round trip itself:
test_login.py, against the real provider)."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from tests import factories
from yanxiu.accounts.domain import changes
from yanxiu.accounts.models import Role, User
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused
from yanxiu.identity.domain import bindings, providers
from yanxiu.identity.enums import Kind
from yanxiu.identity.models import Binding

from .provider import LEGAL_USCC, PERSON_ID

pytestmark = pytest.mark.django_db

SETTINGS = {
    "mzt": {
        "name": "闽政通",
        "issuer": "https://mzt.example.invalid/",
        "client_id": "c",
        "client_secret": "s",
        "claims": {},
    },
    # i厦门 names its claims its own way (YANXIU_OIDC_IXM_CLAIMS).
    "ixm": {
        "name": "i厦门",
        "issuer": "https://ixm.example.invalid",
        "client_id": "c",
        "client_secret": "s",
        "claims": {"cert_no": "idcard", "uscc": "credit_code", "user_type": "usertype"},
    },
    "half": {"name": "未配置", "issuer": "", "client_id": ""},
}


@pytest.fixture(autouse=True)
def configured(settings):
    settings.YANXIU_OIDC_PROVIDERS = SETTINGS


def sign_in(claims, provider="mzt"):
    request = RequestFactory().get("/identity/mzt/callback/")
    request.session = {}
    identity = providers.identity_from_claims(providers.get(provider), claims)
    return bindings.sign_in(identity, request=request)


def person(sub="p-1", **claims):
    return {"sub": sub, "name": "张三", "user_type": "person", "cert_type": "111", "cert_no": PERSON_ID, **claims}


def staff_with_id(**overrides):
    account = factories.user(Role.INSTITUTION_STAFF, institution=factories.institution(), **overrides)
    account.id_number = PERSON_ID
    account.save()
    return account


def test_only_completely_configured_providers_are_offered():
    assert [p.key for p in providers.configured()] == ["mzt", "ixm"]
    assert providers.get("mzt").issuer == "https://mzt.example.invalid"
    assert Client().get(reverse("identity:start", args=["half"])).status_code == 404


def test_a_providers_own_claim_names_are_read():
    institution = factories.institution(uscc=LEGAL_USCC)
    outcome = sign_in(
        {"sub": "e-1", "name": "某公司", "usertype": "2", "credit_code": f" {LEGAL_USCC.lower()} "}, "ixm"
    )
    assert outcome.waiting
    assert (outcome.binding.institution, outcome.binding.provider) == (institution, "ixm")
    account = staff_with_id()
    outcome = sign_in(
        {"sub": "p-9", "usertype": "1", "cert_type": "居民身份证", "idcard": "３５０１０２１９８００１０１１２３３"},
        "ixm",
    )
    assert outcome.user == account


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        (person(sub=""), bindings.NO_SUBJECT),
        (person(user_type="robot"), bindings.UNKNOWN_KIND),
        (person(cert_type="passport"), bindings.NO_ID_CARD),
        ({"sub": "e-1", "user_type": "legal_entity", "name": "某公司"}, bindings.NO_USCC),
    ],
)
def test_incomplete_claims_are_refused(claims, reason):
    staff_with_id()
    outcome = sign_in(claims)
    assert (outcome.user, outcome.refusal) == (None, reason)
    assert Binding.objects.count() == 0
    assert AuditEntry.objects.get(action="identity_refused").reason == reason


def test_an_id_number_on_two_accounts_is_refused():
    staff = staff_with_id()
    assert sign_in(person()).user == staff  # one account with the number: it is reached
    expert = factories.user(Role.EXPERT)
    expert.id_number = PERSON_ID
    expert.save()
    assert sign_in(person(sub="p-2")).refusal == bindings.MANY_ACCOUNTS


@pytest.mark.parametrize("role", [Role.AUTHORITY_REVIEWER, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_no_deciding_role_is_reached(role):
    extra = {"authority": factories.authority()} if role == Role.AUTHORITY_REVIEWER else {}
    account = factories.user(role, **extra)
    account.id_number = PERSON_ID
    account.save()
    assert sign_in(person()).refusal == bindings.NOT_REACHABLE


def test_an_expert_is_reached():
    expert = factories.user(Role.EXPERT)
    expert.id_number = PERSON_ID
    expert.save()
    assert sign_in(person()).user == expert


def test_a_bound_account_that_changed_is_refused_later():
    account = staff_with_id()
    assert sign_in(person()).user == account
    account.is_active = False
    account.save()
    assert sign_in(person()).refusal == bindings.INACTIVE
    account.is_active, account.role, account.institution = True, Role.PROVINCE_OFFICER, None
    account.save()
    assert sign_in(person()).refusal == bindings.NOT_REACHABLE
    assert Binding.objects.get().kind == Kind.PERSON


def test_a_legal_entity_account_is_made_only_for_institution_staff():
    institution = factories.institution()
    admin = factories.user(Role.INSTITUTION_STAFF, institution=institution, is_org_admin=True)
    for account in (
        User(username="x1", role=Role.PROVINCE_OFFICER, institution=institution),
        User(username="x2", role=Role.INSTITUTION_STAFF, institution=institution, is_org_admin=True),
    ):
        with pytest.raises(Refused, match="只能为承办单位经办人开设账号"):
            changes.create_identity_account(admin, account)
    assert not User.objects.filter(username__in=["x1", "x2"]).exists()


def test_a_legal_entity_of_an_unconfirmed_registration_is_refused_until_its_authority_confirms():
    from yanxiu.organisations.enums import RegistrationState

    institution = factories.institution(registration_state=RegistrationState.PENDING)
    entity = {"sub": "e-1", "name": institution.name, "user_type": "legal_entity", "uscc": institution.uscc}
    refused = sign_in(entity)
    assert refused.refusal == bindings.NOT_CONFIRMED.format(name=institution.name)
    assert not Binding.objects.exists()
    institution.registration_state = RegistrationState.CONFIRMED
    institution.save()
    assert sign_in(entity).binding.institution == institution
