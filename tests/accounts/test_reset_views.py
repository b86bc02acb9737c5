"""The reset pages: the same answer for any name, the link's token leaves the address at once."""

import re

import pytest
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests import factories
from yanxiu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

NEW = "Renewed-2026x"


def test_the_request_page_answers_the_same_for_any_name(client, django_capture_on_commit_callbacks):
    account = factories.staff()
    answers = []
    for name in (account.username, "nobody-here"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/account/reset/", {"username": name, "channel": "email"}, follow=True)
        answers.append([str(m) for m in response.context["messages"]])
    assert answers[0] == answers[1]
    assert len(mail.outbox) == 1


def test_the_link_moves_its_token_into_the_session_and_works_once(client, django_capture_on_commit_callbacks):
    account = factories.staff()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/reset/", {"username": account.username, "channel": "email"})
    path = re.search(r"/account/reset/[^/\s]+/[^/\s]+/", mail.outbox[0].body).group(0)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.endswith("/set-password/")
    response = client.post(response.url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.check_password(NEW)
    assert AuditEntry.objects.account_changes().filter(username=account.username).last().action == "password_reset"
    again = client.get(path)
    assert again.status_code == 400
    assert "重置链接无效或已过期" in again.content.decode()


def test_a_set_password_page_without_a_link_is_refused(client):
    account = factories.staff()
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    response = client.post(f"/account/reset/{uid}/set-password/", {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 400
    account.refresh_from_db()
    assert not account.check_password(NEW)


def test_the_code_page_shows_a_weak_password_beside_its_field(client):
    account = factories.staff()
    response = client.post(
        "/account/reset/code/",
        {"username": account.username, "code": "123456", "new_password1": "abc", "new_password2": "abc"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password1"] == ["密码太短：至少需要 8 个字符。"]
