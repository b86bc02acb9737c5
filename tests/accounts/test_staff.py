"""Each organisation administers its own staff (issue 22, decision 0024).

Every forbidden change is posted with a payload that succeeds for the organisation's own
administrator (shown by the allowed tests beside it), and every allowed change is one audit entry
with before and after."""

import re

import pytest
from django.contrib.messages import ERROR, get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.queries import count_queries
from yanxiu.accounts.domain import changes, invitations
from yanxiu.accounts.models import Invitation, Role, User
from yanxiu.applications.domain import workflow
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused

pytestmark = pytest.mark.django_db

GOOD = "Neu-Passwort-2026"
LINK = re.compile(r"http://[^\s]+/account/invitation/([\w-]+)/")


@pytest.fixture(autouse=True)
def _mail_after_commit(monkeypatch):
    """The invitation e-mail is queued after the commit; a test's transaction never commits, so
    run the callbacks of these doors when they are registered (the e-mail is sent by the
    immediate task backend into Django's outbox)."""
    monkeypatch.setattr(invitations.transaction, "on_commit", lambda callback: callback())


def admin_of(inst=None, **extra):
    return factories.user(Role.INSTITUTION_STAFF, institution=inst or factories.institution(), is_org_admin=True)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def invite_payload(username="newcolleague"):
    return {"username": username, "display_name": "新同事", "email": f"{username}@example.invalid"}


def mailed_token(message):
    return LINK.search(message.body).group(1)


def refusal_shown(response):
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == ERROR]


def can_log_in(username, password):
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def entries(action, username):
    return list(AuditEntry.objects.filter(action=action, username=username))


# --- inviting ------------------------------------------------------------------------------------


def test_an_institution_administrator_invites_a_colleague_by_mail():
    admin = admin_of()
    response = client_for(admin).post(reverse("accounts:staff_invite"), invite_payload())
    assert response.status_code == 302
    account = User.objects.get(username="newcolleague")
    assert (account.role, account.institution_id, account.is_org_admin) == (
        Role.INSTITUTION_STAFF,
        admin.institution_id,
        False,
    )
    assert account.has_usable_password() is False
    [message] = mail.outbox
    assert message.to == ["newcolleague@example.invalid"]
    assert message.subject == "【研修申报】账号邀请：请设置您的登录密码"
    assert f"邀请您使用研修申报系统（{admin.institution.name}，承办单位经办人）" in message.body
    assert "您的登录用户名：newcolleague" in message.body
    token = mailed_token(message)
    invitation = Invitation.objects.get(user=account)
    # Stored hashed: the database holds no link.
    assert invitation.token_hash == invitations.token_hash(token)
    assert token not in invitation.token_hash
    assert invitation.invited_by == admin
    [entry] = entries("account_invite", "newcolleague")
    assert entry.actor == admin
    assert {"field": "账号", "before": "", "after": "newcolleague"} in entry.data["changes"]
    assert {"field": "所属单位", "before": "", "after": admin.institution.name} in entry.data["changes"]


def test_an_authority_and_the_office_invite_with_their_own_role():
    auth = factories.authority()
    reviewer = factories.user(Role.AUTHORITY_REVIEWER, authority=auth, is_org_admin=True)
    officer = factories.user(Role.PROVINCE_OFFICER, is_org_admin=True)
    a, _ = changes.invite_account(reviewer, **invite_payload("rev2"))
    b, _ = changes.invite_account(officer, **invite_payload("off2"))
    assert (a.role, a.authority_id, a.institution_id) == (Role.AUTHORITY_REVIEWER, auth.pk, None)
    assert (b.role, b.authority_id, b.institution_id) == (Role.PROVINCE_OFFICER, None, None)
    assert len(mail.outbox) == 2


def test_the_link_sets_the_password_once_and_the_colleague_logs_in():
    admin = admin_of()
    changes.invite_account(admin, **invite_payload())
    token = mailed_token(mail.outbox[0])
    anonymous = Client()
    url = reverse("accounts:invitation", args=[token])
    page = anonymous.get(url)
    assert page.status_code == 200
    assert page.context["account"].username == "newcolleague"
    response = anonymous.post(url, {"new_password1": GOOD, "new_password2": GOOD})
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert can_log_in("newcolleague", GOOD) is True
    [entry] = entries("invitation_accept", "newcolleague")
    assert entry.data["changes"][0] == {"field": "密码", "before": "未设置", "after": "已由本人设置"}
    account = User.objects.get(username="newcolleague")
    assert account.must_change_password is False
    # Used: the same link is refused, in Chinese, and sets nothing.
    again = anonymous.post(url, {"new_password1": "Other-Pass-2027", "new_password2": "Other-Pass-2027"})
    assert again.status_code == 410
    assert again.context["refused"] == invitations.USED
    assert can_log_in("newcolleague", "Other-Pass-2027") is False


def test_the_password_rules_apply_and_the_link_still_works():
    changes.invite_account(admin_of(), **invite_payload())
    url = reverse("accounts:invitation", args=[mailed_token(mail.outbox[0])])
    response = Client().post(url, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 400
    assert "密码太短：至少需要 8 个字符。" in response.context["form"].errors["new_password1"]
    assert User.objects.get(username="newcolleague").has_usable_password() is False
    assert Client().post(url, {"new_password1": GOOD, "new_password2": GOOD}).status_code == 302


def test_an_expired_link_is_refused(clock, settings):
    settings.YANXIU_INVITATION_DAYS = 7
    clock("2026-01-10T10:00:00+08:00")
    changes.invite_account(admin_of(), **invite_payload())
    url = reverse("accounts:invitation", args=[mailed_token(mail.outbox[0])])
    clock("2026-01-17T09:59:00+08:00")
    assert Client().get(url).status_code == 200
    clock("2026-01-17T10:00:01+08:00")
    response = Client().post(url, {"new_password1": GOOD, "new_password2": GOOD})
    assert response.status_code == 410
    assert response.context["refused"] == invitations.EXPIRED
    assert User.objects.get(username="newcolleague").has_usable_password() is False


def test_resending_invalidates_the_previous_link():
    admin = admin_of()
    account, _ = changes.invite_account(admin, **invite_payload())
    first = mailed_token(mail.outbox[0])
    response = client_for(admin).post(reverse("accounts:staff_resend", args=[account.pk]))
    assert response.status_code == 302
    assert refusal_shown(response) == []
    second = mailed_token(mail.outbox[1])
    assert first != second
    old = Client().get(reverse("accounts:invitation", args=[first]))
    assert (old.status_code, old.context["refused"]) == (410, invitations.REVOKED)
    assert Client().get(reverse("accounts:invitation", args=[second])).status_code == 200
    [entry] = entries("invitation_resend", "newcolleague")
    assert entry.data["changes"][0]["before"] == "有效（已作废）"


def test_an_unknown_link_is_refused():
    response = Client().get(reverse("accounts:invitation", args=["not-a-token"]))
    assert (response.status_code, response.context["refused"]) == (410, invitations.UNKNOWN)


# --- deactivate, reactivate ----------------------------------------------------------------------


def test_the_administrator_deactivates_and_reactivates_a_colleague():
    admin = admin_of()
    colleague = factories.staff(admin.institution)
    signed_in = client_for(colleague)
    assert signed_in.get(reverse("applications:dashboard")).status_code == 200
    client = client_for(admin)
    response = client.post(reverse("accounts:staff_deactivate", args=[colleague.pk]), {"reason": "调离"})
    assert refusal_shown(response) == []
    colleague.refresh_from_db()
    assert colleague.is_active is False
    assert can_log_in(colleague.username, "pw-for-tests") is False
    # A session already open ends at its next request.
    response = signed_in.get(reverse("applications:dashboard"))
    assert (response.status_code, response.url.split("?")[0]) == (302, reverse("login"))
    [entry] = entries("account_deactivate", colleague.username)
    assert (entry.actor, entry.reason) == (admin, "调离")
    assert entry.data["changes"] == [{"field": "有效", "before": "是", "after": "否"}]
    client.post(reverse("accounts:staff_reactivate", args=[colleague.pk]))
    colleague.refresh_from_db()
    assert colleague.is_active is True
    [entry] = entries("account_reactivate", colleague.username)
    assert entry.data["changes"] == [{"field": "有效", "before": "否", "after": "是"}]


FORBIDDEN = {
    # Another organisation's staff: same role, another institution.
    "another institution's staff": lambda admin: factories.staff(),
    # An authority's administrator over one of its own institutions' staff.
    "own account": lambda admin: admin,
    "an administrator's account": lambda admin: factories.user(Role.SYSTEM_ADMIN),
    "a superuser": lambda admin: factories.user(
        Role.INSTITUTION_STAFF, institution=admin.institution, is_superuser=True
    ),
    "an expert": lambda admin: factories.user(Role.EXPERT),
}


@pytest.mark.parametrize("case", sorted(FORBIDDEN))
def test_an_administrator_may_not_deactivate(case):
    admin = admin_of()
    target = FORBIDDEN[case](admin)
    response = client_for(admin).post(reverse("accounts:staff_deactivate", args=[target.pk]), {"reason": "x"})
    assert response.status_code == 302
    assert len(refusal_shown(response)) == 1
    target.refresh_from_db()
    assert target.is_active is True
    assert entries("account_deactivate", target.username) == []


def test_an_authority_administrator_may_not_manage_its_institutions_staff():
    inst = factories.institution()
    reviewer = factories.user(Role.AUTHORITY_REVIEWER, authority=inst.authority, is_org_admin=True)
    target = factories.staff(inst)
    with pytest.raises(Refused) as refused:
        changes.deactivate(reviewer, target)
    assert str(refused.value) == changes.NOT_COLLEAGUE
    target.refresh_from_db()
    assert target.is_active is True


def test_a_colleague_who_is_not_the_administrator_may_do_nothing():
    admin = admin_of()
    colleague = factories.staff(admin.institution)
    other = factories.staff(admin.institution)
    client = client_for(colleague)
    assert client.get(reverse("accounts:staff")).status_code == 403
    assert client.get(reverse("accounts:staff_trail")).status_code == 403
    assert client.post(reverse("accounts:staff_invite"), invite_payload()).status_code == 403
    assert not User.objects.filter(username="newcolleague").exists()
    for target in (other, admin):
        response = client_for(colleague).post(reverse("accounts:staff_deactivate", args=[target.pk]))
        assert refusal_shown(response) == [changes.NOT_ORG_ADMIN]
    assert User.objects.filter(pk__in=[other.pk, admin.pk], is_active=True).count() == 2
    assert mail.outbox == []


def test_a_deactivated_administrator_may_do_nothing():
    admin = admin_of()
    colleague = factories.staff(admin.institution)
    User.objects.filter(pk=admin.pk).update(is_active=False)
    admin.refresh_from_db()
    with pytest.raises(Refused):
        changes.deactivate(admin, colleague)
    with pytest.raises(Refused):
        changes.invite_account(admin, **invite_payload())


def test_resending_to_a_colleague_with_a_password_is_refused():
    admin = admin_of()
    colleague = factories.staff(admin.institution)
    with pytest.raises(Refused) as refused:
        changes.resend_invitation(admin, colleague)
    assert str(refused.value) == changes.ALREADY_SET_UP.format(who=colleague)
    assert mail.outbox == []


def test_an_invitation_needs_a_free_username_and_an_email():
    admin = admin_of()
    taken = factories.staff()
    with pytest.raises(Refused) as refused:
        changes.invite_account(admin, username=taken.username, display_name="甲", email="not an address")
    assert set(refused.value.errors) == {"username", "email"}
    assert Invitation.objects.count() == 0


def test_a_deactivated_account_cannot_use_its_link():
    admin = admin_of()
    account, _ = changes.invite_account(admin, **invite_payload())
    changes.deactivate(admin, account)
    response = Client().get(reverse("accounts:invitation", args=[mailed_token(mail.outbox[0])]))
    assert (response.status_code, response.context["refused"]) == (410, invitations.INACTIVE)


# --- the staff page and the organisation's trail --------------------------------------------------


def test_the_staff_page_lists_only_the_organisation_and_the_header_links_it():
    admin = admin_of()
    colleague = factories.staff(admin.institution)
    stranger = factories.staff()
    changes.invite_account(admin, **invite_payload())
    page = client_for(admin).get(reverse("accounts:staff"))
    states = {row["account"].username: row["state"] for row in page.context["rows"]}
    assert states == {admin.username: "有效", colleague.username: "有效", "newcolleague": "待接受邀请"}
    assert stranger.username not in states
    assert reverse("accounts:staff") in page.content.decode()
    home = client_for(colleague).get(reverse("accounts:password_change"))
    assert reverse("accounts:staff") not in home.content.decode()


def test_an_authoritys_trail_shows_its_institutions_applications_but_not_their_drafts():
    inst = factories.institution()
    reviewer = factories.user(Role.AUTHORITY_REVIEWER, authority=inst.authority, is_org_admin=True)
    host = factories.staff(inst)
    draft = factories.draft(actor=host)
    submitted = factories.complete("provincial", actor=host)
    workflow.perform(submitted, "submit", host)
    shown = list(client_for(reviewer).get(reverse("accounts:staff_trail")).context["page"])
    assert {e.object_id for e in shown if e.action == "submit"} == {submitted.pk}
    assert not any(e.object_id == draft.pk and e.content_type.model == "application" for e in shown)


def test_the_trail_shows_the_organisation_and_not_others():
    admin = admin_of()
    colleague = factories.staff(admin.institution)
    changes.deactivate(admin, colleague)
    mine = factories.draft(actor=colleague)
    stranger = factories.staff()
    theirs = factories.draft(actor=stranger)
    admin_b = admin_of(stranger.institution)
    changes.invite_account(admin_b, **invite_payload("theirs"))
    page = client_for(admin).get(reverse("accounts:staff_trail"))
    shown = list(page.context["page"])
    assert any(e.action == "account_deactivate" and e.username == colleague.username for e in shown)
    assert any(e.object_id == mine.pk and e.action == "create" for e in shown)
    assert not any(e.object_id == theirs.pk and e.action == "create" for e in shown)
    assert not any(e.username in ("theirs", stranger.username) or e.actor_id == admin_b.pk for e in shown)


# --- experts --------------------------------------------------------------------------------------


def imported_expert(username="zj_new", email="zj_new@example.invalid"):
    """An expert as the pool import makes one: no usable password."""
    user = User(username=username, role=Role.EXPERT, display_name="新专家", email=email)
    user.set_unusable_password()
    user.save()
    return user


def test_the_office_invites_an_expert_who_has_no_password():
    officer = factories.province_officer()
    expert = imported_expert()
    changes.invite_expert(officer, expert)
    assert "邀请您使用研修申报系统（评审专家）" in mail.outbox[0].body
    token = mailed_token(mail.outbox[0])
    [entry] = entries("account_invite", expert.username)
    assert entry.actor == officer
    changes.accept_invitation(token, GOOD)
    assert can_log_in(expert.username, GOOD) is True
    with pytest.raises(Refused) as refused:
        changes.invite_expert(officer, User.objects.get(pk=expert.pk))
    assert str(refused.value) == changes.ALREADY_SET_UP.format(who=expert)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("actor", "reason"),
    [
        (lambda: factories.reviewer(factories.authority()), changes.NOT_OFFICE),
        (admin_of, changes.NOT_OFFICE),
        (lambda: factories.user(Role.SYSTEM_ADMIN), changes.NOT_OFFICE),
    ],
)
def test_only_the_office_invites_experts(actor, reason):
    expert = imported_expert()
    with pytest.raises(Refused) as refused:
        changes.invite_expert(actor(), expert)
    assert str(refused.value) == reason
    assert mail.outbox == []


def test_the_office_invites_only_experts_through_the_expert_door():
    officer = factories.province_officer()
    staff_without_password = imported_expert()
    User.objects.filter(pk=staff_without_password.pk).update(
        role=Role.INSTITUTION_STAFF, institution=factories.institution()
    )
    staff_without_password.refresh_from_db()
    with pytest.raises(Refused) as refused:
        changes.invite_expert(officer, staff_without_password)
    assert str(refused.value) == changes.NOT_AN_EXPERT


def test_the_system_administrator_names_an_organisations_administrator_audited():
    sysadmin = factories.user(Role.SYSTEM_ADMIN)
    clerk = factories.staff()
    payload = {
        "username": clerk.username,
        "display_name": clerk.display_name,
        "email": clerk.email,
        "phone": "",
        "role": clerk.role,
        "institution": clerk.institution_id,
        "authority": "",
        "is_active": "on",
        "is_org_admin": "on",
        "_save": "保存",
    }
    response = client_for(sysadmin).post(reverse("admin:accounts_user_change", args=[clerk.pk]), payload)
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.is_org_admin is True
    [entry] = entries("account_change", clerk.username)
    assert entry.data["changes"] == [{"field": "本单位账号管理员", "before": "否", "after": "是"}]


# --- list pages: the same queries for one row as for many -----------------------------------------


def test_the_staff_and_trail_pages_cost_the_same_queries_for_one_row_or_many():
    admin = admin_of()
    client = client_for(admin)

    def add(n):
        colleague = factories.staff(admin.institution)
        changes.deactivate(admin, colleague)
        changes.invite_account(admin, **invite_payload(f"more{n}"))
        factories.draft(actor=admin)

    add(0)
    one_staff = count_queries(client, reverse("accounts:staff"))
    one_trail = count_queries(client, reverse("accounts:staff_trail"))
    for n in range(1, 5):
        add(n)
    assert count_queries(client, reverse("accounts:staff")) == one_staff
    assert count_queries(client, reverse("accounts:staff_trail")) == one_trail
    staff_page = client.get(reverse("accounts:staff")).content.decode()
    assert all(f'data-testid="staff-more{n}"' in staff_page for n in range(5))
    assert client.get(reverse("accounts:staff_trail")).context["page"].paginator.count >= 12


# --- the second factor: enrolled at the first login, as for any account ---------------------------


def test_an_invited_reviewer_enrols_the_second_factor_at_the_first_login(settings):
    settings.YANXIU_OTP_REQUIRED = True
    reviewer = factories.user(Role.AUTHORITY_REVIEWER, authority=factories.authority(), is_org_admin=True)
    changes.invite_account(reviewer, **invite_payload("rev_new"))
    url = reverse("accounts:invitation", args=[mailed_token(mail.outbox[0])])
    page = Client().get(url)
    assert "设置密码后登录时，还须在手机上绑定身份验证器" in page.content.decode()
    Client().post(url, {"new_password1": GOOD, "new_password2": GOOD})
    client = Client()
    client.post(reverse("login"), {"username": "rev_new", "password": GOOD})
    response = client.get(reverse("applications:inbox"))
    assert (response.status_code, response.url) == (302, reverse("accounts:otp_setup"))
