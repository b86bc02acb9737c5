"""A call's delivery settings: the province office's page (the demo's officer is no superuser any
more, so the admin is not the way), audited with before and after; nobody else may change them."""

import pytest
from django.urls import reverse

from tests import factories
from yanxiu.audit.models import AuditEntry
from yanxiu.delivery.domain.programmes import settings_for

pytestmark = pytest.mark.django_db

VALUES = {
    "credit_hours_per_day": "6.5",
    "closing_days": "20",
    "closing_unit": "calendar",
    "min_attendance_percent": "85",
    "min_grassroots_percent": "30",
    "min_non_public_percent": "10",
}


def test_the_province_office_changes_a_calls_delivery_settings(client):
    call = factories.call_2026()
    officer = factories.province_officer()
    client.force_login(officer)
    url = reverse("delivery:settings", args=[2026])
    assert client.get(url).status_code == 200
    assert client.post(url, VALUES).status_code == 302
    saved = settings_for(type(call).objects.get(pk=call.pk))
    assert (str(saved.credit_hours_per_day), saved.closing_days, saved.min_attendance_percent) == ("6.5", 20, 85)
    entry = AuditEntry.objects.get(action="change_delivery_settings")
    assert entry.actor == officer
    assert entry.data["changes"] == [
        {"field": "每天学时", "before": "8.0", "after": "6.5"},
        {"field": "结业材料提交期限（结束后）", "before": "10", "after": "20"},
        {"field": "期限单位", "before": "工作日", "after": "自然日"},
        {"field": "颁发证书的最低出勤率（%）", "before": "80", "after": "85"},
    ]


@pytest.mark.parametrize("role", ["institution_staff", "system_admin", "expert"])
def test_nobody_else_changes_them(client, role):
    factories.call_2026()
    extra = {"institution": factories.institution()} if role == "institution_staff" else {}
    client.force_login(factories.user(role, **extra))
    response = client.post(reverse("delivery:settings", args=[2026]), VALUES)
    assert response.status_code == 403
    assert settings_for(factories.call_2026()).closing_days == 10


def test_a_wrong_value_keeps_what_was_typed(client):
    factories.call_2026()
    client.force_login(factories.province_officer())
    response = client.post(reverse("delivery:settings", args=[2026]), {**VALUES, "min_attendance_percent": "120"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="6.5"' in page
    assert not AuditEntry.objects.filter(action="change_delivery_settings").exists()
