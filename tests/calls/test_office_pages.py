"""The province office creates next year's call from this one, edits it and opens it (issue 12)."""

from datetime import date

import pytest
from django.urls import reverse

from tests import factories
from yanxiu.calls.domain import calls as domain
from yanxiu.calls.models import Call
from yanxiu.core.refusal import Refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return factories.province_officer()


def test_a_copied_call_is_closed_and_keeps_its_quota(client, officer):
    source = factories.call_2026()
    source.tier_rules.filter(tier="provincial").update(authority_quota=3)
    client.force_login(officer)
    response = client.post(reverse("calls:copy", args=[source.pk]))
    call = Call.objects.get(year=2027)
    assert response.url == reverse("calls:edit", args=[call.pk])
    assert call.is_open is False
    assert call.tier_rule("provincial").authority_quota == 3
    with pytest.raises(Refused, match="2027年度申报未开放"):
        factories.draft(call=call)


def _post_data(call, **changes):
    page = {}
    form_fields = {
        "title": call.title,
        "document_number": "",
        "document_date": "2027-01-05",
        "completion_date": "2027-11-30",
        "previous_year_for_completion": "2026",
        "office_name": call.office_name,
        "issuing_authority": call.issuing_authority,
        "printing_office": call.printing_office,
        "office_address": call.office_address,
        "office_postcode": call.office_postcode,
        "office_email": call.office_email,
        "contact_persons": "新联系人",
        "contact_phones": call.contact_phones,
    }
    page.update(form_fields)
    for rule in call.tier_rules.all():
        for name in domain.EDITABLE_RULE_FIELDS:
            value = getattr(rule, name)
            if isinstance(value, bool):
                if value:
                    page[f"{rule.tier}-{name}"] = "on"
            else:
                page[f"{rule.tier}-{name}"] = "" if value is None else str(value)
    for area in call.topic_areas.all():
        page[f"area-{area.code}-name"] = area.name
        page[f"area-{area.code}-keywords"] = area.keywords
    page.update(changes)
    return page


def test_the_office_edits_tiers_keywords_and_contacts(client, officer):
    call = domain.copy_for_next_year(factories.call_2026(), officer)
    client.force_login(officer)
    data = _post_data(
        call,
        **{
            "provincial-deadline": "2027-03-01",
            "provincial-min_trainees": "35",
            "provincial-trainees_wording": "不少于35人",
            "provincial-authority_quota": "2",
            "area-digital-keywords": "人工智能、大数据、低空经济",
        },
    )
    response = client.post(reverse("calls:edit", args=[call.pk]), data)
    assert response.status_code == 302
    call = Call.objects.get(pk=call.pk)
    rule = call.tier_rule("provincial")
    assert (rule.deadline, rule.min_trainees, rule.authority_quota) == (date(2027, 3, 1), 35, 2)
    assert call.contact_persons == "新联系人"
    assert "低空经济" in call.topic_areas.get(code="digital").keyword_list()


def test_bad_input_is_said_in_chinese_and_nothing_is_saved(client, officer):
    call = domain.copy_for_next_year(factories.call_2026(), officer)
    client.force_login(officer)
    data = _post_data(call, **{"provincial-min_days": "6", "provincial-max_days": "5", "national-min_trainees": "x"})
    page = client.post(reverse("calls:edit", args=[call.pk]), data).content.decode()
    assert "研修天数上限不能小于下限。" in page
    assert "请输入整数。" in page
    assert Call.objects.get(pk=call.pk).tier_rule("provincial").min_days == 3


def test_a_call_opens_only_when_its_dates_agree(client, officer):
    call = domain.copy_for_next_year(factories.call_2026(), officer)
    call.tier_rules.filter(tier="provincial").update(deadline=date(2027, 12, 1))
    with pytest.raises(Refused, match="省级申报截止日期晚于办班完成截止日期2027年11月30日"):
        domain.set_open(call, officer, open_=True)
    call.tier_rules.filter(tier="provincial").update(deadline=date(2027, 11, 30))
    client.force_login(officer)
    asked = client.post(reverse("calls:open", args=[call.pk]), {"open": "1"}).content.decode()
    assert "将开放2027年度申报" in asked
    assert Call.objects.get(pk=call.pk).is_open is False
    client.post(reverse("calls:open", args=[call.pk]), {"open": "1", "confirmed": "1"})
    assert Call.objects.get(pk=call.pk).is_open is True


def test_a_tiers_wording_may_not_contradict_its_numbers(client, officer):
    call = domain.copy_for_next_year(factories.call_2026(), officer)
    client.force_login(officer)
    url = reverse("calls:edit", args=[call.pk])
    page = client.post(url, _post_data(call, **{"provincial-min_trainees": "40"})).content.decode()
    assert "省级学员数量要求原文“不少于30人”与下限40人不一致。" in page
    page = client.post(url, _post_data(call, **{"national-max_days": "8"})).content.decode()
    assert "国家级天数要求原文“一般为5至7天”与5至8天不一致。" in page
    page = client.post(url, _post_data(call, **{"provincial-trainees_is_strict": ""})).content.decode()
    assert "省级学员数量要求原文“不少于30人”与“学员数量为硬性要求”不一致。" in page
    assert Call.objects.get(pk=call.pk).tier_rule("provincial").min_trainees == 30
    data = _post_data(call, **{"provincial-min_trainees": "40", "provincial-trainees_wording": "不少于40人"})
    assert client.post(url, data).status_code == 302
    assert Call.objects.get(pk=call.pk).tier_rule("provincial").min_trainees == 40


def test_the_notices_own_wording_agrees_with_its_numbers():
    call = factories.call_2026()
    assert [domain.wording_problems(rule) for rule in call.tier_rules.all()] == [[], []]
    rule = call.tier_rule("provincial")
    rule.min_days, rule.max_days = 3, 6  # "4天左右" is 3 to 5
    assert domain.wording_problems(rule) == [("duration_wording", "省级天数要求原文“4天左右”与3至6天不一致。")]
