"""The system administrator records an account's ID number (the unified-identity person login
finds the account by it, decision 0025): validated, one account per number, audited masked."""

import pytest
from django.test import Client

from tests import factories
from yanxiu.accounts.models import Role, User
from yanxiu.audit.models import AuditEntry
from yanxiu.core.crypto import lookup_hashes

from .test_separation import change_url, payload

pytestmark = pytest.mark.django_db

NUMBER = "350102198001011233"


@pytest.fixture
def sysadmin_client():
    client = Client()
    client.force_login(factories.user(Role.SYSTEM_ADMIN, must_change_password=False))
    return client


def test_the_system_administrator_records_an_id_number_audited_masked(sysadmin_client):
    staff = factories.staff()
    response = sysadmin_client.post(change_url(staff), payload(staff, id_number="３５０１０２１９８００１０１１２３３"))
    assert response.status_code == 302
    stored = User.objects.get(pk=staff.pk)
    assert stored.id_number == NUMBER  # typed full-width, stored half-width
    assert stored.id_number_hash in lookup_hashes("id_number", NUMBER)
    entry = AuditEntry.objects.get(action="account_change", username=staff.username)
    assert entry.data["changes"] == [{"field": "身份证号", "before": "", "after": "3501**********1233"}]


def test_an_id_number_is_checked_and_held_by_one_account(sysadmin_client):
    holder = factories.staff()
    holder.id_number = NUMBER
    holder.save()
    staff = factories.staff()
    wrong_check = NUMBER[:-1] + "4"
    for number, message in ((wrong_check, "身份证号校验位不正确"), (NUMBER, "此身份证号已登记在另一个账号上")):
        response = sysadmin_client.post(change_url(staff), payload(staff, id_number=number))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert User.objects.get(pk=staff.pk).id_number == ""
    assert sysadmin_client.post(change_url(holder), payload(holder, id_number=NUMBER)).status_code == 302
