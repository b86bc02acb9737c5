"""Issue 20's delivery details (decision 0016): 确认按计划完成 is confirmed first, the closing page says how
late it is, and the public list says 已满 with no enrolment link."""

import pytest
from django.urls import reverse

from tests import factories
from tests.delivery.helpers import host_of, planned, trainee_data
from tests.delivery.test_programmes import ready_to_close
from tests.delivery.test_rules_0009 import _full_class
from yanxiu.core.refusal import Refused
from yanxiu.delivery.domain import enrolment, programmes
from yanxiu.delivery.enums import ProgrammeState
from yanxiu.delivery.models import Programme
from yanxiu.organisations.models import ProgrammeRecord

pytestmark = pytest.mark.django_db


def test_confirming_completion_asks_first_and_says_what_it_means(client, clock):
    programme = planned()
    host = ready_to_close(programme, clock)
    programmes.perform(programme, "submit_closing", host)
    officer = factories.province_officer()
    client.force_login(officer)
    url = reverse("delivery:action", args=[programme.pk, "confirm_completion"])

    asked = client.post(url)
    page = asked.content.decode()
    assert asked.status_code == 200
    assert f"将确认“{programme}”（{programme.institution.name}）已按计划完成。" in page
    assert "2027年度申报时，系统据此判断该单位上一年度的项目是否按计划完成" in page
    # the post that confirmed at once before: now nothing is written until it is confirmed
    assert Programme.objects.get(pk=programme.pk).state == ProgrammeState.CLOSING_SUBMITTED
    assert not ProgrammeRecord.objects.filter(institution=programme.institution).exists()

    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert Programme.objects.get(pk=programme.pk).state == ProgrammeState.COMPLETED
    assert ProgrammeRecord.objects.get(institution=programme.institution).completed is True


@pytest.mark.parametrize(
    ("moment", "says"),
    [
        ("2026-09-10T10:00:00+08:00", "距提交期限还有6个工作日。"),  # 11, 14, 15, 16, 17, 18
        ("2026-09-18T10:00:00+08:00", "今天是提交期限（2026年9月18日）的最后一天。"),
        # Sun 20 September is a 调休 working day (国庆/中秋): the 22nd is three working days late
        ("2026-09-22T10:00:00+08:00", "提交期限2026年9月18日已过，现已逾期3个工作日。"),
    ],
)
def test_the_closing_page_says_how_late_it_is(client, clock, moment, says):
    programme = planned()  # 2026-09-01 to 09-04: closing documents due within 10 working days, by 2026-09-18
    clock(moment)
    client.force_login(host_of(programme))
    page = client.get(reverse("delivery:closing", args=[programme.pk])).content.decode()
    start = page.index('data-testid="closing-lateness"')
    assert says in page[start : page.index("</", start)]


def test_the_closing_page_says_a_submission_was_late(client, clock):
    programme = planned()
    host = ready_to_close(programme, clock)
    clock("2026-09-21T09:00:00+08:00")
    programmes.perform(programme, "submit_closing", host)
    client.force_login(host)
    page = client.get(reverse("delivery:closing", args=[programme.pk])).content.decode()
    assert '已于2026年9月21日提交，<strong class="error">逾期2个工作日</strong>（截止日期2026年9月18日）' in page


def test_the_public_list_says_full_and_offers_no_enrolment(client):
    full = _full_class(2, 2)
    page = client.get(reverse("delivery_public:list")).content.decode()
    assert f'data-testid="full-{full.pk}">已满</span>' in page
    assert f'data-testid="enrol-link-{full.pk}"' not in page
    assert f'href="{reverse("delivery_public:programme", args=[full.pk])}"' not in page
    with pytest.raises(Refused) as refused:
        enrolment.enrol(full, trainee_data(90))
    assert refused.value.errors == {"__all__": "本项目招收名额（2人）已满，不再接受报名。"}
    response = client.post(reverse("delivery_public:programme", args=[full.pk]), trainee_data(91))
    assert "本项目招收名额（2人）已满，不再接受报名。" in response.content.decode()


def test_the_public_list_offers_enrolment_while_places_remain(client):
    open_class = _full_class(2, 1)
    page = client.get(reverse("delivery_public:list")).content.decode()
    assert f'data-testid="enrol-link-{open_class.pk}">我要报名</a>' in page
    assert f'data-testid="full-{open_class.pk}"' not in page


def test_a_full_class_with_a_waiting_list_offers_the_waiting_list(client):
    full = _full_class(2, 2)
    full.waiting_list = True
    full.save(update_fields=["waiting_list"])
    page = client.get(reverse("delivery_public:list")).content.decode()
    assert f'data-testid="full-{full.pk}">已满，可报名候补</span>' in page
    assert f'data-testid="enrol-link-{full.pk}">报名候补</a>' in page
