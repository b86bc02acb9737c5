"""三员分立: each administrator role has its own duty and none reaches another's."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def reach(client, role, url):
    client.force_login(factories.user(role))
    return client.get(url).status_code


def test_the_system_administrator_keeps_accounts_and_reference_data_but_not_security_or_audit(client):
    assert reach(client, "system_admin", reverse("admin:accounts_user_changelist")) == 200
    assert reach(client, "system_admin", reverse("admin:reference_professionaldomain_changelist")) == 200
    assert reach(client, "system_admin", reverse("admin:axes_accessattempt_changelist")) == 403
    assert reach(client, "system_admin", reverse("audit:trail")) == 403


def test_the_security_administrator_unlocks_accounts_but_keeps_no_data(client):
    assert reach(client, "security_admin", reverse("admin:axes_accessattempt_changelist")) == 200
    assert reach(client, "security_admin", reverse("admin:otp_totp_totpdevice_changelist")) == 200
    assert reach(client, "security_admin", reverse("admin:reference_professionaldomain_changelist")) == 403
    assert reach(client, "security_admin", reverse("audit:trail")) == 403


def test_the_audit_administrator_reads_the_trail_and_has_no_admin_site(client):
    assert reach(client, "audit_admin", reverse("audit:trail")) == 200
    assert reach(client, "audit_admin", reverse("admin:index")) == 302  # sent to the admin login


def test_roles_set_the_admin_site_flag():
    assert factories.user("system_admin").is_staff
    assert factories.user("security_admin").is_staff
    assert not factories.user("audit_admin", is_staff=True).is_staff
