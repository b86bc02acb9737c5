"""三员分立: each administrator role has its own duty and none reaches another's."""

import re

import pytest
from django.urls import reverse

from tests import factories
from yanxiu.api.models import ApiToken

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


DUTY_TITLES = {
    "system_admin": ["用户账号", "承办单位", "主管部门", "参考目录", "年度通知"],
    "security_admin": ["解锁账号", "重置密码", "重置双因素认证"],
    "audit_admin": ["审计记录"],
}


@pytest.mark.parametrize("role", list(DUTY_TITLES))
def test_an_administrators_home_page_says_what_they_do_and_every_link_opens(client, role):
    client.force_login(factories.user(role))
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:duties")
    page = response.content.decode()
    links = re.findall(r'<a href="([^"]+)" data-testid="duty">([^<]+)</a>', page)
    assert [title for _url, title in links] == DUTY_TITLES[role]
    for url, _title in links:
        assert client.get(url).status_code == 200, url
    assert "评审专家" not in page
    assert "API 令牌" not in page


def test_the_duties_page_is_the_administrators_only(client):
    client.force_login(factories.staff())
    assert client.get(reverse("accounts:duties")).url == reverse("home")
    assert "API 令牌" in client.get(reverse("applications:dashboard")).content.decode()


@pytest.mark.parametrize("role", list(DUTY_TITLES))
def test_an_administrator_holds_no_api_token(client, role):
    """The same form that makes a token for a host is refused, with the reason."""
    host = factories.staff()
    client.force_login(host)
    client.post(reverse("api_tokens"), {"name": "脚本", "days": "30"})
    assert ApiToken.objects.filter(user=host).count() == 1
    admin = factories.user(role)
    client.force_login(admin)
    refused = client.post(reverse("api_tokens"), {"name": "脚本", "days": "30"})
    assert refused.status_code == 403
    assert "无需 API 令牌" in refused.content.decode()
    assert client.get(reverse("api_tokens")).status_code == 403
    assert ApiToken.objects.filter(user=admin).count() == 0
