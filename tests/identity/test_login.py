"""Unified identity (decision 0025) against a real OpenID Connect provider (tests/identity/provider.py):
the Django test client is the browser here, `requests` fills the provider's login form."""

import re

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from yanxiu.accounts.domain import changes
from yanxiu.accounts.models import Role, User
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused
from yanxiu.identity.domain import bindings
from yanxiu.identity.enums import BindingState, Kind
from yanxiu.identity.models import Binding

from . import provider

pytestmark = pytest.mark.django_db


def provider_login(client, login, password=provider.PASSWORD):
    """Click the login page's button, log in at the provider, come back: the callback's response."""
    start = client.get(reverse("identity:start", args=[provider.KEY]))
    assert start.status_code == 302
    callback = provider.log_in_at_provider(start["Location"], login, password, back_to="http://testserver/")
    return client.get(callback)


def logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


@pytest.fixture
def institution():
    return factories.institution(uscc=provider.LEGAL_USCC, name="福建测试科技有限公司")


@pytest.fixture
def org_admin(institution):
    return factories.user(Role.INSTITUTION_STAFF, institution=institution, is_org_admin=True)


def test_login_page_shows_the_providers_button_only_when_configured(settings, oidc):
    assert "闽政通登录" in Client().get("/login/").content.decode()
    settings.YANXIU_OIDC_PROVIDERS = {}
    assert "闽政通登录" not in Client().get("/login/").content.decode()


def test_legal_entity_waits_for_its_administrator_then_reaches_the_institution(oidc, institution, org_admin):
    entity = Client()
    waiting = provider_login(entity, "fjkj")
    assert waiting.status_code == 200
    assert "等待单位管理员确认" in waiting.content.decode()
    assert logged_in_user(entity) is None
    binding = Binding.objects.get()
    assert (binding.kind, binding.state, binding.institution, binding.user) == (
        Kind.LEGAL_ENTITY,
        BindingState.PENDING,
        institution,
        None,
    )
    assert (binding.subject, binding.uscc, binding.name) == (
        "mzt-legal-0001",
        provider.LEGAL_USCC,
        "福建测试科技有限公司",
    )
    assert AuditEntry.objects.filter(action="identity_bind_request", object_id=binding.pk).count() == 1

    # Still pending on the next try: the same page, no second binding.
    assert "等待单位管理员确认" in provider_login(Client(), "fjkj").content.decode()
    assert Binding.objects.count() == 1

    admin = Client()
    admin.force_login(org_admin)
    listing = admin.get(reverse("identity:bindings"))
    assert "福建测试科技有限公司" in listing.content.decode()
    assert admin.post(reverse("identity:confirm", args=[binding.pk])).status_code == 302
    binding.refresh_from_db()
    account = binding.user
    assert (binding.state, binding.decided_by) == (BindingState.CONFIRMED, org_admin)
    assert (account.role, account.institution, account.has_usable_password()) == (
        Role.INSTITUTION_STAFF,
        institution,
        False,
    )
    created = AuditEntry.objects.get(action="account_create", username=account.username)
    assert created.actor == org_admin
    assert AuditEntry.objects.filter(action="identity_bind_confirm", username=account.username).count() == 1

    again = Client()
    response = provider_login(again, "fjkj")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user(again) == account
    home = again.get("/", follow=True)
    assert home.redirect_chain == [("/applications/", 302)]  # the institution's own dashboard
    assert "福建测试科技有限公司" in home.content.decode()
    login_entry = AuditEntry.objects.filter(action="login", actor=account).get()
    assert login_entry.data == {"via": "闽政通"}


def test_a_rejected_legal_entity_is_refused_afterwards(oidc, institution, org_admin):
    provider_login(Client(), "fjkj")
    binding = Binding.objects.get()
    bindings.reject(org_admin, binding)
    refused = provider_login(Client(), "fjkj")
    assert refused.status_code == 403
    assert bindings.REJECTED in refused.content.decode()
    assert AuditEntry.objects.filter(action="identity_bind_reject").count() == 1


def test_only_the_institutions_own_administrator_confirms(oidc, institution, org_admin):
    provider_login(Client(), "fjkj")
    binding = Binding.objects.get()
    colleague = factories.user(Role.INSTITUTION_STAFF, institution=institution)  # not its administrator
    elsewhere = factories.user(Role.INSTITUTION_STAFF, institution=factories.institution(), is_org_admin=True)
    for who in (colleague, elsewhere):
        with pytest.raises(Refused, match="只有本单位的管理员"):
            bindings.confirm(who, binding)
        client = Client()
        client.force_login(who)
        assert client.post(reverse("identity:confirm", args=[binding.pk])).status_code == 404
    binding.refresh_from_db()
    assert (binding.state, binding.user) == (BindingState.PENDING, None)
    bindings.confirm(org_admin, binding)  # the same call by its own administrator succeeds
    with pytest.raises(Refused, match="已经处理过"):
        bindings.confirm(org_admin, binding)


def test_the_waiting_page_says_when_the_institution_has_no_administrator(oidc, institution):
    waiting = provider_login(Client(), "fjkj").content.decode()
    assert "本单位还没有单位管理员" in waiting
    factories.user(Role.INSTITUTION_STAFF, institution=institution, is_org_admin=True)
    assert "本单位还没有单位管理员" not in provider_login(Client(), "fjkj").content.decode()


def test_an_unknown_uscc_is_refused(oidc):
    factories.institution()  # another USCC
    refused = provider_login(Client(), "fjkj")
    assert refused.status_code == 403
    assert f"统一社会信用代码为 {provider.LEGAL_USCC} 的承办单位" in refused.content.decode()
    assert Binding.objects.count() == 0
    assert AuditEntry.objects.filter(action="identity_refused", outcome="refused").count() == 1


def test_person_login_binds_the_account_with_that_id_number(oidc):
    staff = factories.staff()
    staff.id_number = provider.PERSON_ID
    staff.save()
    client = Client()
    response = provider_login(client, "zhangsan")
    assert response.status_code == 302
    assert logged_in_user(client) == staff
    binding = Binding.objects.get()
    assert (binding.user, binding.kind, binding.state) == (staff, Kind.PERSON, BindingState.CONFIRMED)
    bound = AuditEntry.objects.get(action="identity_bind")
    assert bound.username == staff.username
    assert bound.data["changes"][0]["after"] == "闽政通（身份证号 3501**********1233 与账号登记的一致）"
    # The next login goes by the binding.
    again = Client()
    provider_login(again, "zhangsan")
    assert logged_in_user(again) == staff


def test_person_login_is_refused_for_a_province_officer(oidc):
    officer = factories.province_officer()
    officer.id_number = provider.PROVINCE_ID
    officer.save()
    client = Client()
    refused = provider_login(client, "lisi")
    assert refused.status_code == 403
    assert bindings.NOT_REACHABLE in refused.content.decode()
    assert logged_in_user(client) is None
    assert Binding.objects.count() == 0
    entry = AuditEntry.objects.get(action="identity_refused")
    assert (entry.actor, entry.outcome) == (officer, "refused")


def test_person_login_without_an_account_is_refused_with_a_way_forward(oidc):
    factories.staff()  # no ID number recorded
    client = Client()
    refused = provider_login(client, "zhangsan")
    assert refused.status_code == 403
    assert bindings.NO_ACCOUNT in refused.content.decode()
    assert logged_in_user(client) is None


def test_a_second_factor_the_account_holds_is_still_asked_for(oidc):
    staff = factories.staff()
    staff.id_number = provider.PERSON_ID
    staff.save()
    device = TOTPDevice.objects.create(user=staff, name="身份验证器", confirmed=True)
    client = Client()
    provider_login(client, "zhangsan")
    assert logged_in_user(client) == staff
    assert client.get("/")["Location"] == reverse("accounts:otp_verify")
    code = f"{totp(device.bin_key):06d}"
    assert client.post(reverse("accounts:otp_verify"), {"token": code})["Location"] == "/"
    assert client.get("/")["Location"] == "/applications/"  # past the second factor


def test_a_wrong_password_at_the_provider_never_comes_back(oidc):
    start = Client().get(reverse("identity:start", args=[provider.KEY]))
    with pytest.raises(KeyError):  # the provider shows its form again: no redirect back here
        provider.log_in_at_provider(start["Location"], "zhangsan", "wrong", back_to="http://testserver/")


def test_a_forged_callback_is_refused(oidc):
    client = Client()
    client.get(reverse("identity:start", args=[provider.KEY]))
    response = client.get(reverse("identity:callback", args=[provider.KEY]), {"code": "forged", "state": "forged"})
    assert response.status_code == 409
    assert "身份提供方的应答未通过校验" in response.content.decode()
    assert logged_in_user(client) is None


def test_an_identity_session_is_not_sent_to_change_a_password_it_did_not_use(settings, oidc):
    settings.YANXIU_FORCE_PASSWORD_CHANGE = True
    staff = factories.staff()  # must_change_password: its password was set by someone else
    staff.id_number = provider.PERSON_ID
    staff.save()
    client = Client()
    provider_login(client, "zhangsan")
    assert client.get("/")["Location"] == "/applications/"
    # The same account's password login still must change it.
    password = Client()
    password.force_login(staff)
    assert password.get("/")["Location"] == reverse("accounts:password_change")


LINK = re.compile(r"/account/invitation/([\w-]+)/")


def invite(admin, username):
    """The organisation's administrator invites a colleague (decision 0024); the mailed token."""
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):  # the e-mail is sent after the commit
        account, _invitation = changes.invite_account(
            admin, username=username, display_name="新同事", email=f"{username}@example.invalid"
        )
    return account, LINK.search(mail.outbox[-1].body).group(1)


def answer_invitation(client, token, login):
    page = client.get(reverse("accounts:invitation", args=[token])).content.decode()
    assert "闽政通登录并接受邀请" in page
    start = client.get(reverse("identity:start", args=[provider.KEY]), {"invitation": token})
    callback = provider.log_in_at_provider(start["Location"], login, back_to="http://testserver/")
    return client.get(callback)


def test_an_invitation_is_answered_through_the_provider_instead_of_a_password(oidc, institution, org_admin):
    account, token = invite(org_admin, "invited_zhang")
    client = Client()
    response = answer_invitation(client, token, "zhangsan")  # no ID number recorded anywhere
    assert response.status_code == 302
    assert logged_in_user(client) == account
    assert Binding.objects.get().user == account
    account.refresh_from_db()
    assert (account.has_usable_password(), account.must_change_password) == (False, False)
    accepted = AuditEntry.objects.get(action="invitation_accept", username=account.username)
    assert accepted.data["changes"][0] == {
        "field": "统一身份认证",
        "before": "未绑定",
        "after": "统一身份认证（闽政通）",
    }
    # The link is used up; the next login goes by the binding.
    assert Client().get(reverse("accounts:invitation", args=[token])).status_code == 410
    again = Client()
    provider_login(again, "zhangsan")
    assert logged_in_user(again) == account


def test_an_invitation_to_a_province_account_is_not_answered_through_the_provider(oidc):
    office_admin = factories.user(Role.PROVINCE_OFFICER, is_org_admin=True)
    _account, token = invite(office_admin, "invited_li")
    client = Client()
    page = client.get(reverse("accounts:invitation", args=[token])).content.decode()
    assert "闽政通登录并接受邀请" not in page
    start = client.get(reverse("identity:start", args=[provider.KEY]), {"invitation": token})
    refused = client.get(provider.log_in_at_provider(start["Location"], "zhangsan", back_to="http://testserver/"))
    assert refused.status_code == 403
    assert bindings.NOT_REACHABLE in refused.content.decode()
    assert logged_in_user(client) is None
    assert Binding.objects.count() == 0
    assert client.get(reverse("accounts:invitation", args=[token])).status_code == 200  # still usable
