"""The office invites the pool's experts to set their password (issue 22, decision 0024): one by
one from the pool, or every new row of an import; an expert who has a password is not invited."""

import re

import pytest
from django.contrib.messages import ERROR, SUCCESS, get_messages
from django.core import mail
from django.urls import reverse

from tests import factories as f
from tests.reviews import factories as rf
from yanxiu.accounts.domain import changes, invitations
from yanxiu.accounts.models import Invitation, User
from yanxiu.audit.models import AuditEntry
from yanxiu.reviews.domain import experts as pool

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/account/invitation/([\w-]+)/")


@pytest.fixture(autouse=True)
def _mail_after_commit(monkeypatch):
    """Run the invitation's after-commit e-mail at once (a test's transaction never commits)."""
    monkeypatch.setattr(invitations.transaction, "on_commit", lambda callback: callback())


@pytest.fixture
def officer():
    return f.province_officer()


def row(username, name, email=""):
    return [username, name, "", "福州大学", "", "", "", "", "", "", email, "", "", ""]


def shown(response, level):
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == level]


def import_through_the_page(client, rows, **confirm):
    response = client.post(reverse("reviews:experts_import"), {"file": rf.pool_workbook(rows)})
    assert response.status_code == 200
    return client.post(reverse("reviews:experts_import_confirm"), {"token": response.context["token"], **confirm})


def test_the_new_rows_of_an_import_are_invited(client, officer):
    existing = rf.expert(display_name="老专家")
    client.force_login(officer)
    response = import_through_the_page(
        client,
        [
            row("zj_mail", "有邮箱", "zj_mail@example.invalid"),
            row("zj_nomail", "无邮箱"),
            row(existing.username, "老专家", ""),
        ],
        invite="1",
    )
    assert shown(response, SUCCESS) == [
        "已导入专家库：新增2位、更新1位。已向1位新增专家发送邀请邮件（设置密码的链接）；未邀请：无邮箱（没有电子邮箱）。"
    ]
    assert [m.to for m in mail.outbox] == [["zj_mail@example.invalid"]]
    token = LINK.search(mail.outbox[0].body).group(1)
    assert Invitation.objects.get(user__username="zj_mail").token_hash == invitations.token_hash(token)
    assert AuditEntry.objects.filter(action="account_invite", username="zj_mail", actor=officer).count() == 1
    # The invited expert sets the password with the link.
    changes.accept_invitation(token, "Gute-Wahl-2026")
    assert User.objects.get(username="zj_mail").check_password("Gute-Wahl-2026")


def test_an_import_without_the_box_invites_nobody(client, officer):
    client.force_login(officer)
    import_through_the_page(client, [row("zj_mail", "有邮箱", "zj_mail@example.invalid")])
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_one_expert_is_invited_from_the_pool_and_a_second_link_replaces_the_first(client, officer):
    client.force_login(officer)
    import_through_the_page(client, [row("zj_mail", "有邮箱", "zj_mail@example.invalid")])
    profile = User.objects.get(username="zj_mail").expert_profile
    page = client.get(reverse("reviews:experts")).content.decode()
    assert 'data-testid="invite-zj_mail"' in page
    url = reverse("reviews:expert_invite", args=[profile.pk])
    response = client.post(url)
    assert shown(response, ERROR) == []
    response = client.post(url)
    assert shown(response, ERROR) == []
    assert len(mail.outbox) == 2
    first, second = (LINK.search(m.body).group(1) for m in mail.outbox)
    assert client.get(reverse("accounts:invitation", args=[first])).status_code == 410
    assert client.get(reverse("accounts:invitation", args=[second])).status_code == 200
    assert list(
        AuditEntry.objects.filter(username="zj_mail", action__in=["account_invite", "invitation_resend"])
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["account_invite", "invitation_resend"]


def test_an_expert_with_a_password_is_not_invited(client, officer):
    expert = rf.expert()
    client.force_login(officer)
    response = client.post(reverse("reviews:expert_invite", args=[expert.expert_profile.pk]))
    assert shown(response, ERROR) == [changes.ALREADY_SET_UP.format(who=expert)]
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_a_bulk_invitation_skips_pending_invitations(officer):
    expert = User(username="zj_wait", role="expert", display_name="待邀", email="zj_wait@example.invalid")
    expert.set_unusable_password()
    expert.save()
    first = pool.invite_experts([expert], actor=officer)
    again = pool.invite_experts([expert], actor=officer)
    assert (first.sent, again.sent) == ([expert], [])
    assert again.skipped == [(expert, "已有未过期的邀请")]
    assert len(mail.outbox) == 1
