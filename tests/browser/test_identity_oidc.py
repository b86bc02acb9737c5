"""Unified identity in real Chromium (decision 0025): the login page's 闽政通 button, the real
OpenID Connect provider's own login form (tests/identity/provider.py), and back."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.identity import provider
from yanxiu.accounts.models import Role

from .conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser


@pytest.fixture
def oidc_live(live_server, settings, tmp_path):
    running = provider.start([f"{live_server.url}/identity/{provider.KEY}/callback/"], tmp_path)
    settings.YANXIU_OIDC_PROVIDERS = running.settings()
    yield running
    running.stop()


@pytest.fixture
def browser_page(chromium, live_server):
    contexts = []

    def open_page():
        context = chromium.new_context(base_url=live_server.url, locale="zh-CN")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def provider_login(page, login):
    page.goto("/login/")
    page.get_by_role("link", name="闽政通登录").click()
    expect(page.get_by_role("heading", name="统一身份认证（测试提供方）")).to_be_visible()
    page.get_by_label("账号").fill(login)
    page.get_by_label("密码").fill(provider.PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_legal_entity_login_waits_for_the_administrator_then_reaches_the_institution(
    transactional_db, oidc_live, browser_page
):
    institution = factories.institution(uscc=provider.LEGAL_USCC, name="福建测试科技有限公司")
    admin = factories.user(Role.INSTITUTION_STAFF, institution=institution, is_org_admin=True, display_name="王管理")

    entity = browser_page()
    provider_login(entity, "fjkj")
    expect(entity.get_by_test_id("identity-waiting")).to_contain_text("福建测试科技有限公司的单位管理员确认")

    office = browser_page()
    office.goto("/login/")
    office.fill("#id_username", admin.username)
    office.fill("#id_password", "pw-for-tests")
    office.get_by_role("button", name="登录", exact=True).click()
    office.get_by_role("link", name="统一身份认证").click()
    table = office.get_by_test_id("identity-bindings")
    expect(table).to_contain_text("待单位管理员确认")
    table.get_by_role("button", name="确认").click()
    expect(office.locator(".messages")).to_contain_text("今后可通过统一身份认证登录本单位账号")
    expect(table).to_contain_text("已绑定")

    # The entity's browser still holds its provider session: the button leads straight in.
    entity.goto("/login/")
    entity.get_by_role("link", name="闽政通登录").click()
    expect(entity.get_by_test_id("signed-in-as")).to_contain_text("福建测试科技有限公司")
    assert entity.url.endswith("/applications/")


def test_person_login_binds_by_id_number(transactional_db, oidc_live, browser_page):
    staff = factories.staff()
    staff.id_number = provider.PERSON_ID
    staff.save()
    page = browser_page()
    provider_login(page, "zhangsan")
    expect(page.get_by_test_id("signed-in-as")).to_contain_text(staff.display_name)
    expect(page.get_by_test_id("signed-in-as")).to_contain_text(staff.institution.name)


def test_province_officer_is_refused(transactional_db, oidc_live, browser_page):
    officer = factories.province_officer()
    officer.id_number = provider.PROVINCE_ID
    officer.save()
    page = browser_page()
    provider_login(page, "lisi")
    expect(page.get_by_test_id("identity-refusal")).to_contain_text("不能通过统一身份认证登录")
    page.goto("/")
    assert page.url.endswith("/login/?next=/")
