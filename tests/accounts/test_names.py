"""A person is named once: the header, the history and the messages never repeat an organisation (decision 0017)."""

import pytest
from django.urls import reverse

from tests import factories
from yanxiu.accounts.models import Role, User
from yanxiu.applications.domain import workflow
from yanxiu.notifications.models import Message

pytestmark = pytest.mark.django_db


def signed_in_as(client):
    page = client.get(reverse("home"), follow=True).content.decode()
    return page.split('data-testid="signed-in-as">')[1].split("</span>")[0]


def test_a_name_holding_the_short_form_of_its_organisation_is_not_doubled(client):
    """The issue's "福建省农业农村厅人事处 省农业农村厅人事处 审核员"."""
    reviewer = factories.reviewer(factories.authority("SZ-NYNCT"))
    reviewer.display_name = "省农业农村厅人事处 审核员"
    reviewer.save()
    assert reviewer.organisation_name == "福建省农业农村厅人事处"
    assert reviewer.name_with_organisation == "省农业农村厅人事处 审核员"
    client.force_login(reviewer)
    assert signed_in_as(client) == "省农业农村厅人事处 审核员（主管部门审核人）"


def test_a_message_names_the_actor_once():
    host = factories.staff(factories.institution("SZ-NYNCT"))
    application = factories.complete("provincial", actor=host)
    reviewer = factories.reviewer(host.institution.authority)
    reviewer.display_name = "省农业农村厅人事处 审核员"
    reviewer.save()
    workflow.perform(application, "submit", host)
    workflow.perform(application, "return", reviewer, reason="请补充")
    body = Message.objects.filter(recipient=host).last().body
    assert body.startswith("省农业农村厅人事处 审核员 于")
    assert body.count("农业农村厅") == 1


def test_a_person_is_named_with_the_organisation_and_the_role_once(client):
    reviewer = factories.reviewer(factories.authority("350100-RS"))
    reviewer.display_name = "张三"
    reviewer.save()
    client.force_login(reviewer)
    assert signed_in_as(client) == f"{reviewer.authority.name} 张三（主管部门审核人）"
    host = factories.staff()
    host.display_name = f"李四（{host.institution.name}）"
    assert host.name_with_organisation == f"李四（{host.institution.name}）"


def test_an_expert_is_not_called_评审专家_twice(client):
    expert = factories.user(Role.EXPERT, display_name="王明")
    client.force_login(expert)
    assert expert.name_with_organisation == "评审专家 王明"
    assert signed_in_as(client) == "评审专家 王明"


def test_the_demo_names_people_by_their_names(demo):
    names = dict(User.objects.values_list("username", "display_name"))
    assert names["expert1"] == "王明"
    assert names["zzzz"] == User.objects.get(username="zzzz").institution.contact_person
    for username in ("sysadmin", "secadmin", "auditor"):
        assert "管理员" not in names[username]
    doubled = [
        user.username
        for user in User.objects.select_related("institution", "authority")
        if user.organisation_name and user.name_with_organisation.count(user.organisation_name.removeprefix("福建")) > 1
    ]
    assert doubled == []
