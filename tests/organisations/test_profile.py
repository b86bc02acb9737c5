import pytest
from django.urls import reverse

from tests import factories
from yanxiu.audit.models import AuditEntry
from yanxiu.calls.enums import Tier
from yanxiu.organisations.enums import RecordTier
from yanxiu.organisations.models import ProgrammeRecord

pytestmark = pytest.mark.django_db


def test_staff_edit_their_own_institution_only(client):
    host = factories.staff()
    client.force_login(host)
    page = client.get(reverse("organisations:profile"))
    assert page.status_code == 200
    assert host.institution.uscc in page.content.decode()
    data = {
        "type": "enterprise",
        "city": "厦门市",
        "address": "厦门市新地址",
        "contact_person": "新联系人",
        "office_phone": "0592-2000000",
        "mobile": "13811112222",
        "fax": "",
        "email": "",
        "base_status": "none",
        "base_batch": "",
        "can_issue_training_invoice": "on",
    }
    response = client.post(reverse("organisations:profile"), data)
    assert response.status_code == 302
    host.institution.refresh_from_db()
    assert (host.institution.city, host.institution.type, host.institution.can_issue_training_invoice) == (
        "厦门市",
        "enterprise",
        True,
    )
    assert AuditEntry.objects.for_object(host.institution).get().action == "update_profile"


def test_bad_phone_and_missing_batch_are_refused(client):
    host = factories.staff()
    client.force_login(host)
    data = {"type": "university", "mobile": "123", "base_status": "national", "base_batch": ""}
    text = client.post(reverse("organisations:profile"), data).content.decode()
    assert "手机号码格式不正确" in text
    assert "国家级继续教育基地请填写批次" in text
    host.institution.refresh_from_db()
    assert host.institution.mobile == "13900000000"


def test_other_roles_have_no_profile_page(client):
    client.force_login(factories.reviewer(factories.authority()))
    assert client.get(reverse("organisations:profile")).status_code == 403


@pytest.mark.parametrize("batch", ["0", "-1", "100", "1.5"])
def test_a_base_batch_outside_1_to_99_gets_one_clear_message(client, batch):
    host = factories.staff()
    client.force_login(host)
    data = {"type": "university", "city": "福州市", "mobile": "13811112222", "base_status": "national"}
    text = client.post(reverse("organisations:profile"), {**data, "base_batch": batch}).content.decode()
    assert text.count("批次为1至99的整数（如第3批填3）。") == 1
    assert "国家级继续教育基地请填写批次" not in text
    assert "确保该值" not in text
    host.institution.refresh_from_db()
    assert host.institution.base_batch != int(float(batch))
    assert client.post(reverse("organisations:profile"), {**data, "base_batch": "1"}).status_code == 302


def test_past_programmes_show_their_tier_in_chinese(client):
    host = factories.staff()
    for year, tier in ((2024, "national"), (2025, "provincial")):
        ProgrammeRecord.objects.create(institution=host.institution, year=year, title="研修班", tier=tier)
    client.force_login(host)
    text = client.get(reverse("organisations:profile")).content.decode()
    table = text.split("往年高级研修项目完成情况")[1]
    assert "<td>2024</td><td>研修班</td><td>国家级</td>" in table
    assert "<td>2025</td><td>研修班</td><td>省级</td>" in table
    assert "national" not in table
    assert "provincial" not in table


def test_a_records_tier_is_the_calls_tier():
    """RecordTier is calls.enums.Tier's twin (organisations may not import calls)."""
    assert RecordTier.choices == Tier.choices
