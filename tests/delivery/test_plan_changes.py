"""A class of the issued plan changes only by the office's approval (decision 0026)."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories
from tests.delivery.helpers import host_of, planned
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused
from yanxiu.delivery.domain import programmes
from yanxiu.delivery.enums import ChangeState
from yanxiu.delivery.models import Programme
from yanxiu.selection.interfaces.plan import plan, plan_xlsx

pytestmark = pytest.mark.django_db


def _arrange(programme, **changes):
    values = {
        "start_date": programme.start_date,
        "end_date": programme.end_date,
        "venue": programme.venue,
        "schedule": "第一天报到",
        "experts": programme.experts or "王教授",
        "capacity": programme.capacity,
        **changes,
    }
    return programmes.confirm_arrangements(programme, host_of(programme), **values)


def test_lecturers_left_blank_by_the_plan_are_filled_once_then_change_only_by_approval():
    programme = planned()
    assert _arrange(programme, experts="王教授、李院士") is None
    programme.refresh_from_db()
    assert programme.experts == "王教授、李院士"
    change = _arrange(programme, experts="王教授、赵研究员", reason="李院士临时出访")
    programme.refresh_from_db()
    assert (programme.experts, change.state) == ("王教授、李院士", ChangeState.PENDING)
    assert change.changes == {"experts": ["王教授、李院士", "王教授、赵研究员"]}


def test_a_changed_capacity_needs_a_reason_and_waits_for_the_office():
    programme = planned()
    _arrange(programme)
    with pytest.raises(Refused) as refused:
        _arrange(programme, capacity=programme.capacity + 5)
    assert str(refused.value) == "开班时间、地点、授课专家或招收名额与计划不同，须填写变更理由，报省人社厅审批。"
    planned_capacity = programme.capacity
    _arrange(programme, capacity=planned_capacity + 5, reason="报名踊跃")
    assert Programme.objects.get(pk=programme.pk).capacity == planned_capacity  # not before approval


def test_a_change_is_applied_only_when_the_office_approves_it_and_the_plan_shows_it(clock):
    programme = planned()
    _arrange(programme)
    change = _arrange(programme, start_date=date(2026, 9, 8), end_date=date(2026, 9, 11), reason="场地冲突")
    host = host_of(programme)
    with pytest.raises(Refused):  # the payload the office's approval takes, from the host
        programmes.decide_change(change, host, approve=True)
    assert Programme.objects.get(pk=programme.pk).start_date == date(2026, 9, 1)
    assert plan(programme.call)[0].rows[0].period == "2026年9月1日—9月4日"
    officer = factories.province_officer()
    programmes.decide_change(change, officer, approve=True, note="同意")
    programme.refresh_from_db()
    assert (programme.start_date, programme.end_date) == (date(2026, 9, 8), date(2026, 9, 11))
    assert plan(programme.call)[0].rows[0].period == "2026年9月8日—9月11日（经批准变更）"
    sheet = load_workbook(io.BytesIO(plan_xlsx(programme.call))).active
    assert "2026年9月8日—9月11日（经批准变更）" in [c for row in sheet.iter_rows(values_only=True) for c in row]
    entry = AuditEntry.objects.get(action="decide_change")
    assert (entry.actor, entry.action_label, entry.data["requested_by"]) == (officer, "批准开班安排变更", host.username)


def test_the_public_page_and_the_host_history_show_the_approved_change(client):
    programme = planned()
    _arrange(programme)
    officer = factories.province_officer()
    change = _arrange(programme, venue="厦门市会展中心", reason="福州场地装修")
    programmes.decide_change(change, officer, approve=True)
    page = client.get(reverse("delivery_public:programme", args=[programme.pk])).content.decode()
    assert "厦门市会展中心" in page
    assert 'data-testid="approved-change"' in page
    client.force_login(host_of(programme))
    detail = client.get(reverse("delivery:programme", args=[programme.pk])).content.decode()
    start = detail.index('data-testid="change-decided-by"')
    assert detail[start : detail.index("</td>", start)].startswith(f'data-testid="change-decided-by">{officer}（')
