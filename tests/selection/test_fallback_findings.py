"""The office sees what it decides on (issue 20, decision 0016): a fallback's provincial findings and
past dates in the pool and the publish confirmation; putting such an item into the plan needs a reason."""

from datetime import date

import pytest
from django.urls import reverse

from tests import factories
from tests.queries import count_queries
from yanxiu.applications.enums import ApplicationState as S
from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused
from yanxiu.selection.domain import decisions
from yanxiu.selection.models import Decision, Outcome

from .test_selection import forwarded

pytestmark = pytest.mark.django_db

NO_PUBLICITY = "（测试）不经公示"

DECEMBER = "2026-12-07T10:00:00+08:00"


@pytest.fixture
def officer():
    return factories.province_officer()


def fallen_back(officer, authority_code="350100-RS", start=date(2026, 8, 3)):
    """A national application (6 days, August) the ministry did not select: back in the pool as provincial."""
    national = forwarded("national", authority_code, start=start)
    decisions.stage(national, Outcome.NATIONAL_CANDIDATE, actor=officer)
    decisions.publish(national.call, actor=officer, without_publicity="（测试）不经公示")
    decisions.record_ministry_answer(Application.objects.get(pk=national.pk), selected=False, actor=officer)
    return Application.objects.get(pk=national.pk)


def test_the_pool_shows_a_fallbacks_past_dates_and_provincial_findings(client, officer, clock):
    fallen = fallen_back(officer)
    ordinary = forwarded("provincial", "350200-RS", start=date(2026, 9, 1))
    clock(DECEMBER)
    client.force_login(officer)
    page = client.get(reverse("selection:pool", args=[fallen.call_id])).content.decode()
    assert "本页有2个项目办班日期已过" in page
    start = page.index(f'data-testid="findings-{fallen.pk}"')
    box = page[start : page.index("</div>", start)]
    assert "开班日期2026年8月3日不晚于今天（2026年12月7日）" in box
    assert "每期研修时间4天左右（含报到返程时间），本项目为6天" in box
    # an ordinary provincial application whose September start has passed is flagged for its date alone
    start = page.index(f'data-testid="findings-{ordinary.pk}"')
    assert "开班日期2026年9月1日不晚于今天" in page[start : page.index("</div>", start)]


def test_nothing_is_flagged_before_the_dates_for_an_application_that_meets_the_rules(client, officer):
    application = forwarded("provincial")
    client.force_login(officer)
    page = client.get(reverse("selection:pool", args=[application.call_id])).content.decode()
    assert 'data-testid="findings-' not in page
    assert "pool-flagged" not in page


def test_publishing_a_fallback_with_past_dates_needs_a_reason(client, officer, clock):
    fallen = fallen_back(officer)
    clock(DECEMBER)
    decision = decisions.stage(fallen, Outcome.PROVINCIAL_ORDINARY, actor=officer)
    client.force_login(officer)
    url = reverse("selection:publish", args=[fallen.call_id])
    field = f"reason-{decision.pk}"

    asked = client.post(url).content.decode()
    assert "有1个拟列入计划的项目办班日期已过或不符合省级规则" in asked
    assert f'name="{field}"' in asked
    assert "开班日期2026年8月3日不晚于今天" in asked
    assert "本项目为6天" in asked

    # the payload that publishes an unflagged item: refused here, nothing published, the page again
    refused = client.post(url, {"confirmed": "1", field: "  ", "without_publicity": NO_PUBLICITY})
    assert refused.status_code == 400
    assert "请填写将此项目列入计划的理由。" in refused.content.decode()
    assert Application.objects.get(pk=fallen.pk).state == S.FORWARDED
    assert Decision.objects.get(pk=decision.pk).published_at is None

    reason = "经与承办单位核实，已于8月按原计划办班，列入计划以便结业考核。"
    response = client.post(url, {"confirmed": "1", field: reason, "without_publicity": NO_PUBLICITY})
    assert response.status_code == 302
    assert Application.objects.get(pk=fallen.pk).state == S.PROVINCIAL_ORDINARY
    assert Decision.objects.get(pk=decision.pk).note == reason
    entry = AuditEntry.objects.filter(action="publish_decisions").latest("pk")
    assert entry.data["flagged"] == {
        str(decision.pk): {"findings": ["dates.start_passed", "duration.tier"], "reason": reason}
    }
    transition = AuditEntry.objects.for_object(fallen).get(action="decide_ordinary")
    assert transition.reason == reason


def test_a_typed_reason_is_kept_when_another_is_missing(client, officer, clock):
    first = fallen_back(officer)
    second = fallen_back(officer, "350200-RS")
    clock(DECEMBER)
    one = decisions.stage(first, Outcome.PROVINCIAL_ORDINARY, actor=officer)
    two = decisions.stage(second, Outcome.PROVINCIAL_DEMONSTRATION, actor=officer)
    client.force_login(officer)
    response = client.post(
        reverse("selection:publish", args=[first.call_id]),
        {"confirmed": "1", f"reason-{one.pk}": "已核实。", "without_publicity": NO_PUBLICITY},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert ">已核实。</textarea>" in page
    assert page.count("请填写将此项目列入计划的理由。") == 1
    assert Decision.objects.filter(pk__in=[one.pk, two.pk], published_at__isnull=True).count() == 2


def test_not_selecting_a_flagged_item_needs_no_reason(officer, clock):
    fallen = fallen_back(officer)
    clock(DECEMBER)
    decisions.stage(fallen, Outcome.NOT_SELECTED, actor=officer)
    decisions.publish(fallen.call, actor=officer, without_publicity="（测试）不经公示")
    assert Application.objects.get(pk=fallen.pk).state == S.NOT_SELECTED


def test_the_domain_refuses_a_flagged_item_without_its_reason(officer, clock):
    ordinary = forwarded("provincial", start=date(2026, 9, 1))
    clock(DECEMBER)
    decision = decisions.stage(ordinary, Outcome.PROVINCIAL_ORDINARY, actor=officer)
    with pytest.raises(Refused, match="请逐项填写列入计划的理由") as refused:
        decisions.publish(ordinary.call, actor=officer, without_publicity="（测试）不经公示")
    assert refused.value.errors == {f"reason-{decision.pk}": "请填写将此项目列入计划的理由。"}
    decisions.publish(
        ordinary.call, actor=officer, reasons={decision.pk: "已办班，补列计划。"}, without_publicity="（测试）不经公示"
    )
    assert Application.objects.get(pk=ordinary.pk).state == S.PROVINCIAL_ORDINARY


def test_the_pools_findings_cost_the_same_queries_for_one_fallback_as_for_several(client, officer, clock):
    fallen = fallen_back(officer)
    clock(DECEMBER)
    client.force_login(officer)
    url = reverse("selection:pool", args=[fallen.call_id])
    one = count_queries(client, url)
    clock("2026-01-10T10:00:00+08:00")
    fallen_back(officer, "350200-RS")
    fallen_back(officer, "350300-RS")
    clock(DECEMBER)
    assert count_queries(client, url) == one
    assert client.get(url).content.decode().count('data-testid="findings-') == 3
